// The workspace symbol index: tags and imports per file, a name -> definitions table, and the import
// graph. Built in chunks that yield to the event loop (a 10,000-file workspace never blocks the host),
// cached on disk by content hash, and kept current on edits (tree.edit + incremental reparse of the
// open document) and on file-system changes.
import { promises as fs } from 'node:fs';
import { join, posix } from 'node:path';
import { Edit, type Node, type Tree } from 'web-tree-sitter';
import type { IDisposable } from '../util';
import { languageForPath, parserFor, type LanguageId } from './languages';
import { analyzeText, analyzeTree, contentHash, reanalyzeRange, type FileAnalysis } from './fileAnalysis';
import { DiskCache, defaultCacheDir } from './diskCache';
import { AnalysisPool, defaultWorkerCount } from './analysisPool';
import { findGoModules, importGraphFromImports, isSourceFile, type ResolvingImportGraph } from './importGraph';
import type { Tag } from './tags';
import { looksBinary, walkWorkspace, defaultMaxFileBytes, type WalkOptions } from './walk';
import { yieldToEventLoop } from './yieldToEventLoop';
import { changedSpan, pointAt } from '../syntax';

export interface SymbolIndexOptions {
  /** Where the disk cache lives; false disables it. Default: ~/.cache/qwq-coder/context. */
  cacheDir?: string | false;
  walk?: WalkOptions;
  /** Longest stretch of synchronous work between yields to the event loop. */
  sliceMs?: number;
  /** How many edited documents keep a live tree for incremental reparsing. */
  liveTrees?: number;
  /** Worker threads for full builds (0: parse on this thread, in slices). Default: the cores, at most 4. */
  workers?: number;
}

export interface DefinitionLocation {
  file: string;
  tag: Tag;
}

export interface BuildStats {
  files: number;
  parsed: number;
  fromCache: number;
  skipped: number;
  ms: number;
}

/** One text change, as editors report it: replace [start, start+oldLength) by `text` (UTF-16 offsets). */
export interface TextChange {
  start: number;
  oldLength: number;
  text: string;
}

/** An open document: its text, its tree, and its lines (kept per edit, sharing the unchanged ones). */
interface LiveDoc { text: string; tree: Tree; lines: string[] }

/** `lines` after one change: rows [startRow, oldEndRow] replaced by the new text's rows [startRow, newEndRow]. */
function spliceLines(lines: string[], text: string, lineStart: number, startRow: number, oldEndRow: number, newEndRow: number): string[] {
  let end = lineStart;
  for (let r = startRow; r <= newEndRow; r++) {
    const nl = text.indexOf('\n', end);
    end = nl === -1 ? text.length : nl + 1;
  }
  const changed = text.slice(lineStart, text[end - 1] === '\n' ? end - 1 : end).split('\n');
  return lines.slice(0, startRow).concat(changed, lines.slice(oldEndRow + 1));
}

/** What the import graph depends on: the imports' specifiers and names (not their rows). */
function importsKey(a: FileAnalysis | undefined): string {
  return a ? a.imports.map((i) => `${i.specifier}\0${i.names.join(',')}`).join('\n') : '';
}

/** From this size a file changed on disk is analyzed in a worker thread (updateFile). */
const poolFileBytes = 32 * 1024;

/** How old an import graph may be while a build is adding files (importGraph). */
const graphMaxStaleMs = 1000;

function byFileAndRow(a: DefinitionLocation, b: DefinitionLocation): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.tag.row - b.tag.row;
}

export class SymbolIndex implements IDisposable {
  private readonly entries = new Map<string, FileAnalysis>();
  private readonly defs = new Map<string, DefinitionLocation[]>();
  private readonly live = new Map<string, LiveDoc>();
  private readonly cache: DiskCache | undefined;
  private goModules = new Map<string, string>();
  private graph: ResolvingImportGraph | undefined;
  private readonly sliceMs: number;
  private readonly liveLimit: number;
  private disposed = false;
  private building = 0;
  private graphAt = 0;
  private graphStale = false;

  constructor(readonly root: string, private readonly options: SymbolIndexOptions = {}) {
    this.cache = options.cacheDir === false ? undefined : new DiskCache(options.cacheDir ?? defaultCacheDir(), root);
    // A keystroke waits at most one slice for the event loop (the inline budget is 20 ms in all).
    this.sliceMs = options.sliceMs ?? 4;
    this.liveLimit = options.liveTrees ?? 8;
  }

  get files(): string[] {
    return [...this.entries.keys()].sort();
  }

  entry(rel: string): FileAnalysis | undefined {
    return this.entries.get(rel);
  }

  definitions(name: string): DefinitionLocation[] {
    return this.defs.get(name) ?? [];
  }

  /** Every defined name (unsorted): the composer completes `#symbol:` from it. */
  definitionNames(): IterableIterator<string> {
    return this.defs.keys();
  }

  importGraph(): ResolvingImportGraph {
    // While a build adds files, a graph at most `graphMaxStaleMs` old serves: rebuilding it (every file's imports)
    // for each keystroke's request while hundreds of files arrive would put the whole build on the keystroke path.
    if (this.graph && this.graphStale && (!this.building || performance.now() - this.graphAt > graphMaxStaleMs)) this.graph = undefined;
    if (!this.graph) {
      this.graph = importGraphFromImports(this.files, new Map([...this.entries].map(([f, e]) => [f, e.imports])), this.goModules);
      this.graphAt = performance.now();
      this.graphStale = false;
    }
    return this.graph;
  }

  /** Bumped on every change to an analysis: a result computed at one generation holds until the next. */
  get generation(): number {
    return this.gen;
  }
  private gen = 0;

  private set(rel: string, analysis: FileAnalysis | undefined): void {
    this.gen++;
    const old = this.entries.get(rel);
    // Only the definitions that changed move in the name table: an edit keeps most tag objects as they
    // were (reanalyzeRange), so a keystroke costs its own few definitions, not the file's thousand.
    const before = new Set(old?.tags.filter((t) => t.role === 'definition'));
    const now = new Set(analysis?.tags.filter((t) => t.role === 'definition'));
    for (const t of before) {
      if (now.has(t)) continue;
      const list = this.defs.get(t.name);
      if (!list) continue;
      const i = list.findIndex((d) => d.tag === t);
      if (i >= 0) list.splice(i, 1);
      if (!list.length) this.defs.delete(t.name);
    }
    if (!old !== !analysis || importsKey(old) !== importsKey(analysis)) this.graphStale = true;
    if (!analysis) {
      this.entries.delete(rel);
      return;
    }
    this.entries.set(rel, analysis);
    for (const t of now) {
      if (before.has(t)) continue;
      let list = this.defs.get(t.name);
      if (!list) this.defs.set(t.name, (list = []));
      // In (file, row) order, as a build leaves them: lookups answer the same whatever the edit history.
      const loc = { file: rel, tag: t };
      let i = list.length;
      while (!this.building && i > 0 && byFileAndRow(list[i - 1], loc) > 0) i--; // a build sorts once, at its end
      list.splice(i, 0, loc);
    }
  }

  /** Reads, hashes and analyzes one file (or takes it from the cache). Returns whether it was parsed. */
  private async load(rel: string, abs: string, size: number, mtimeMs: number, pool?: () => AnalysisPool | undefined): Promise<'parsed' | 'cached' | 'skipped'> {
    const lang = languageForPath(rel);
    if (!lang) return 'skipped';
    // An open document's analysis is of its live text, newer than the disk's: a build running beside the
    // keystroke path must not replace it.
    if (this.live.has(rel)) return 'cached';
    const known = await this.cache?.hashFor(rel, size, mtimeMs);
    if (known) {
      const hit = await this.cache!.get(known);
      if (hit && !this.live.has(rel)) { this.set(rel, hit); return 'cached'; }
    }
    let text: string;
    try { text = await fs.readFile(abs, 'utf8'); } catch { this.set(rel, undefined); return 'skipped'; }
    const hash = contentHash(text);
    let analysis = await this.cache?.get(hash);
    let parsed = false;
    if (!analysis) {
      const workers = pool?.();
      analysis = await (workers ? workers.analyze(lang, text, hash) : analyzeText(lang, text, hash));
      parsed = true;
    }
    if (this.live.has(rel)) return 'cached'; // opened while this file was read or parsed
    this.set(rel, analysis);
    await this.cache?.put(rel, size, mtimeMs, analysis);
    return parsed ? 'parsed' : 'cached';
  }

  /** Indexes the whole workspace. Yields to the event loop every `sliceMs`; abortable. */
  async build(signal?: AbortSignal): Promise<BuildStats> {
    const started = performance.now();
    const walked = await walkWorkspace(this.root, {
      ...this.options.walk,
      signal,
      include: (rel) => (this.options.walk?.include?.(rel) ?? true) && (isSourceFile(rel) || posix.basename(rel) === 'go.mod'),
    });
    this.goModules = await findGoModules(this.root, walked.files.map((f) => f.rel));
    const stats: BuildStats = { files: 0, parsed: 0, fromCache: 0, skipped: walked.skipped.length, ms: 0 };
    const seen = new Set<string>();
    let sliceStart = performance.now();
    // Big builds parse in worker threads (this thread only reads files and merges results).
    // The pool starts on the first file that needs parsing: a restart served from the disk cache starts none.
    const workers = this.options.workers ?? defaultWorkerCount();
    const usePool = workers > 0 && walked.files.length >= 64;
    let pool: AnalysisPool | undefined;
    const getPool = () => (pool ??= AnalysisPool.shared(workers));
    const inflight = new Set<Promise<void>>();
    this.building++;
    let building = true;
    const count = (r: 'parsed' | 'cached' | 'skipped') => {
      if (r === 'parsed') stats.parsed++;
      else if (r === 'cached') stats.fromCache++;
      else stats.skipped++;
    };
    try {
      for (const f of walked.files) {
        if (!isSourceFile(f.rel)) continue;
        seen.add(f.rel);
        const mtimeMs = f.mtimeMs;
        if (usePool) {
          const p: Promise<void> = this.load(f.rel, f.abs, f.size, mtimeMs, getPool).then(count, () => count('skipped')).finally(() => inflight.delete(p));
          inflight.add(p);
          if (inflight.size >= workers * 16) await Promise.race(inflight);
          signal?.throwIfAborted();
          continue;
        }
        count(await this.load(f.rel, f.abs, f.size, mtimeMs));
        if (performance.now() - sliceStart > this.sliceMs) {
          signal?.throwIfAborted();
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
      }
      await Promise.all(inflight);
      this.building--;
      building = false;
      // Results arrived in completion order: make lookups deterministic (in slices: a big workspace has
      // a hundred thousand names, and the keystroke path runs between the slices).
      for (const list of this.defs.values()) {
        list.sort(byFileAndRow);
        if (performance.now() - sliceStart > this.sliceMs) { await yieldToEventLoop(); sliceStart = performance.now(); }
      }
    } finally {
      await Promise.allSettled(inflight); // an abort leaves no job writing into the index afterwards
      if (building) this.building--;
    }
    for (const rel of [...this.entries.keys()]) if (!seen.has(rel) && !this.live.has(rel)) this.set(rel, undefined);
    this.graph = undefined;
    stats.files = this.entries.size;
    await this.cache?.save(new Set(this.entries.keys()));
    stats.ms = performance.now() - started;
    return stats;
  }

  /** A file was created, changed or deleted on disk. */
  async updateFile(rel: string): Promise<void> {
    const abs = join(this.root, rel);
    const doc = this.live.get(rel);
    if (doc) {
      // A save writes the open document's own text: its live tree and analysis stay (the next keystroke
      // is an incremental reparse, not a full one). Anything else on disk replaces the document.
      const onDisk = await fs.readFile(abs, 'utf8').catch(() => undefined);
      if (onDisk === doc.text && this.live.get(rel) === doc) return;
      this.dropLive(rel);
    }
    try {
      const st = await fs.stat(abs);
      const max = this.options.walk?.maxFileBytes ?? defaultMaxFileBytes;
      if (!st.isFile() || st.size > max || !isSourceFile(rel) || (await looksBinary(abs))) { this.set(rel, undefined); return; }
      // A big file parses in the build's worker threads (a branch switch changes hundreds of files, and one
      // 5,000-line file is tens of milliseconds on this thread, in one piece, between two keystrokes).
      const workers = this.options.workers ?? defaultWorkerCount();
      await this.load(rel, abs, st.size, st.mtimeMs, st.size >= poolFileBytes && workers > 0 ? () => AnalysisPool.shared(workers) : undefined);
    } catch {
      this.set(rel, undefined);
    }
    if (posix.basename(rel) === 'go.mod') this.goModules = await findGoModules(this.root, [rel, ...this.files]);
  }

  async saveCache(): Promise<void> {
    await this.cache?.save(new Set(this.entries.keys()));
  }

  /**
   * The open document changed: edit its live tree and reparse incrementally (tree-sitter reuses every
   * unchanged subtree), then re-read its tags. The first call for a document parses it in full.
   */
  async applyEdits(rel: string, changes: TextChange[]): Promise<void> {
    const lang = languageForPath(rel);
    if (!lang) return;
    const parser = await parserFor(lang);
    let doc = this.live.get(rel);
    if (!doc) {
      let text: string;
      try { text = await fs.readFile(join(this.root, rel), 'utf8'); } catch { return; }
      const tree = parser.parse(text);
      if (!tree) return;
      doc = { text, tree, lines: text.split('\n') };
      this.remember(rel, doc);
      // The re-read below starts from the analysis of this text (the index may hold another version).
      if (this.entries.get(rel)?.hash !== contentHash(text)) this.set(rel, await analyzeTree(lang, tree, text, undefined, doc.lines));
    }
    await this.applyToLive(rel, lang, doc, changes);
  }

  /** Edits `doc`'s tree, reparses it incrementally and re-reads what the changes touched. `result`: the
   * text after the changes when the caller has it (the editor's own string: nothing is rebuilt). */
  private async applyToLive(rel: string, lang: LanguageId, doc: LiveDoc, changes: TextChange[], result?: string): Promise<void> {
    const parser = await parserFor(lang);
    let text = doc.text;
    let lines = doc.lines;
    // The edited rows, in new coordinates, and how many rows the edits added.
    let editStart = Infinity;
    let editEnd = -1;
    let rowDelta = 0;
    for (const c of changes) {
      const startPosition = pointAt(text, c.start);
      const oldEndPosition = pointAt(text, c.start + c.oldLength);
      text = changes.length === 1 && result !== undefined ? result : text.slice(0, c.start) + c.text + text.slice(c.start + c.oldLength);
      const newEndPosition = pointAt(text, c.start + c.text.length);
      lines = spliceLines(lines, text, c.start - startPosition.column, startPosition.row, oldEndPosition.row, newEndPosition.row);
      doc.tree.edit(new Edit({ startIndex: c.start, oldEndIndex: c.start + c.oldLength, newEndIndex: c.start + c.text.length, startPosition, oldEndPosition, newEndPosition }));
      const delta = newEndPosition.row - oldEndPosition.row;
      if (editEnd >= startPosition.row) editEnd += delta;
      editStart = Math.min(editStart, startPosition.row);
      editEnd = Math.max(editEnd, newEndPosition.row);
      rowDelta += delta;
    }
    const next = parser.parse(text, doc.tree);
    if (!next) return;
    // Rows whose structure changed (tree-sitter's changed ranges) join the edited rows. Only what overlaps
    // them is re-read (reanalyzeRange), not the whole declaration around them: typing in a method of a
    // 3,000-line class re-reads a few rows, and the class's own tag.
    for (const r of doc.tree.getChangedRanges(next)) {
      editStart = Math.min(editStart, r.startPosition.row);
      editEnd = Math.max(editEnd, r.endPosition.row);
    }
    const range = { startRow: editStart, endRow: editEnd };
    doc.tree.delete();
    doc.tree = next;
    doc.text = text;
    doc.lines = lines;
    const previous = this.entries.get(rel);
    this.set(rel, previous && previous.lang === lang && changes.length > 0 ? await reanalyzeRange(previous, next, text, range, rowDelta, lines) : await analyzeTree(lang, next, text, undefined, lines));
  }

  /** The whole new text of an open document; computes the single changed span and applies it. */
  async setDocumentText(rel: string, text: string): Promise<void> {
    const doc = this.live.get(rel);
    if (!doc) {
      const lang = languageForPath(rel);
      if (!lang) return;
      const tree = (await parserFor(lang)).parse(text);
      if (!tree) return;
      const lines = text.split('\n');
      this.remember(rel, { text, tree, lines });
      this.set(rel, await analyzeTree(lang, tree, text, undefined, lines));
      return;
    }
    const { start, oldEnd, newEnd } = changedSpan(doc.text, text);
    if (start === oldEnd && start === newEnd) { doc.text = text; return; } // the caller's string from now on
    await this.applyToLive(rel, languageForPath(rel)!, doc, [{ start, oldLength: oldEnd - start, text: text.slice(start, newEnd) }], text);
  }

  /**
   * The rows of the innermost function-like syntax node (an arrow, a function expression, a lambda) around
   * (row, column) in an open document: the scope of code that no named definition encloses
   * (`const make = Effect.gen(function* () { … })`).
   */
  functionAround(rel: string, row: number, column: number): { startRow: number; endRow: number } | undefined {
    const doc = this.live.get(rel);
    if (!doc) return undefined;
    for (let n: Node | null = doc.tree.rootNode.descendantForPosition({ row, column }); n; n = n.parent) {
      if (/^(arrow_function|function_expression|function|generator_function|lambda|lambda_expression|anonymous_method_expression|closure_expression|func_literal|method_definition|function_declaration|generator_function_declaration)$/.test(n.type) && n.endPosition.row > n.startPosition.row) {
        return { startRow: n.startPosition.row, endRow: n.endPosition.row };
      }
    }
    return undefined;
  }

  /** The live text of an open document, if it has one. */
  liveText(rel: string): string | undefined {
    return this.live.get(rel)?.text;
  }

  /** The live text's lines (the same array until the next edit: callers must not change it). */
  liveLines(rel: string): readonly string[] | undefined {
    return this.live.get(rel)?.lines;
  }

  private remember(rel: string, doc: LiveDoc): void {
    this.live.set(rel, doc);
    while (this.live.size > this.liveLimit) this.dropLive(this.live.keys().next().value!);
  }

  private dropLive(rel: string): void {
    const d = this.live.get(rel);
    if (!d) return;
    d.tree.delete();
    this.live.delete(rel);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const rel of [...this.live.keys()]) this.dropLive(rel);
  }
}
