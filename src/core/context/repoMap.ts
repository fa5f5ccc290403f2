// The repo map: files ranked by personalized PageRank over the reference graph (file A -> file B when A
// uses a name B defines, or imports B), biased to the current file and the task's words; then their
// definitions ranked by the rank flowing into them, rendered as an outline of signatures in a budget.
// After Aider's repo map (https://aider.chat/docs/repomap.html).
import type { ContextSnippet } from './types';
import type { SymbolIndex } from './symbolIndex';
import type { Tag } from './tags';
import { renderSnippet } from './pack';
import { estimateTokens, type TokenCounter } from './tokens';
import { languageFamily } from './languages';

export interface RepoMapOptions {
  /** Files the user is looking at: PageRank restarts there. */
  focusFiles?: string[];
  /** Words from the task ("fix the tokenizer cache"): matching names and paths are boosted. */
  taskWords?: string[];
  budget: number;
  count?: TokenCounter;
  /** Files left out of the rendered map (their content is already in the prompt). */
  exclude?: string[];
}

export interface RankedDefinition { file: string; tag: Tag; rank: number }

/** Lower-cased words of an identifier or phrase: `parseHTTPRequest_v2` -> parse, http, request, v2. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 2);
}

const stop = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'from', 'into', 'to', 'of', 'in', 'on', 'a', 'an', 'is', 'it', 'be', 'by', 'fix', 'add', 'make', 'use', 'when', 'not', 'should']);

export function pagerank(n: number, edges: Map<number, Map<number, number>>, personal: Float64Array, iterations = 30, damping = 0.85): Float64Array {
  let rank = Float64Array.from(personal);
  const outSum = new Float64Array(n);
  for (const [from, tos] of edges) for (const w of tos.values()) outSum[from] += w;
  for (let it = 0; it < iterations; it++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let i = 0; i < n; i++) if (outSum[i] === 0) dangling += rank[i];
    for (const [from, tos] of edges) {
      const r = rank[from] / outSum[from];
      for (const [to, w] of tos) next[to] += damping * r * w;
    }
    for (let i = 0; i < n; i++) next[i] += (damping * dangling + (1 - damping)) * personal[i];
    rank = next;
  }
  return rank;
}

/** Definitions ranked for the map (highest first). */
export function rankDefinitions(index: SymbolIndex, options: Pick<RepoMapOptions, 'focusFiles' | 'taskWords'>): { files: { file: string; rank: number }[]; definitions: RankedDefinition[] } {
  const files = index.files;
  const id = new Map(files.map((f, i) => [f, i]));
  const task = new Set((options.taskWords ?? []).flatMap(words).filter((w) => !stop.has(w)));
  const nameWeight = (name: string, definers: number): number => {
    let w = 1;
    if (task.size && words(name).some((x) => task.has(x))) w *= 10;
    if (name.length >= 8 && /[a-z][A-Z]|_/.test(name)) w *= 2; // specific names say more than `get`
    if (name.startsWith('_')) w *= 0.1;
    if (definers > 5) w *= 0.1; // defined everywhere (toString, run): weak evidence
    return w;
  };
  const edges = new Map<number, Map<number, number>>();
  // Which (definer file, name) each edge carries, to hand rank on to the definitions afterwards.
  const via = new Map<number, { to: number; name: string; w: number }[]>();
  const addEdge = (from: number, to: number, w: number, name?: string) => {
    if (from === to) return;
    let m = edges.get(from);
    if (!m) edges.set(from, (m = new Map()));
    m.set(to, (m.get(to) ?? 0) + w);
    if (name) {
      let v = via.get(from);
      if (!v) via.set(from, (v = []));
      v.push({ to, name, w });
    }
  };
  const graph = index.importGraph();
  for (const [i, f] of files.entries()) {
    const e = index.entry(f);
    if (!e) continue;
    const refCounts = new Map<string, number>();
    for (const t of e.tags) if (t.role === 'reference') refCounts.set(t.name, (refCounts.get(t.name) ?? 0) + 1);
    const family = languageFamily(f);
    for (const [name, n] of refCounts) {
      const defs = index.definitions(name).filter((d) => languageFamily(d.file) === family);
      if (!defs.length) continue;
      const definers = new Set(defs.map((d) => d.file));
      const w = nameWeight(name, definers.size) * Math.sqrt(n);
      for (const d of definers) { const to = id.get(d); if (to !== undefined) addEdge(i, to, w / definers.size, name); }
    }
    for (const imp of graph.importsOf(f)) { const to = id.get(imp); if (to !== undefined) addEdge(i, to, 0.5); }
  }
  const personal = new Float64Array(files.length);
  let mass = 0;
  for (const f of options.focusFiles ?? []) { const i = id.get(f); if (i !== undefined) { personal[i] += 10; mass += 10; } }
  if (task.size) {
    for (const [i, f] of files.entries()) if (words(f).some((w) => task.has(w))) { personal[i] += 1; mass += 1; }
  }
  if (mass === 0) { personal.fill(1); mass = files.length; }
  for (let i = 0; i < personal.length; i++) personal[i] /= mass || 1;
  const rank = pagerank(files.length, edges, personal);

  // Each file's rank flows along its edges to the definitions that received the references.
  const defRank = new Map<string, number>();
  for (const [from, list] of via) {
    const out = [...edges.get(from)!.values()].reduce((a, b) => a + b, 0);
    for (const { to, name, w } of list) {
      const key = `${to}\0${name}`;
      defRank.set(key, (defRank.get(key) ?? 0) + (rank[from] * w) / out);
    }
  }
  const definitions: RankedDefinition[] = [];
  for (const [i, f] of files.entries()) {
    const e = index.entry(f);
    if (!e) continue;
    for (const t of e.tags) {
      if (t.role !== 'definition') continue;
      // Unreferenced definitions still rank a little by their file's rank (top-level ones first).
      const r = (defRank.get(`${i}\0${t.name}`) ?? 0) + rank[i] * (t.startRow === t.row ? 0.01 : 0.005);
      definitions.push({ file: f, tag: t, rank: task.size && words(t.name).some((x) => task.has(x)) ? r * 2 : r });
    }
  }
  definitions.sort((a, b) => b.rank - a.rank || a.file.localeCompare(b.file) || a.tag.row - b.tag.row);
  return { files: files.map((file, i) => ({ file, rank: rank[i] })).sort((a, b) => b.rank - a.rank), definitions };
}

function outline(defs: RankedDefinition[]): ContextSnippet[] {
  const byFile = new Map<string, RankedDefinition[]>();
  for (const d of defs) {
    let l = byFile.get(d.file);
    if (!l) byFile.set(d.file, (l = []));
    l.push(d);
  }
  const out: ContextSnippet[] = [];
  for (const [file, list] of byFile) {
    const seen = new Set<number>();
    const sorted = list.filter((d) => (seen.has(d.tag.row) ? false : (seen.add(d.tag.row), true))).sort((a, b) => a.tag.row - b.tag.row);
    out.push({
      path: file,
      startLine: sorted[0].tag.row + 1,
      endLine: sorted[sorted.length - 1].tag.row + 1,
      kind: 'repomap',
      text: sorted.map((d) => `${String(d.tag.row + 1).padStart(5)}: ${d.tag.signature || d.tag.name}`).join('\n'),
    });
  }
  return out;
}

/** The ranked outline as snippets (one per file, best file first) within `budget` tokens. */
export function buildRepoMap(index: SymbolIndex, options: RepoMapOptions): { snippets: ContextSnippet[]; tokens: number } {
  const count = options.count ?? estimateTokens;
  const exclude = new Set(options.exclude ?? []);
  const ranked = rankDefinitions(index, options).definitions.filter((d) => !exclude.has(d.file));
  const cost = (snips: ContextSnippet[]) => snips.reduce((a, s) => a + count(renderSnippet(s)), 0);
  // The largest prefix of ranked definitions whose outline fits: binary search on its length.
  let lo = 0;
  let hi = Math.min(ranked.length, 4000);
  let best: ContextSnippet[] = [];
  let bestTokens = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const snips = outline(ranked.slice(0, mid));
    const t = cost(snips);
    if (t <= options.budget) { best = snips; bestTokens = t; lo = mid + 1; } else hi = mid - 1;
  }
  return { snippets: best, tokens: bestTokens };
}

export function renderRepoMap(snippets: ContextSnippet[]): string {
  return snippets.map((s) => `${s.path}:\n${s.text}`).join('\n');
}
