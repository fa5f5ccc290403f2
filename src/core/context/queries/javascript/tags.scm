; inherits: ecma, jsx
; JavaScript's own patterns (class fields and heritage are spelled differently from TypeScript's).
(class_declaration name: (_) @name) @definition.class
(class name: (_) @name) @definition.class
(field_definition property: (property_identifier) @name) @definition.field
(class_heritage (identifier) @name) @reference.class
