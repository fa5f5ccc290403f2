// The tree-sitter grammars and parsers every zone that reads code shares (docs/architecture.md §1), and the trees
// of the texts parsed last (one parse per text for the verifier's syntax check and audit).
export * from './languages';
export { changedSpan, pointAt } from './textSpan';
export { withTree, parseStats, clearTreeCache, type ParseStats, type TreeRequest } from './treeCache';
