; inherits: typescript
; TSX is TypeScript plus JSX: only the JSX patterns live here.
(jsx_opening_element name: (identifier) @name) @reference.class
(jsx_self_closing_element name: (identifier) @name) @reference.class
