; Import statements, captured whole; imports.ts reads their fields.
(import_statement) @import
(export_statement source: (_)) @import
(call_expression function: (identifier) @_f arguments: (arguments . (string)) (#eq? @_f "require")) @import
(call_expression function: (import) arguments: (arguments . (string))) @import
(import_require_clause) @import
