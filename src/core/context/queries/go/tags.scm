; Definitions and references for Go.
(function_declaration name: (identifier) @name) @definition.function
(method_declaration name: (field_identifier) @name) @definition.method
(type_spec name: (type_identifier) @name type: (interface_type)) @definition.interface
(type_spec name: (type_identifier) @name type: (struct_type)) @definition.class
(type_spec name: (type_identifier) @name type: [(type_identifier) (qualified_type) (pointer_type) (slice_type) (map_type) (function_type) (channel_type) (array_type) (generic_type)]) @definition.type
(method_elem name: (field_identifier) @name) @definition.method
(field_declaration name: (field_identifier) @name) @definition.field

(call_expression function: [
  (identifier) @name
  (parenthesized_expression (identifier) @name)
  (selector_expression field: (field_identifier) @name)
  (parenthesized_expression (selector_expression field: (field_identifier) @name))
]) @reference.call
(type_identifier) @name @reference.type
(composite_literal type: (qualified_type name: (type_identifier) @name)) @reference.class
(import_spec path: (interpreted_string_literal) @name) @reference.import
(call_expression function: (selector_expression operand: (_) @receiver field: (field_identifier) @name)) @reference.call
(qualified_type package: (package_identifier) @receiver name: (type_identifier) @name) @reference.type

; Bindings: parameters and receivers, typed vars, `x := NewX()` / `x := &X{}`.
(parameter_declaration name: (identifier) @name type: (_) @type) @binding
(var_spec name: (identifier) @name type: (_) @type) @binding
(short_var_declaration left: (expression_list . (identifier) @name) right: (expression_list . (_) @value)) @binding
