; Definitions and references for TypeScript. Captures: @name plus @definition.<kind> or @reference.<kind>.
; Upstream's TypeScript query has no calls; this one has calls, `new`, type references and imports.

(method_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.method
(method_signature name: (property_identifier) @name) @definition.method
(abstract_method_signature name: (property_identifier) @name) @definition.method
(function_signature name: (identifier) @name) @definition.function
(class_declaration name: (type_identifier) @name) @definition.class
(abstract_class_declaration name: (type_identifier) @name) @definition.class
(class name: (type_identifier) @name) @definition.class
(interface_declaration name: (type_identifier) @name) @definition.interface
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
(module name: [(identifier) (string)] @name) @definition.module
(internal_module name: (identifier) @name) @definition.module
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
(public_field_definition name: (property_identifier) @name) @definition.field

(call_expression function: (identifier) @name) @reference.call
(call_expression function: (member_expression object: (identifier) @receiver property: (property_identifier) @name)) @reference.call
(new_expression constructor: (member_expression object: (identifier) @receiver property: (property_identifier) @name)) @reference.class
(call_expression function: (member_expression property: [(property_identifier) (private_property_identifier)] @name)) @reference.call
(new_expression constructor: (identifier) @name) @reference.class
(new_expression constructor: (member_expression property: (property_identifier) @name)) @reference.class
(type_identifier) @name @reference.type
(nested_type_identifier module: (identifier) @receiver name: (type_identifier) @name) @reference.type
(extends_clause value: (identifier) @name) @reference.class
(import_specifier name: (identifier) @name) @reference.import
(import_clause (identifier) @name) @reference.import
