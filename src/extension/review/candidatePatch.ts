// Pure helpers of the diff review: turn a candidate's unified diff back into per-file "after" texts, and
// compute the smallest replacement that applies it (so Accept is one small undo step, not a whole-file swap).
// No vscode here: unit-tested in test/unit/extension/.
import { normalizeEditPath } from '../../core/agent';
import { vcsFolderIn } from '../../core/edits';

// Splitting a diff into files and applying one lives in the core (a follow-up's diff is rebuilt there too).
export { applyFilePatch, splitPatchByFile, type FilePatch } from '../../core/edits';

/**
 * Why a candidate's file must never be written by Accept: outside the workspace folder, or inside its
 * .git/, .hg/ or .svn/ (an edit there can make git run a command). Undefined for an ordinary path. The agent
 * already refuses such edits; this holds for any diff that reaches the review.
 */
export function refusedPath(path: string): { kind: 'outside' } | { kind: 'vcs'; folder: string } | undefined {
  if (normalizeEditPath(path) === undefined) return { kind: 'outside' };
  const folder = vcsFolderIn(path);
  return folder ? { kind: 'vcs', folder } : undefined;
}

export interface Replacement {
  /** Offsets into `before`. */
  start: number;
  end: number;
  text: string;
}

/** The smallest single replacement turning `before` into `after` (common prefix and suffix kept). */
export function minimalReplacement(before: string, after: string): Replacement {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) { endB--; endA--; }
  // Don't split a CRLF or a surrogate pair across the boundary.
  while (start > 0 && (isLowSurrogate(before.charCodeAt(start)) || (before[start - 1] === '\r' && before[start] === '\n'))) start--;
  return { start, end: endB, text: after.slice(start, endA) };
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** What the agent read of one file, captured when it read it: the text the candidate was verified against. */
export interface ReadRecord {
  text: string;
  /** The editor document's version, when the file was open; undefined when it was read from disk. */
  version?: number;
}

export interface CurrentDocument {
  text: string;
  version?: number;
}

/**
 * Whether the user's file still is what was verified. An open document compares by version (any keystroke
 * bumps it, even one undone); a file read from disk compares by text.
 */
export function isUnchanged(read: ReadRecord, now: CurrentDocument): boolean {
  if (read.version !== undefined && now.version !== undefined) return read.version === now.version && read.text === now.text;
  return read.text === now.text;
}
