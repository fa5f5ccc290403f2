// What the index keeps per file: its tags and imports, computed from one parse.
import { createHash } from 'node:crypto';
import type { Node, QueryMatch, Tree } from 'web-tree-sitter';
import type { LanguageId } from './languages';
import { loadAnalysisQuery, parserFor } from './languages';
import { importsFromNodes, type ImportRecord } from './imports';
import { bindingsFromMatches, rangeOptions, recoveredDeclarations, tagsFromMatches, type Binding, type RowRange, type Tag } from './tags';

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

export async function analyzeTree(lang: LanguageId, tree: Tree, text: string, hash = contentHash(text)): Promise<FileAnalysis> {
  const { tags, imports, bindings } = await tagsAndImports(lang, tree, text);
  return bindings.length ? { lang, hash, tags, imports, bindings } : { lang, hash, tags, imports };
}

/** Tags and imports from one run of the combined query (one walk of the tree, not one per query). */
async function tagsAndImports(lang: LanguageId, tree: Tree, text: string, range?: RowRange): Promise<{ tags: Tag[]; imports: ImportRecord[]; bindings: Binding[] }> {
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
  return { tags: tagsFromMatches(lang, tree, text, tagMatches, range), imports: importsFromNodes(lang, importNodes, range), bindings: bindingsFromMatches(bindingMatches, range) };
}

/**
 * After an edit that replaced old rows [editStartRow, oldEndRow] by new rows [editStartRow, newEndRow]:
 * re-reads only `range` (new rows, covering the edit) and keeps the previous analysis elsewhere, shifting
 * the rows after the edit.
 */
export async function reanalyzeRange(previous: FileAnalysis, tree: Tree, text: string, range: RowRange, rowDelta: number): Promise<FileAnalysis> {
  const oldEnd = range.endRow - rowDelta;
  const shift = <T extends { startRow: number; endRow: number }>(t: T, by: number): T => (by === 0 ? t : { ...t, startRow: t.startRow + by, endRow: t.endRow + by });
  const { tags: fresh, imports: freshImports, bindings: freshBindings } = await tagsAndImports(previous.lang, tree, text, range);
  const tags: Tag[] = [];
  for (const t of previous.tags) {
    if (t.row < range.startRow && t.endRow < range.startRow) tags.push(t);
    else if (t.row > oldEnd && t.startRow > oldEnd) tags.push(rowDelta ? { ...shift(t, rowDelta), row: t.row + rowDelta } : t);
  }
  tags.push(...fresh);
  // The line-level fallback depends on whether the whole tree has errors: redo it over the whole file.
  const parsed = tags.filter((t) => !t.recovered);
  parsed.push(...recoveredDeclarations(previous.lang, tree, text.split('\n'), parsed));
  tags.length = 0;
  tags.push(...parsed);
  tags.sort((a, b) => a.row - b.row || a.column - b.column);
  const imports: ImportRecord[] = [];
  for (const i of previous.imports) {
    if (i.endLine - 1 < range.startRow) imports.push(i);
    else if (i.startLine - 1 > oldEnd) imports.push(rowDelta ? { ...i, startLine: i.startLine + rowDelta, endLine: i.endLine + rowDelta } : i);
  }
  imports.push(...freshImports);
  imports.sort((a, b) => a.startLine - b.startLine);
  const bindings: Binding[] = [];
  for (const b of previous.bindings ?? []) {
    if (b.row < range.startRow) bindings.push(b);
    else if (b.row > oldEnd) bindings.push(rowDelta ? { ...b, row: b.row + rowDelta } : b);
  }
  bindings.push(...freshBindings);
  bindings.sort((a, b) => a.row - b.row);
  const out: FileAnalysis = { lang: previous.lang, hash: contentHash(text), tags, imports };
  if (bindings.length) out.bindings = bindings;
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
