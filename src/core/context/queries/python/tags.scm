; Definitions and references for Python (calls, imports, type annotations, base classes).
(class_definition name: (identifier) @name) @definition.class
(function_definition name: (identifier) @name) @definition.function

(call function: (identifier) @name) @reference.call
(call function: (attribute attribute: (identifier) @name)) @reference.call
(type (identifier) @name) @reference.type
(class_definition superclasses: (argument_list (identifier) @name) @reference.class)
(import_from_statement name: (dotted_name (identifier) @name)) @reference.import
(import_from_statement name: (aliased_import name: (dotted_name (identifier) @name))) @reference.import
(decorator (identifier) @name) @reference.call
(call function: (attribute object: (identifier) @receiver attribute: (identifier) @name)) @reference.call
