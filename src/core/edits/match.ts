// The fallback chain (docs/architecture.md §4 Edits): exact, then indentation-insensitive (the replacement is re-indented to the
// file), then tolerant of trailing whitespace and blank lines at the block's edges. A level only counts when
// it finds exactly one match; several matches are an error, never a guess.
import { indentOf, isBlank } from './lines';
import type { MatchLevel } from './types';

export type MatchOutcome =
  | { kind: 'unique'; start: number; length: number; level: MatchLevel; replacement: string[] }
  | { kind: 'ambiguous'; starts: number[]; level: MatchLevel }
  | { kind: 'none' };

type Eq = (fileLine: string, searchLine: string) => boolean;

const levels: Array<{ level: MatchLevel; eq: Eq }> = [
  { level: 'exact', eq: (a, b) => a === b },
  { level: 'indentation', eq: (a, b) => a.trimStart() === b.trimStart() },
  { level: 'whitespace', eq: (a, b) => a.trim() === b.trim() },
];

function findAll(file: string[], search: string[], eq: Eq): number[] {
  const out: number[] = [];
  const n = search.length;
  outer: for (let i = 0; i + n <= file.length; i++) {
    for (let k = 0; k < n; k++) if (!eq(file[i + k], search[k])) continue outer;
    out.push(i);
  }
  return out;
}

/** Re-indents the replacement by the indentation difference between the file and the SEARCH text. */
export function reindent(file: string[], start: number, search: string[], replace: string[]): string[] {
  const k0 = search.findIndex((l) => !isBlank(l));
  if (k0 < 0) return replace;
  const filePrefix = indentOf(file[start + k0]);
  const searchPrefix = indentOf(search[k0]);
  if (filePrefix === searchPrefix) return replace;
  return replace.map((r) => {
    if (isBlank(r)) return '';
    const ind = indentOf(r);
    if (ind.startsWith(searchPrefix)) return filePrefix + r.slice(searchPrefix.length);
    const shallower = searchPrefix.length - ind.length;
    return filePrefix.slice(0, Math.max(0, filePrefix.length - shallower)) + r.trimStart();
  });
}

function trimBlankEdges(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && isBlank(lines[a])) a++;
  while (b > a && isBlank(lines[b - 1])) b--;
  return lines.slice(a, b);
}

/**
 * Finds the one place `search` matches in `file`. `lineHint` (1-based, from a diff hunk header) picks
 * the nearest of several equal matches; without it, several matches are ambiguous. `exactOnly` skips the
 * loose levels (for files matched byte for byte).
 */
export function findUniqueMatch(file: string[], search: string[], replace: string[], lineHint?: number, exactOnly = false): MatchOutcome {
  const attempts: Array<{ search: string[]; replace: string[] }> = [{ search, replace }];
  const trimmed = trimBlankEdges(search);
  if (trimmed.length > 0 && trimmed.length !== search.length) attempts.push({ search: trimmed, replace: trimBlankEdges(replace) });
  for (const { level, eq } of exactOnly ? levels.slice(0, 1) : levels) {
    for (const a of attempts) {
      if (a !== attempts[0] && level !== 'whitespace') continue; // edge-trimming belongs to the loosest level
      const starts = findAll(file, a.search, eq);
      if (starts.length === 0) continue;
      let start = starts[0];
      if (starts.length > 1) {
        if (lineHint === undefined) return { kind: 'ambiguous', starts, level };
        start = starts.reduce((best, s) => (Math.abs(s + 1 - lineHint) < Math.abs(best + 1 - lineHint) ? s : best));
      }
      const replacement = level === 'exact' ? a.replace : reindent(file, start, a.search, a.replace);
      return { kind: 'unique', start, length: a.search.length, level, replacement };
    }
  }
  return { kind: 'none' };
}
