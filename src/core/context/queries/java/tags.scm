; Definitions and references for Java.
(class_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(enum_declaration name: (identifier) @name) @definition.enum
(interface_declaration name: (identifier) @name) @definition.interface
(annotation_type_declaration name: (identifier) @name) @definition.interface
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.method
(field_declaration declarator: (variable_declarator name: (identifier) @name)) @definition.field

(method_invocation name: (identifier) @name) @reference.call
(method_invocation object: (_) @receiver name: (identifier) @name) @reference.call
(object_creation_expression type: (type_identifier) @name) @reference.class
(type_identifier) @name @reference.type
(import_declaration (scoped_identifier name: (identifier) @name)) @reference.import

; Bindings: parameters and locals with their declared types (`var x = new Foo()` by its initializer).
(formal_parameter type: (_) @type name: (identifier) @name) @binding
(local_variable_declaration type: (_) @type declarator: (variable_declarator name: (identifier) @name)) @binding
(local_variable_declaration declarator: (variable_declarator name: (identifier) @name value: (object_creation_expression) @value)) @binding
