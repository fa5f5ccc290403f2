// The tree-sitter grammars and parsers every zone that reads code shares (docs/architecture.md §1).
export * from './languages';
