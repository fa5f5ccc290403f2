// The context engine's public contract (issue 5, docs/architecture.md §6 `context`). Owner: context.

export interface ContextSnippet {
  path: string; // workspace-relative, forward slashes
  startLine: number; // 1-based, inclusive
  endLine: number;
  kind: 'scope' | 'definition' | 'import' | 'repomap' | 'window' | 'attached'; // attached: the person named it (#file:, #symbol:)
  symbol?: string;
  text: string;
}

export interface PackedContext { snippets: ContextSnippet[]; tokens: number }
