// What the index keeps per file: its tags and imports, computed from one parse.
import { createHash } from 'node:crypto';
import type { Node, QueryMatch, Tree } from 'web-tree-sitter';
import type { LanguageId } from './languages';
import { loadAnalysisQuery, parserFor } from './languages';
import { importsFromNodes, type ImportRecord } from './imports';
import { bindingsFromMatches, compareBindings, compareTags, overlaps, rangeOptions, recoveredDeclarations, tagsFromMatches, type Binding, type RowRange, type Tag } from './tags';

export interface FileAnalysis {
  lang: LanguageId;
  /** sha1 of the content. */
  hash: string;
  tags: Tag[];
  imports: ImportRecord[];
  /** Declared or implied types of local names and members, for member resolution. */
  bindings?: Binding[];
}

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export async function analyzeTree(lang: LanguageId, tree: Tree, text: string, hash = contentHash(text), lines?: readonly string[]): Promise<FileAnalysis> {
  const { tags, imports, bindings } = await tagsAndImports(lang, tree, text, undefined, lines);
  return bindings.length ? { lang, hash, tags, imports, bindings } : { lang, hash, tags, imports };
}

/** Tags and imports from one run of the combined query (one walk of the tree, not one per query). */
async function tagsAndImports(lang: LanguageId, tree: Tree, text: string, range?: RowRange, lines?: readonly string[]): Promise<{ tags: Tag[]; imports: ImportRecord[]; bindings: Binding[] }> {
  const query = await loadAnalysisQuery(lang);
  if (!query) return { tags: [], imports: [], bindings: [] };
  const tagMatches: QueryMatch[] = [];
  const bindingMatches: QueryMatch[] = [];
  const importNodes: Node[] = [];
  for (const m of query.matches(tree.rootNode, rangeOptions(range))) {
    const imp = m.captures.find((c) => c.name === 'import');
    if (imp) importNodes.push(imp.node);
    else if (m.captures.some((c) => c.name.startsWith('binding'))) bindingMatches.push(m);
    else tagMatches.push(m);
  }
  // Matches come in the order they complete; the imports query's captures came in source order.
  importNodes.sort((a, b) => a.startIndex - b.startIndex);
  return { tags: tagsFromMatches(lang, tree, text, tagMatches, range, lines), imports: importsFromNodes(lang, importNodes, range), bindings: bindingsFromMatches(bindingMatches, range) };
}

/**
 * After an edit that replaced old rows [range.startRow, range.endRow - rowDelta] by new rows `range` (which
 * covers every row whose text or syntax changed): re-reads what overlaps `range` from the new tree, the
 * declarations around the edit included, and keeps the previous analysis elsewhere, shifting what follows.
 * Equals a full analysis of `text` (test/unit/context/incremental.test.ts), at the cost of the edited rows.
 */
export async function reanalyzeRange(previous: FileAnalysis, tree: Tree, text: string, range: RowRange, rowDelta: number, lines: readonly string[] = text.split('\n')): Promise<FileAnalysis> {
  const old: RowRange = { startRow: range.startRow, endRow: range.endRow - rowDelta };
  const after = (row: number) => row > old.endRow;
  const { tags: fresh, imports: freshImports, bindings: freshBindings } = await tagsAndImports(previous.lang, tree, text, range, lines);
  const position = (t: Tag) => t.row * 16777216 + t.column;
  const freshDefs = new Set(fresh.filter((t) => t.role === 'definition').map(position));
  const kept: Tag[] = [];
  const taken = new Set<number>();
  for (const t of previous.tags) {
    if (t.recovered || overlaps(t.startRow, t.endRow, old)) continue;
    const k = rowDelta && after(t.startRow) ? { ...t, row: t.row + rowDelta, startRow: t.startRow + rowDelta, endRow: t.endRow + rowDelta } : t;
    if (k.role === 'definition' && freshDefs.has(position(k))) taken.add(position(k));
    kept.push(k);
  }
  // A definition kept from before wins over a fresh one at its position (a full analysis adds a top-level
  // constant only where the query found no definition; the query's may lie outside the range).
  // Kept tags stay in order (shifting keeps it) and fresh ones come sorted: merged, not sorted again.
  let tags = mergeSorted(kept, taken.size ? fresh.filter((t) => t.role !== 'definition' || !taken.has(position(t))) : fresh, compareTags);
  // The line-level fallback depends on whether the whole tree has errors: redo it over the whole file.
  const recovered = recoveredDeclarations(previous.lang, tree, lines, tags);
  if (recovered.length) tags = mergeSorted(tags, recovered.sort(compareTags), compareTags);
  const imports: ImportRecord[] = [];
  for (const i of previous.imports) {
    if (overlaps(i.startLine - 1, i.endLine - 1, old)) continue;
    imports.push(rowDelta && after(i.startLine - 1) ? { ...i, startLine: i.startLine + rowDelta, endLine: i.endLine + rowDelta } : i);
  }
  imports.push(...freshImports);
  imports.sort((a, b) => a.startLine - b.startLine);
  const bindings: Binding[] = [];
  for (const b of previous.bindings ?? []) {
    if (overlaps(b.row, b.endRow ?? b.row, old)) continue;
    if (!rowDelta || !after(b.row)) bindings.push(b);
    else bindings.push(b.endRow === undefined ? { ...b, row: b.row + rowDelta } : { ...b, row: b.row + rowDelta, endRow: b.endRow + rowDelta });
  }
  bindings.push(...freshBindings);
  bindings.sort(compareBindings);
  const out: FileAnalysis = { lang: previous.lang, hash: contentHash(text), tags, imports };
  if (bindings.length) out.bindings = bindings;
  return out;
}

/** Two lists sorted by `compare`, as one. */
function mergeSorted<T>(a: T[], b: T[], compare: (x: T, y: T) => number): T[] {
  if (!b.length) return a;
  if (!a.length) return b;
  const out: T[] = new Array(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) out[k++] = compare(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/** Parses and analyzes `text`; the tree is freed before returning. */
export async function analyzeText(lang: LanguageId, text: string, hash?: string): Promise<FileAnalysis> {
  const parser = await parserFor(lang);
  const tree = parser.parse(text);
  if (!tree) return { lang, hash: hash ?? contentHash(text), tags: [], imports: [] };
  try {
    return await analyzeTree(lang, tree, text, hash);
  } finally {
    tree.delete();
  }
}
