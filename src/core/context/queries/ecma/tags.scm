; Definitions and references shared by JavaScript and TypeScript (both inherit this file; the TypeScript
; grammar extends the JavaScript one). Captures: @name plus @definition.<kind> or @reference.<kind> on the
; whole node; member calls capture their receiver expression as @receiver. Based on tree-sitter-javascript's
; tags.scm (MIT), without doc captures; upstream's TypeScript query has no calls, this one has.

(method_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.method
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

(call_expression function: (identifier) @name) @reference.call
(call_expression function: (member_expression object: (_) @receiver property: [(property_identifier) (private_property_identifier)] @name)) @reference.call
(new_expression constructor: (identifier) @name) @reference.class
(new_expression constructor: (member_expression object: (_) @receiver property: (property_identifier) @name)) @reference.class
(import_specifier name: (identifier) @name) @reference.import
(import_clause (identifier) @name) @reference.import

; Bindings: what a local name or a member holds, for resolving calls on it (`x.run()`, `this._s.run()`).
(variable_declarator name: (identifier) @name value: [(new_expression) (call_expression) (member_expression) (await_expression) (identifier)] @value) @binding
(assignment_expression
  left: (member_expression object: (this) property: [(property_identifier) (private_property_identifier)] @name)
  right: [(new_expression) (call_expression) (member_expression) (await_expression)] @value) @binding.member
