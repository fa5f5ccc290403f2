// Applies edit blocks to one file's text, in memory. Blocks may come in any order: a block that does not
// apply yet is retried after the others (it may depend on them). The result is all-or-nothing.
import { closestLines } from './didYouMean';
import { blockLines, dominantEol, joinLines, splitLines, type LineText } from './lines';
import { findUniqueMatch } from './match';
import type { ApplyFailure, MatchLevel, ParsedEditBlock } from './types';

export type TextApplyResult =
  | { ok: true; text: string; levels: MatchLevel[] }
  | { ok: false; failures: ApplyFailure[] };

export interface TextApplyOptions {
  /** For messages only. */
  path?: string;
  /** Index of blocks[0] in the whole reply, so messages say "block 3" for the third block overall. */
  firstIndex?: number;
  /** The block indexes (in the reply) of `blocks`, when they are not consecutive. */
  indexes?: number[];
  /** Only exact matches (the text is a non-UTF-8 file's bytes, one char per byte). */
  exactOnly?: boolean;
}

const BOM = '\ufeff';
// A UTF-8 BOM seen in byte space (a non-UTF-8 file decoded one char per byte).
const BOM_BYTES = '\u00ef\u00bb\u00bf';

/**
 * `before` undefined means the file does not exist. An empty SEARCH creates the file, and is refused on a
 * file that exists with content.
 */
export function applyBlocksToText(before: string | undefined, blocks: ParsedEditBlock[], opts: TextApplyOptions = {}): TextApplyResult {
  // A byte-order mark is not part of line 1: it is set aside, so an edit to line 1 matches exactly and keeps it.
  const bom = before === undefined ? '' : before.startsWith(BOM) ? BOM : opts.exactOnly && before.startsWith(BOM_BYTES) ? BOM_BYTES : '';
  if (bom) {
    const strip = (t: string) => (t.startsWith(bom) ? t.slice(bom.length) : t);
    const r = applyBlocksToText(before!.slice(bom.length), blocks.map((b) => ({ ...b, search: strip(b.search), replace: strip(b.replace) })), opts);
    return r.ok ? { ...r, text: bom + r.text } : r;
  }
  const indexOf = (k: number): number => opts.indexes?.[k] ?? (opts.firstIndex ?? 0) + k;
  const where = opts.path ? ` in ${opts.path}` : '';
  let text = before ?? '';
  const levels: MatchLevel[] = [];
  let pending = blocks.map((b, k) => ({ b, k }));
  let lastFailures: ApplyFailure[] = [];
  while (pending.length > 0) {
    const next: typeof pending = [];
    const failures: ApplyFailure[] = [];
    for (const { b, k } of pending) {
      const r = applyOne(text, before === undefined && text === '', b, opts.exactOnly === true);
      if (r.ok) {
        text = r.text;
        levels[k] = r.level;
      } else {
        next.push({ b, k });
        failures.push({ blockIndex: indexOf(k), path: opts.path ?? b.path, reason: r.reason, message: `block ${indexOf(k) + 1}${where}: ${r.message}` });
      }
    }
    if (next.length === pending.length) { lastFailures = failures; break; }
    pending = next;
  }
  if (lastFailures.length > 0) return { ok: false, failures: lastFailures };
  return { ok: true, text, levels };
}

type OneResult = { ok: true; text: string; level: MatchLevel } | { ok: false; reason: ApplyFailure['reason']; message: string };

function applyOne(text: string, missing: boolean, b: ParsedEditBlock, exactOnly: boolean): OneResult {
  const search = blockLines(b.search);
  const replace = blockLines(b.replace);
  if (search.length === 0 || search.every((l) => l.trim() === '')) {
    if (text.trim() !== '') {
      return { ok: false, reason: 'create-on-existing', message: 'the SEARCH section is empty, which creates a new file, but the file already exists and is not empty. Put the lines to change in SEARCH.' };
    }
    // A new file gets LF endings and a final newline, like the block text itself.
    return { ok: true, text: b.replace.replace(/\r\n/g, '\n'), level: 'exact' };
  }
  if (missing) {
    return { ok: false, reason: 'not-found', message: 'the file does not exist, so its SEARCH text cannot be found. Use an empty SEARCH section to create a file.' };
  }
  const t = splitLines(text);
  const m = findUniqueMatch(t.lines, search, replace, b.lineHint, exactOnly);
  if (m.kind === 'ambiguous') {
    const at = m.starts.slice(0, 5).map((s) => s + 1).join(', ');
    return { ok: false, reason: 'ambiguous', message: `the SEARCH text matches ${m.starts.length} places (lines ${at}${m.starts.length > 5 ? ', …' : ''}); it must match exactly one. Add surrounding lines to SEARCH to make it unique.` };
  }
  if (m.kind === 'none') {
    if (replace.length > 0 && findUniqueMatch(t.lines, replace, replace, undefined, exactOnly).kind !== 'none') {
      return { ok: false, reason: 'already-applied', message: 'the SEARCH text was not found, and the REPLACE text is already in the file: this edit seems to be applied already.' };
    }
    const near = closestLines(t.lines, search);
    const hint = near
      ? ` Did you mean these lines (${near.startLine}-${near.endLine})?\n${near.lines.join('\n')}`
      : ' No similar lines were found.';
    return { ok: false, reason: 'not-found', message: `the SEARCH text was not found.${hint}` };
  }
  return { ok: true, text: splice(t, m.start, m.length, m.replacement), level: m.level };
}

function splice(t: LineText, start: number, length: number, replacement: string[]): string {
  const eol = dominantEol(t);
  const endsFile = start + length === t.lines.length;
  const lastEol = length > 0 ? t.eols[start + length - 1] : eol;
  const newEols = replacement.map((_, i) => (i === replacement.length - 1 && endsFile ? lastEol : eol));
  // Keep the original terminators of the lines we keep in place; only new lines get the dominant one.
  for (let i = 0; i < Math.min(length, replacement.length) - (endsFile ? 1 : 0); i++) newEols[i] = t.eols[start + i];
  const lines = [...t.lines.slice(0, start), ...replacement, ...t.lines.slice(start + length)];
  const eols = [...t.eols.slice(0, start), ...newEols, ...t.eols.slice(start + length)];
  // Deleting the last line of a file without a final newline: the new last line loses its terminator.
  if (replacement.length === 0 && endsFile && lastEol === '' && start > 0) eols[start - 1] = '';
  return joinLines({ lines, eols });
}
