; Definitions and references for JavaScript. Captures: @name plus @definition.<kind> or @reference.<kind>
; on the whole node. Based on tree-sitter-javascript's tags.scm (MIT), without doc captures.

(method_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.method
(class_declaration name: (_) @name) @definition.class
(class name: (_) @name) @definition.class
[
  (function_expression name: (identifier) @name)
  (function_declaration name: (identifier) @name)
  (generator_function name: (identifier) @name)
  (generator_function_declaration name: (identifier) @name)
] @definition.function
(lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)])) @definition.function
(variable_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)])) @definition.function
(assignment_expression
  left: [(identifier) @name (member_expression property: (property_identifier) @name)]
  right: [(arrow_function) (function_expression)]) @definition.function
(pair key: (property_identifier) @name value: [(arrow_function) (function_expression)]) @definition.function
(field_definition property: (property_identifier) @name) @definition.field

(call_expression function: (identifier) @name) @reference.call
(call_expression function: (member_expression object: (identifier) @receiver property: (property_identifier) @name)) @reference.call
(new_expression constructor: (member_expression object: (identifier) @receiver property: (property_identifier) @name)) @reference.class
(call_expression function: (member_expression property: [(property_identifier) (private_property_identifier)] @name)) @reference.call
(new_expression constructor: (identifier) @name) @reference.class
(new_expression constructor: (member_expression property: (property_identifier) @name)) @reference.class
(class_heritage (identifier) @name) @reference.class
(import_specifier name: (identifier) @name) @reference.import
(import_clause (identifier) @name) @reference.import
(jsx_opening_element name: (identifier) @name) @reference.class
(jsx_self_closing_element name: (identifier) @name) @reference.class
