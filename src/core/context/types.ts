// The context engine's public contract (docs/architecture.md §3; the CLI prints it, §6 `context`).

export interface ContextSnippet {
  path: string; // workspace-relative, forward slashes
  startLine: number; // 1-based, inclusive
  endLine: number;
  kind: 'scope' | 'definition' | 'signatures' | 'import' | 'repomap' | 'window' | 'attached'; // attached: the person named it (#file:, #symbol:); signatures: one line per definition used, `line: text`
  symbol?: string;
  text: string;
}

export interface PackedContext { snippets: ContextSnippet[]; tokens: number }
