; inherits: ecma
; TypeScript's own patterns: types, signatures, fields with their declared types, parameter properties.
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
(public_field_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.field
(property_signature name: (property_identifier) @name) @definition.field
; `constructor(private readonly _x: IFoo)` declares the member `_x`.
(required_parameter (accessibility_modifier) pattern: (identifier) @name) @definition.field

; Type references: names in type positions. A type argument or constraint that is a lone type parameter
; (`T`) is still matched here: tags.ts drops single-letter type names, almost always type parameters.
(type_annotation (type_identifier) @name) @reference.type
(generic_type name: (type_identifier) @name) @reference.type
(type_arguments (type_identifier) @name) @reference.type
(implements_clause (type_identifier) @name) @reference.type
(extends_type_clause type: (type_identifier) @name) @reference.type
(union_type (type_identifier) @name) @reference.type
(intersection_type (type_identifier) @name) @reference.type
(array_type (type_identifier) @name) @reference.type
(nested_type_identifier module: (identifier) @receiver name: (type_identifier) @name) @reference.type
(extends_clause value: (identifier) @name) @reference.class

; Parameters of functions with a body only: those of signatures and function types bind nothing.
(_ parameters: (formal_parameters [
  (required_parameter pattern: (identifier) @name type: (type_annotation) @type)
  (optional_parameter pattern: (identifier) @name type: (type_annotation) @type)
] @binding) body: (_))
(variable_declarator name: (identifier) @name type: (type_annotation) @type) @binding
(variable_declarator name: (identifier) @name value: [(as_expression) (non_null_expression)] @value) @binding
(as_expression (type_identifier) @name) @reference.type
(function_type return_type: (type_identifier) @name) @reference.type
(type_alias_declaration value: (type_identifier) @name) @reference.type
(constraint (type_identifier) @name) @reference.type
(tuple_type (type_identifier) @name) @reference.type
(readonly_type (type_identifier) @name) @reference.type
(lookup_type (type_identifier) @name) @reference.type
