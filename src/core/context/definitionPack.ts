// Packs the definitions a scope uses after the scope itself. Every definition first gets its cheapest form,
// so as many as possible are shown: for agent requests one signature line, grouped per file into a
// `signatures` snippet (one label per file instead of one per definition: in a 200-line constructor that calls
// 100 methods, the labels alone would take the budget); for inline requests the definition's header. Then, in
// order of use, definitions are upgraded to their full text (or header) while the budget lasts; a full
// definition drops the others it contains. See docs/architecture.md §3 Context.
import type { ContextSnippet, PackedContext } from './types';
import { packSnippets, renderSnippet } from './pack';
import type { TokenCounter } from './tokens';

export interface PackableDefinition {
  /** The definition's text, capped (what an upgrade shows). */
  full: ContextSnippet;
  /** Its header (signature lines, body elided); `full` itself when short. */
  header: ContextSnippet;
  /** 0-based row of its name and the one line that stands for it in a `signatures` snippet. */
  row: number;
  line: string;
  /** Overloads right after it (`pipe<A>(this: A): A` then `pipe<A, B>(…)`): a call may mean any of them. */
  overloads?: { row: number; line: string }[];
}

/** The lines a definition shows in a `signatures` snippet. */
export function entryLines(d: PackableDefinition): { row: number; line: string }[] {
  return [{ row: d.row, line: d.line }, ...(d.overloads ?? [])];
}

export interface DefinitionPackOptions {
  budget: number;
  count: TokenCounter;
  focusLine: number;
  /** One signature line per definition, grouped per file (agent requests); else headers (inline). */
  signatures: boolean;
}

const contains = (a: { path: string; startLine: number; endLine: number }, path: string, start: number, end: number) => a.path === path && a.startLine <= start && end <= a.endLine;

/** A `signatures` snippet: the lines of the definitions of one file, each as `line: text`. */
export function signaturesSnippet(path: string, entries: { row: number; line: string }[]): ContextSnippet {
  const sorted = [...entries].sort((a, b) => a.row - b.row);
  return { path, startLine: sorted[0].row + 1, endLine: sorted[sorted.length - 1].row + 1, kind: 'signatures', text: sorted.map((e) => `${e.row + 1}: ${e.line}`).join('\n') };
}

/**
 * `scope`: the cursor's scope (already trimmed to its share) and the outer scopes' headers; `defs` in order
 * of use; `imports` after them. Never over `budget` as `count` measures the rendered snippets.
 */
export function packDefinitions(scope: ContextSnippet[], defs: PackableDefinition[], imports: ContextSnippet[], o: DefinitionPackOptions): PackedContext {
  const base = packSnippets(scope, { budget: o.budget, count: o.count, focusLine: o.focusLine });
  const cost = (s: ContextSnippet) => o.count(renderSnippet(s));
  // A definition the scope's snippets already show needs no other.
  const visible = (d: PackableDefinition) => base.snippets.some((s) => contains(s, d.full.path, d.row + 1, d.row + 1));
  const candidates = defs.filter((d) => !visible(d));
  // The cheapest form of each definition, in order of use, while it fits. A group's label is counted with
  // wide line numbers, so its real cost is never more.
  let used = base.tokens;
  const form = new Map<PackableDefinition, ContextSnippet | 'line'>();
  const lineCost = new Map<PackableDefinition, number>();
  const groupSize = new Map<string, number>();
  const labelCost = (path: string) => cost({ path, startLine: 99999999, endLine: 99999999, kind: 'signatures', text: '' });
  for (const d of candidates) {
    if (o.signatures) {
      const c = entryLines(d).reduce((a, e) => a + o.count(`${e.row + 1}: ${e.line}\n`), 0);
      const open = (groupSize.get(d.full.path) ?? 0) === 0 ? labelCost(d.full.path) : 0;
      if (used + c + open > o.budget) continue;
      used += c + open;
      lineCost.set(d, c);
      groupSize.set(d.full.path, (groupSize.get(d.full.path) ?? 0) + 1);
      form.set(d, 'line');
    } else {
      const c = cost(d.header);
      if (used + c > o.budget) continue;
      used += c;
      form.set(d, d.header);
    }
  }
  const importsKept: ContextSnippet[] = [];
  for (const s of imports) {
    const c = cost(s);
    if (base.snippets.some((b) => contains(b, s.path, s.startLine, s.endLine)) || used + c > o.budget) continue;
    used += c;
    importsKept.push(s);
  }
  const costOf = (d: PackableDefinition): number => {
    const f = form.get(d)!;
    if (f !== 'line') return cost(f);
    return lineCost.get(d)! + (groupSize.get(d.full.path) === 1 ? labelCost(d.full.path) : 0);
  };
  const drop = (d: PackableDefinition) => {
    used -= costOf(d);
    if (form.get(d) === 'line') groupSize.set(d.full.path, groupSize.get(d.full.path)! - 1);
    form.delete(d);
  };
  // Upgrades, in order of use: the full text, else the header, when the budget has room for it once the
  // definitions it contains are dropped.
  for (const d of candidates) {
    if (!form.has(d)) continue;
    const current = form.get(d)!;
    if (current === d.full) continue;
    if ([...form].some(([o2, f]) => o2 !== d && f !== 'line' && contains(f, d.full.path, d.full.startLine, d.full.endLine))) continue;
    for (const next of current === 'line' ? [d.full, d.header] : [d.full]) {
      if (next === current || (next !== d.full && next.endLine === next.startLine && current === 'line')) continue; // a one-line header adds nothing to its line
      // What `next` shows already: a signature line it holds, a header or full text within it.
      const inside = [...form].filter(([x, f]) => x !== d && (f === 'line' ? entryLines(x).every((e) => contains(next, x.full.path, e.row + 1, e.row + 1)) : contains(next, f.path, f.startLine, f.endLine))).map(([x]) => x);
      const freed = inside.reduce((a, x) => a + costOf(x), 0);
      const delta = cost(next) - costOf(d);
      if (used + delta - freed > o.budget) continue;
      for (const x of inside) drop(x);
      drop(d);
      form.set(d, next);
      used += cost(next);
      break;
    }
  }
  // Assembled in order of use; a file's signatures go where its first one would.
  const out = [...base.snippets];
  const groups = new Map<string, PackableDefinition[]>();
  for (const d of candidates) {
    const f = form.get(d);
    if (f === 'line') {
      const g = groups.get(d.full.path);
      if (g) { g.push(d); continue; }
      groups.set(d.full.path, [d]);
      out.push(signaturesSnippet(d.full.path, entryLines(d)));
    } else if (f) out.push(f);
  }
  for (let i = base.snippets.length; i < out.length; i++) {
    const s = out[i];
    if (s.kind === 'signatures') out[i] = signaturesSnippet(s.path, groups.get(s.path)!.flatMap(entryLines));
  }
  out.push(...importsKept);
  // The counter need not be additive (a real tokenizer): measure the result, and drop from the end until it fits.
  let tokens = out.reduce((a, s) => a + cost(s), 0);
  while (tokens > o.budget && out.length > base.snippets.length) tokens -= cost(out.pop()!);
  return { snippets: out, tokens };
}
