// Edits' public contract. Owner: edits. Extend freely; keep these shapes.

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
  /** The change deletes the file (after is then ''). Optional so older producers stay valid. */
  deleted?: boolean;
  /**
   * Set when the file is not valid UTF-8: the exact bytes on disk, and the exact bytes to write. `before`
   * and `after` are then for display only (invalid bytes show as U+FFFD). Writers use changeBytes().
   */
  beforeBytes?: Uint8Array;
  afterBytes?: Uint8Array;
}

export type ApplyFailure = {
  blockIndex: number;
  path?: string;
  reason: 'not-found' | 'ambiguous' | 'already-applied' | 'syntax-error' | 'outside-workspace' | 'binary' | 'create-on-existing' | 'malformed'
    /** The path is inside .git/, .hg/ or .svn/. */
    | 'vcs-folder'
    /** The path is a FIFO, socket, device or directory: only regular files are edited. */
    | 'not-regular-file'
    /** The file is not valid UTF-8 and the SEARCH text does not match its bytes exactly. */
    | 'not-utf8'
    /** The file exists but cannot be read (permissions, I/O error). */
    | 'unreadable'
    /** Writing failed (a full disk, a size limit, a read-only file); the file was left as it was. */
    | 'write-failed';
  /** One paragraph the model can act on, including "did you mean" lines where they exist. */
  message: string;
};

export type ApplyResult =
  | { ok: true; changes: FileChange[] }
  | { ok: false; failures: ApplyFailure[] };

// ---- additions ----

/** Optional extras a block can carry (unified-diff hunks carry them; SEARCH/REPLACE blocks rarely do). */
export interface EditBlockExtras {
  /** 1-based line where the SEARCH text is expected; breaks ties between several equal matches (diff hunks). */
  lineHint?: number;
  /** The block deletes its file (a unified diff to /dev/null). */
  deleteFile?: boolean;
  /** 1-based line of the block in the reply it came from, for error messages. */
  sourceLine?: number;
}

export type ParsedEditBlock = EditBlock & EditBlockExtras;

/** Counts tree-sitter ERROR/MISSING nodes; undefined when the language is unknown (then no check happens). */
export type SyntaxErrorCounter = (filePath: string, text: string) => Promise<number | undefined>;

/** How a block matched: the fallback chain (docs/architecture.md §4 Edits), strictest first. */
export type MatchLevel = 'exact' | 'indentation' | 'whitespace';

export class EditParseError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
    this.name = 'EditParseError';
  }
}
