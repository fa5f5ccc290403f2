; Definitions and references for Ruby (VS Code's grammar build ships no queries).
(method name: (_) @name) @definition.method
(singleton_method name: (_) @name) @definition.method
(class name: [(constant) (scope_resolution name: (_))] @name) @definition.class
(module name: [(constant) (scope_resolution name: (_))] @name) @definition.module
(assignment left: (constant) @name) @definition.constant

(call method: (identifier) @name) @reference.call
(superclass (constant) @name) @reference.class
(call receiver: (constant) @name) @reference.class
