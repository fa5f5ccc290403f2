// Edits' public contract (issue 6). Owner: edits. Extend freely; keep these shapes.

export interface EditBlock {
  /** Workspace-relative path from the block's path line; undefined when the reply gave none. */
  path?: string;
  search: string;
  replace: string;
}

export interface FileChange {
  path: string;
  before: string | undefined; // undefined: the file is new
  after: string;
}

export type ApplyFailure = {
  blockIndex: number;
  path?: string;
  reason: 'not-found' | 'ambiguous' | 'already-applied' | 'syntax-error' | 'outside-workspace' | 'binary' | 'create-on-existing' | 'malformed';
  /** One paragraph the model can act on, including "did you mean" lines where they exist. */
  message: string;
};

export type ApplyResult =
  | { ok: true; changes: FileChange[] }
  | { ok: false; failures: ApplyFailure[] };
