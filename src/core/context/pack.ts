// Packs snippets into a token budget: in the order given (the caller's priority), skipping a snippet
// whose lines another already covers, trimming the first (cursor) snippet to fit rather than dropping it.
import type { ContextSnippet, PackedContext } from './types';
import { estimateTokens, type TokenCounter } from './tokens';

/** How a snippet appears in a prompt; its tokens are what the budget counts. */
export function renderSnippet(s: ContextSnippet): string {
  const what = s.symbol ? ` ${s.kind} ${s.symbol}` : ` ${s.kind}`;
  return `// ${s.path}:${s.startLine}-${s.endLine}${what}\n${s.text}\n`;
}

/** Kinds whose text lists a few lines of their range (`line: text`), so they cover none of it. */
const lineList = new Set<ContextSnippet['kind']>(['repomap', 'signatures']);

function covers(a: ContextSnippet, b: ContextSnippet): boolean {
  return a.path === b.path && a.startLine <= b.startLine && a.endLine >= b.endLine && !lineList.has(a.kind) && !lineList.has(b.kind);
}

/** Keeps the lines of `s` nearest to `focusLine` that fit in `budget` tokens (lines counted one by one,
 * so a long scope costs one count per line, not one per attempt). */
export function trimToBudget(s: ContextSnippet, focusLine: number, budget: number, count: TokenCounter): ContextSnippet | undefined {
  const lines = s.text.split('\n');
  const header = count(renderSnippet({ ...s, text: '' }));
  const cost = lines.map((l) => count(`${l}\n`));
  let lo = Math.min(Math.max(focusLine - s.startLine, 0), lines.length - 1);
  let hi = lo;
  let used = header + cost[lo];
  if (used > budget) return undefined;
  // Grow around the focus, one line each side in turn, while it fits.
  for (let grew = true; grew;) {
    grew = false;
    if (hi + 1 < lines.length && used + cost[hi + 1] <= budget) { used += cost[++hi]; grew = true; }
    if (lo > 0 && used + cost[lo - 1] <= budget) { used += cost[--lo]; grew = true; }
  }
  return { ...s, startLine: s.startLine + lo, endLine: s.startLine + hi, text: lines.slice(lo, hi + 1).join('\n') };
}

export interface PackOptions {
  budget: number;
  count?: TokenCounter;
  /** 1-based line the first snippet is trimmed around when it alone is over budget. */
  focusLine?: number;
}

export function packSnippets(candidates: ContextSnippet[], options: PackOptions): PackedContext {
  const count = options.count ?? estimateTokens;
  const out: ContextSnippet[] = [];
  const seen = new Set<string>();
  let tokens = 0;
  for (const [i, c] of candidates.entries()) {
    const key = `${c.path}\0${c.startLine}\0${c.endLine}\0${c.text}`;
    if (seen.has(key) || out.some((o) => covers(o, c))) continue;
    let s: ContextSnippet | undefined = c;
    let t = count(renderSnippet(c));
    if (tokens + t > options.budget) {
      if (i !== 0) continue; // a lower-priority snippet that does not fit; smaller ones after it may
      s = trimToBudget(c, options.focusLine ?? c.startLine, options.budget - tokens, count);
      if (!s) continue;
      t = count(renderSnippet(s));
    }
    seen.add(key);
    out.push(s);
    tokens += t;
  }
  return { snippets: out, tokens };
}
