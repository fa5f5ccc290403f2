; Definitions and references for Python (calls, imports, type annotations, base classes).
(class_definition name: (identifier) @name) @definition.class
(function_definition name: (identifier) @name) @definition.function

(call function: (identifier) @name) @reference.call
(type (identifier) @name) @reference.type
(class_definition superclasses: (argument_list (identifier) @name) @reference.class)
(import_from_statement name: (dotted_name (identifier) @name)) @reference.import
(import_from_statement name: (aliased_import name: (dotted_name (identifier) @name))) @reference.import
(decorator (identifier) @name) @reference.call
(call function: (attribute object: (_) @receiver attribute: (identifier) @name)) @reference.call

; Bindings: annotated parameters and names, `x = Foo()`, and members set through `self`.
(typed_parameter (identifier) @name type: (type) @type) @binding
(typed_default_parameter name: (identifier) @name type: (type) @type) @binding
(assignment left: (identifier) @name type: (type) @type) @binding
(assignment left: (identifier) @name right: [(call) (attribute) (await)] @value) @binding
(assignment left: (attribute object: (identifier) @_self attribute: (identifier) @name) type: (type) @type (#eq? @_self "self")) @binding.member
(assignment left: (attribute object: (identifier) @_self attribute: (identifier) @name) right: [(call) (attribute)] @value (#eq? @_self "self")) @binding.member
