// Goal checks of the acceptance policy (decide.ts): an edit must do what the task named, beyond "the tests
// pass". Implement Function must change the body of the function it names (an edit to a neighbour that happens
// to pass the tests is not it). Pure.
import { structuredPatch } from 'diff';
import { msg, type Message } from '../messages';

import type { LineSpan, SymbolSpan } from './evidence';
export type { LineSpan, SymbolSpan };

const DECL = (name: string): RegExp => {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // function n(, def n(, func n(, fn n(, n(…) {, n = (…) =>, n: function, async n(
  return new RegExp(`(?:\\b(?:function\\*?|def|func|fn|sub)\\s+${n}\\b)|(?:^\\s*(?:export\\s+)?(?:async\\s+)?(?:static\\s+)?(?:public\\s+|private\\s+|protected\\s+)?${n}\\s*\\()|(?:\\b(?:const|let|var)\\s+${n}\\s*=)|(?:^\\s*${n}\\s*[:=]\\s*(?:async\\s*)?(?:function|\\())`);
};

const indentOf = (line: string): number => line.length - line.trimStart().length;

/**
 * Where the function named `name` is in `text`, found by its declaration line, when the context engine
 * cannot say: from the declaration to the first later line indented no deeper (its closing brace, or for
 * Python the next statement at its level, which is excluded).
 */
export function functionRange(text: string, name: string): LineSpan | undefined {
  const lines = text.split('\n');
  const re = DECL(name);
  const start = lines.findIndex((l) => re.test(l));
  if (start < 0) return undefined;
  const base = indentOf(lines[start]);
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() === '') continue;
    if (indentOf(l) <= base) {
      const closes = /^\s*[})\]]|^\s*end\b/.test(l);
      return { startLine: start + 1, endLine: closes ? i + 1 : i };
    }
  }
  return { startLine: start + 1, endLine: lines.length };
}

/**
 * Whether turning `before` into `after` changes any line of `span` (lines of `before`): a replaced or
 * removed line inside it, or lines inserted between its first and last line.
 */
export function touchesLines(before: string, after: string, startLine: number, endLine: number): boolean {
  const patch = structuredPatch('a', 'b', before, after, '', '', { context: 0 });
  return patch.hunks.some((h) => {
    if (h.oldLines === 0) return h.oldStart >= startLine && h.oldStart < endLine; // insertion after line oldStart
    const last = h.oldStart + h.oldLines - 1;
    return h.oldStart <= endLine && last >= startLine;
  });
}

/**
 * Implement Function: the edit must change the body of the function it names. Returns why not, or undefined
 * when it does. `spans` are the definitions the context engine found; without them, the declaration is found in
 * each changed file's text.
 */
export function implementRejection(symbol: string, changes: readonly { path: string; before?: string; after: string }[], spans?: readonly SymbolSpan[]): Message | undefined {
  let defs = (spans ?? []).filter((d) => changes.some((ch) => ch.path === d.path));
  if (defs.length === 0) {
    defs = changes.flatMap((ch) => {
      const r = ch.before ? functionRange(ch.before, symbol) : undefined;
      return r ? [{ path: ch.path, ...r }] : [];
    });
  }
  // The function is in no changed file (or could not be found there): the edit implemented something else.
  if (defs.length === 0) return msg('symbolUntouched', symbol);
  const hit = defs.some((d) => {
    const ch = changes.find((x) => x.path === d.path)!;
    return touchesLines(ch.before ?? '', ch.after, d.startLine, d.endLine);
  });
  return hit ? undefined : msg('bodyUntouched', changes.map((ch) => ch.path).join(', '), symbol);
}
