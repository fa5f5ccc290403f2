; Definitions and references for C# (VS Code's grammar build ships no queries).
(class_declaration name: (identifier) @name) @definition.class
(struct_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.method
(property_declaration name: (identifier) @name) @definition.field
(namespace_declaration name: (_) @name) @definition.module

(invocation_expression function: (identifier) @name) @reference.call
(invocation_expression function: (member_access_expression name: (identifier) @name)) @reference.call
(object_creation_expression type: (identifier) @name) @reference.class
(base_list (identifier) @name) @reference.class
(field_declaration (variable_declaration (variable_declarator name: (identifier) @name))) @definition.field
(invocation_expression function: (member_access_expression expression: (_) @receiver name: (identifier) @name)) @reference.call

; Bindings: parameters and locals with their declared types (`var x = new Foo()` by its initializer).
(parameter type: (_) @type name: (identifier) @name) @binding
(variable_declaration type: (_) @type (variable_declarator name: (identifier) @name)) @binding
(variable_declarator name: (identifier) @name (object_creation_expression) @value) @binding
