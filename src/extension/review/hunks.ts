// A file's change as hunks the user can decide one by one, and the text that results from a choice of them.
// Pure (no vscode): the review controller draws the hunks in the editor and unit tests check the texts.
import { diffArrays } from 'diff';

export interface Hunk {
  index: number;
  /** 0-based first line of `before` that the hunk replaces (for an insertion: the line it goes before). */
  oldStart: number;
  /** How many lines of `before` it replaces (0 for a pure insertion). */
  oldLines: number;
  removed: string[];
  added: string[];
}

export type HunkDecision = 'accepted' | 'rejected';

/** The change from `before` to `after` as hunks without context, so neighbouring edits stay separate. */
export function fileHunks(before: string, after: string): Hunk[] {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  const hunks: Hunk[] = [];
  let line = 0;
  let open: Hunk | undefined;
  for (const part of diffArrays(a, b)) {
    if (!part.added && !part.removed) { open = undefined; line += part.value.length; continue; }
    if (!open) { open = { index: hunks.length, oldStart: line, oldLines: 0, removed: [], added: [] }; hunks.push(open); }
    if (part.removed) { open.removed.push(...part.value); open.oldLines += part.value.length; line += part.value.length; } else open.added.push(...part.value);
  }
  return hunks;
}

/**
 * `before` with the chosen hunks applied. All hunks accepted gives exactly `after` (the verified text); any
 * other choice gives a text that was never tested, which the caller must verify before applying.
 */
export function applyHunks(before: string, hunks: readonly Hunk[], accepted: ReadonlySet<number>): string {
  const eol = before.includes('\r\n') ? '\r\n' : '\n';
  const lines = before.split(/\r?\n/);
  // Apply from the bottom, so earlier indices stay valid.
  for (const h of [...hunks].sort((a, b) => b.oldStart - a.oldStart)) {
    if (!accepted.has(h.index)) continue;
    lines.splice(h.oldStart, h.oldLines, ...h.added);
  }
  return lines.join(eol);
}

/** Whether the decisions select every hunk (the verified text) and whether every hunk is decided. */
export function decisionState(hunks: readonly Hunk[], decisions: ReadonlyMap<number, HunkDecision>): { complete: boolean; all: boolean; none: boolean } {
  const decided = hunks.filter((h) => decisions.has(h.index));
  const accepted = hunks.filter((h) => decisions.get(h.index) === 'accepted');
  return { complete: decided.length === hunks.length, all: accepted.length === hunks.length, none: accepted.length === 0 };
}

/** The hunks still proposed: every one the user has not rejected. */
export function shownHunks(hunks: readonly Hunk[], decisions: ReadonlyMap<number, HunkDecision>): Set<number> {
  return new Set(hunks.filter((h) => decisions.get(h.index) !== 'rejected').map((h) => h.index));
}

/**
 * Where each hunk starts (0-based) in the text the review shows: `before` with every hunk not rejected applied
 * (applyHunks with shownHunks). A rejected hunk's line is where its old text is, unchanged.
 */
export function shownStarts(hunks: readonly Hunk[], decisions: ReadonlyMap<number, HunkDecision>): Map<number, number> {
  const starts = new Map<number, number>();
  let offset = 0;
  for (const h of [...hunks].sort((a, b) => a.oldStart - b.oldStart)) {
    starts.set(h.index, h.oldStart + offset);
    if (decisions.get(h.index) !== 'rejected') offset += h.added.length - h.oldLines;
  }
  return starts;
}
