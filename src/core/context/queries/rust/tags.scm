; Definitions and references for Rust.
(struct_item name: (type_identifier) @name) @definition.class
(enum_item name: (type_identifier) @name) @definition.enum
(union_item name: (type_identifier) @name) @definition.class
(type_item name: (type_identifier) @name) @definition.type
(declaration_list (function_item name: (identifier) @name) @definition.method)
(function_item name: (identifier) @name) @definition.function
(declaration_list (function_signature_item name: (identifier) @name) @definition.method)
(trait_item name: (type_identifier) @name) @definition.interface
(mod_item name: (identifier) @name) @definition.module
(macro_definition name: (identifier) @name) @definition.macro
(const_item name: (identifier) @name) @definition.constant
(static_item name: (identifier) @name) @definition.constant

(call_expression function: (identifier) @name) @reference.call
(call_expression function: (field_expression field: (field_identifier) @name)) @reference.call
(call_expression function: (scoped_identifier name: (identifier) @name)) @reference.call
(macro_invocation macro: (identifier) @name) @reference.call
(impl_item trait: (type_identifier) @name) @reference.implementation
(impl_item type: (type_identifier) @name !trait) @reference.implementation
(type_identifier) @name @reference.type
(use_declaration argument: (scoped_identifier name: (identifier) @name)) @reference.import
(use_list (identifier) @name) @reference.import
(call_expression function: (scoped_identifier path: (identifier) @receiver name: (identifier) @name)) @reference.call
(field_declaration name: (field_identifier) @name) @definition.field
; The type an impl block adds methods to: its methods are members of that type.
(impl_item type: (type_identifier) @name) @definition.class
(call_expression function: (field_expression value: (_) @receiver field: (field_identifier) @name)) @reference.call

; Bindings: typed parameters and lets, and lets with an initializer (`Buf::new()`, `Buf { … }`).
(parameter pattern: (identifier) @name type: (_) @type) @binding
(let_declaration pattern: (identifier) @name type: (_) @type) @binding
(let_declaration pattern: (identifier) @name value: (_) @value) @binding
