// The context engine: what the model sees around a cursor. In priority order: the enclosing scope (and
// the signatures of the scopes around it), the definitions of the symbols that scope uses resolved across
// the workspace, the imports it uses, then the repo map; packed into a token budget.
import { promises as fs } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { IDisposable } from '../util/lifecycle';
import type { ContextSnippet, PackedContext } from './types';
import { languageFamily, languageForPath } from './languages';
import { SymbolIndex, type SymbolIndexOptions, type DefinitionLocation } from './symbolIndex';
import { isScopeTag, type Tag } from './tags';
import { packSnippets } from './pack';
import { buildRepoMap } from './repoMap';
import { estimateTokens, type TokenCounter } from './tokens';
import { defaultMaxFileBytes, looksBinary } from './walk';

export interface ContextRequest {
  /** Absolute, or relative to the workspace. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  budget?: number;
  /** The task in words, to bias the repo map. */
  task?: string;
  /** The document's current text when it differs from disk (an unsaved editor). */
  text?: string;
}

export interface ContextEngineOptions extends SymbolIndexOptions {
  count?: TokenCounter;
  /** How long a computed repo map may be reused for the same file and task while the user types. */
  repoMapMaxAgeMs?: number;
}

export const defaultBudget = 4096;
const windowRadius = 60;
const maxDefinitionLines = 30;
const maxDefinitions = 12;
const typeKinds = new Set(['interface', 'type', 'class', 'enum', 'module']);
const valueKinds = new Set(['function', 'method', 'class', 'constant', 'field', 'macro', 'module']);

function toRel(root: string, abs: string): string {
  const r = relative(root, abs);
  return sep === '/' ? r : r.split(sep).join('/');
}

function slice(lines: string[], startRow: number, endRow: number): string {
  return lines.slice(startRow, endRow + 1).join('\n');
}

export class ContextEngine implements IDisposable {
  readonly index: SymbolIndex;
  private count: TokenCounter;
  private built: Promise<unknown> | undefined;
  private readonly texts = new Map<string, { hash: string; lines: string[] }>();
  private mapCache: { key: string; at: number; budget: number; snippets: ContextSnippet[] } | undefined;

  constructor(readonly root: string, private readonly options: ContextEngineOptions = {}) {
    this.root = resolve(root);
    this.index = new SymbolIndex(this.root, options);
    this.count = options.count ?? estimateTokens;
  }

  /** Use the model's tokenizer once it is loaded. */
  setTokenCounter(count: TokenCounter): void {
    this.count = count;
    this.mapCache = undefined;
  }

  /** Builds the index once (later calls wait for the same build). */
  ready(signal?: AbortSignal): Promise<unknown> {
    this.built ??= this.index.build(signal);
    return this.built;
  }

  private async linesOf(rel: string): Promise<string[] | undefined> {
    const e = this.index.entry(rel);
    const live = this.index.liveText(rel);
    if (live !== undefined) return live.split('\n');
    const cached = this.texts.get(rel);
    if (cached && e && cached.hash === e.hash) return cached.lines;
    try {
      const lines = (await fs.readFile(join(this.root, rel), 'utf8')).split('\n');
      if (e) {
        this.texts.set(rel, { hash: e.hash, lines });
        if (this.texts.size > 256) this.texts.delete(this.texts.keys().next().value!);
      }
      return lines;
    } catch {
      return undefined;
    }
  }

  async context(req: ContextRequest): Promise<PackedContext> {
    if (!Number.isInteger(req.line) || req.line < 1) throw new Error(`line must be an integer ≥ 1, got ${req.line}`);
    if (!Number.isInteger(req.column) || req.column < 1) throw new Error(`column must be an integer ≥ 1, got ${req.column}`);
    const budget = req.budget ?? defaultBudget;
    const abs = isAbsolute(req.file) ? req.file : join(this.root, req.file);
    const rel = toRel(this.root, abs);
    let text = req.text;
    const maxBytes = this.options.walk?.maxFileBytes ?? defaultMaxFileBytes;
    let windowOnly = !languageForPath(rel);
    if (text === undefined) {
      const live = this.index.liveText(rel);
      if (live !== undefined) text = live;
      else {
        const st = await fs.stat(abs); // a missing file is the caller's error
        if (!st.isFile()) throw new Error(`not a file: ${req.file}`);
        if (await looksBinary(abs)) return { snippets: [], tokens: 0 };
        if (st.size > maxBytes) windowOnly = true;
        text = await fs.readFile(abs, 'utf8');
      }
    } else if (text.length > maxBytes) windowOnly = true;
    const lines = text.split('\n');
    const row = Math.min(req.line - 1, lines.length - 1);

    if (windowOnly) {
      const start = Math.max(0, row - windowRadius);
      const end = Math.min(lines.length - 1, row + windowRadius);
      const s: ContextSnippet = { path: rel, startLine: start + 1, endLine: end + 1, kind: 'window', text: slice(lines, start, end) };
      return packSnippets([s], { budget, count: this.count, focusLine: row + 1 });
    }

    await this.ready();
    // The document's live tree: parsed once, then reparsed incrementally as it changes.
    await this.index.setDocumentText(rel, text);
    const entry = this.index.entry(rel);
    const tags = entry?.tags ?? [];

    const scopes = tags.filter((t) => isScopeTag(t) && t.startRow <= row && row <= t.endRow).sort((a, b) => a.startRow - b.startRow || b.endRow - a.endRow);
    const inner = [...scopes].reverse().find((t) => t.kind === 'function' || t.kind === 'method') ?? scopes[scopes.length - 1];
    const candidates: ContextSnippet[] = [];
    let range: { start: number; end: number };
    if (inner) {
      range = { start: inner.startRow, end: inner.endRow };
      candidates.push({ path: rel, startLine: inner.startRow + 1, endLine: inner.endRow + 1, kind: 'scope', symbol: inner.name, text: slice(lines, inner.startRow, inner.endRow) });
    } else {
      range = { start: Math.max(0, row - 20), end: Math.min(lines.length - 1, row + 20) };
      candidates.push({ path: rel, startLine: range.start + 1, endLine: range.end + 1, kind: 'window', text: slice(lines, range.start, range.end) });
    }
    // Outer scopes: their header line, innermost last.
    for (const s of scopes) {
      if (s === inner || (inner && s.startRow === inner.startRow)) continue;
      candidates.push({ path: rel, startLine: s.startRow + 1, endLine: s.row + 1, kind: 'scope', symbol: s.name, text: slice(lines, s.startRow, s.row) });
    }

    // Names used in the cursor's scope, nearest the cursor first, minus the scope's own locals.
    const localDefs = new Set(tags.filter((t) => t.role === 'definition' && t.startRow >= range.start && t.endRow <= range.end && t !== inner).map((t) => t.name));
    const used = tags
      .filter((t) => t.role === 'reference' && t.row >= range.start && t.row <= range.end && t.kind !== 'import')
      .sort((a, b) => Math.abs(a.row - row) - Math.abs(b.row - row));
    const names: string[] = [];
    const firstUse = new Map<string, Tag>();
    for (const t of used) {
      if (localDefs.has(t.name) || firstUse.has(t.name)) continue;
      names.push(t.name);
      firstUse.set(t.name, t);
    }

    const imports = entry?.imports ?? [];
    const definitionSnippets: ContextSnippet[] = [];
    for (const name of names) {
      if (definitionSnippets.length >= maxDefinitions) break;
      const def = this.resolve(firstUse.get(name)!, rel, inner, false);
      if (!def) continue;
      const defLines = await this.linesOf(def.file);
      if (!defLines) continue;
      const end = Math.min(def.tag.endRow, def.tag.startRow + maxDefinitionLines - 1);
      definitionSnippets.push({ path: def.file, startLine: def.tag.startRow + 1, endLine: end + 1, kind: 'definition', symbol: name, text: slice(defLines, def.tag.startRow, end) });
    }
    // A method whose class is also shown adds nothing: keep the enclosing definition.
    const within = (a: ContextSnippet, b: ContextSnippet) => a !== b && a.path === b.path && b.startLine <= a.startLine && a.endLine <= b.endLine;
    candidates.push(...definitionSnippets.filter((d) => !definitionSnippets.some((o) => within(d, o))));

    // An import is used when one of its names appears as a word in the cursor's scope (`path.sep` is no
    // tag, but it uses `import * as path`).
    const scopeWords = new Set(slice(lines, range.start, range.end).match(/[\p{L}_$][\p{L}\p{N}_$]*/gu) ?? []);
    for (const imp of imports) {
      if (!imp.names.some((n) => scopeWords.has(n))) continue;
      candidates.push({ path: rel, startLine: imp.startLine, endLine: imp.endLine, kind: 'import', symbol: imp.specifier, text: slice(lines, imp.startLine - 1, imp.endLine - 1) });
    }

    const packed = packSnippets(candidates, { budget, count: this.count, focusLine: row + 1 });
    const left = budget - packed.tokens;
    if (left > 32) {
      const map = this.repoMap(rel, req.task, left);
      const withMap = packSnippets([...packed.snippets, ...map], { budget, count: this.count, focusLine: row + 1 });
      return withMap;
    }
    return packed;
  }

  /** Go-to-definition from the index alone: the definition the name at (row, column) (0-based) refers to.
   * The file must be indexed. Used by the benchmark against the TypeScript compiler's answer. */
  definitionAt(rel: string, row: number, column: number): DefinitionLocation | undefined {
    const entry = this.index.entry(rel);
    if (!entry) return undefined;
    const ref = entry.tags.find((t) => t.role === 'reference' && t.row === row && t.column <= column && column < t.column + t.name.length);
    if (!ref) return undefined;
    const inner = entry.tags.filter((t) => isScopeTag(t) && t.startRow <= row && row <= t.endRow).pop();
    return this.resolve(ref, rel, inner, true);
  }

  /**
   * The definition a reference most likely means, the way a reader would look: through the import that
   * binds it (or binds its receiver: `Effect.map` -> map in the module imported as Effect, one hop of
   * re-exports followed), then the same file, then files this one imports, then a name defined in at most
   * two places. `guess` also answers for common names, picking the definition nearest in the tree.
   */
  private resolve(ref: Pick<Tag, 'name' | 'receiver' | 'kind'>, rel: string, inner: Tag | undefined, guess: boolean): DefinitionLocation | undefined {
    const family = languageFamily(rel);
    const candidates = this.index.definitions(ref.name).filter((d) => languageFamily(d.file) === family && !(d.file === rel && inner && d.tag.row === inner.row));
    if (!candidates.length) return undefined;
    // A call means a value (`Union(...)` is the function, not `interface Union`); a type reference a type.
    const wanted = ref.kind === 'type' || ref.kind === 'implementation' ? typeKinds : ref.kind === 'call' || ref.kind === 'class' ? valueKinds : undefined;
    const fitting = wanted ? candidates.filter((d) => wanted.has(d.tag.kind)) : candidates;
    const all = fitting.length ? fitting : candidates;
    const graph = this.index.importGraph();
    const inFiles = (files: Iterable<string>) => { const set = new Set(files); return all.find((d) => set.has(d.file)); };
    const binding = ref.receiver ?? ref.name;
    for (const rec of this.index.entry(rel)?.imports ?? []) {
      if (!rec.names.includes(binding)) continue;
      const targets = graph.resolve(rel, rec);
      const hit = inFiles(targets) ?? inFiles(targets.flatMap((t) => graph.importsOf(t)));
      if (hit) return hit;
    }
    const local = all.find((d) => d.file === rel);
    if (local) return local;
    const imported = inFiles(graph.importsOf(rel));
    if (imported) return imported;
    if (all.length <= 2) return all[0];
    if (!guess) return undefined;
    const dirs = rel.split('/');
    const shared = (f: string) => { const p = f.split('/'); let i = 0; while (i < p.length - 1 && p[i] === dirs[i]) i++; return i; };
    return all.reduce((best, d) => (shared(d.file) > shared(best.file) ? d : best));
  }

  private repoMap(rel: string, task: string | undefined, budget: number): ContextSnippet[] {
    const key = `${rel}\0${task ?? ''}`;
    const maxAge = this.options.repoMapMaxAgeMs ?? 5000;
    const c = this.mapCache;
    if (c && c.key === key && Date.now() - c.at < maxAge && c.budget >= budget) {
      // A cached map for a larger budget: keep its best files while they fit.
      const out: ContextSnippet[] = [];
      let used = 0;
      for (const s of c.snippets) {
        const t = this.count(`// ${s.path}\n${s.text}\n`);
        if (used + t > budget) break;
        used += t;
        out.push(s);
      }
      return out;
    }
    const map = buildRepoMap(this.index, { focusFiles: [rel], taskWords: task ? [task] : [], budget, count: this.count, exclude: [rel] });
    this.mapCache = { key, at: Date.now(), budget, snippets: map.snippets };
    return map.snippets;
  }

  /** The workspace's repo map as snippets (CLI `repomap`). */
  async repoMapSnippets(options: { budget: number; focusFile?: string; task?: string }): Promise<{ snippets: ContextSnippet[]; tokens: number }> {
    await this.ready();
    const focus = options.focusFile ? [toRel(this.root, isAbsolute(options.focusFile) ? options.focusFile : join(this.root, options.focusFile))] : [];
    return buildRepoMap(this.index, { focusFiles: focus, taskWords: options.task ? [options.task] : [], budget: options.budget, count: this.count });
  }

  dispose(): void {
    this.index.dispose();
  }
}

