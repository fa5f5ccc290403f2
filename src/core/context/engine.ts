// The context engine: what the model sees around a cursor. In priority order: the enclosing scope (and
// the signatures of the scopes around it), the definitions of the symbols that scope uses resolved across
// the workspace, the imports it uses, then the repo map; packed into a token budget.
import { promises as fs, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { IDisposable } from '../util';
import type { ContextSnippet, PackedContext } from './types';
import { languageFamily, languageForPath } from './languages';
import { SymbolIndex, type SymbolIndexOptions, type DefinitionLocation } from './symbolIndex';
import { isScopeTag, type Tag } from './tags';
import { packSnippets, renderSnippet, trimToBudget } from './pack';
import { entryLines, packDefinitions, type PackableDefinition } from './definitionPack';
import { MemberResolver } from './memberResolution';
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
  /** Ask the definition source (an editor's language servers), if one is set, within its time budget.
   * Off by default: the CLI has none, and inline completion must not wait for one on every keystroke. */
  languageServer?: boolean;
  /**
   * Inline completion (ghost text) asks on every keystroke: at most `inlineMaxDefinitions` definitions are
   * resolved, and no repo map or import lines are added (the preamble shows definitions only).
   */
  purpose?: 'inline';
}

/** A name used at (line, column), 0-based, in the request's file. */
export interface DefinitionQuery { name: string; line: number; column: number }
/** Where a definition source says a query's name is defined: an absolute path, 0-based line. */
export interface DefinitionAnswer { query: DefinitionQuery; file: string; line: number }
/** Definitions from outside tree-sitter (VS Code's definition providers). Answers outside the workspace
 * are ignored; a source that takes longer than the engine's budget is not waited for. */
export type DefinitionSource = (file: string, queries: DefinitionQuery[], signal: AbortSignal) => Promise<DefinitionAnswer[]>;

/** How long a context request waits for a definition source, in all. */
export const definitionSourceBudgetMs = 150;

export interface ContextEngineOptions extends SymbolIndexOptions {
  count?: TokenCounter;
  /** How long a computed repo map may be reused for the same file and task while the user types. */
  repoMapMaxAgeMs?: number;
  /** An inline request's time for resolving definitions (default `inlineResolveMs`); tests that compare
   * two engines' answers lift it, so the clock does not decide what each shows. */
  inlineResolveMs?: number;
}

export const defaultBudget = 4096;
const windowRadius = 60;
const maxDefinitionLines = 30;
/** A signature line longer than this is cut (a one-line object literal, a minified line). */
const maxSignatureChars = 320;
/** Overload lines shown after a definition's own signature line. */
const maxOverloadLines = 3;
/** Definitions resolved for an agent request at most; fewer when their signature lines alone fill the share of
 * the budget the scope leaves (more could not be shown). */
const maxDefinitions = 192;
/** Names a definition source (a language server) is asked about at most. */
const maxSourceQueries = 64;
/** Definitions resolved for an inline request: a 512-token preamble shows a handful, and each costs a lookup. */
export const inlineMaxDefinitions = 8;
/** An inline request stops resolving definitions after this long (each lookup is small; a few chains are not). */
export const inlineResolveMs = 8;
/** Inline results kept per document version and cursor (VS Code asks again for the same position). */
const inlineCacheSize = 32;
/** The cursor's own scope may take this share of the budget when the definitions it uses need the rest. */
const scopeShare = 0.45;
const typeKinds = new Set(['interface', 'type', 'class', 'enum', 'module']);
const valueKinds = new Set(['function', 'method', 'class', 'constant', 'field', 'macro', 'module']);

function toRel(root: string, abs: string): string {
  const r = relative(root, abs);
  return sep === '/' ? r : r.split(sep).join('/');
}

function slice(lines: readonly string[], startRow: number, endRow: number): string {
  return lines.slice(startRow, endRow + 1).join('\n');
}

/** The one line that stands for a definition in a `signatures` snippet: its name's line as it reads, or its
 * signature (whitespace folded) when that line is only the start of it (`constructor(`, `function f(a,`). */
export function signatureLine(lines: readonly string[], tag: Tag): string {
  const line = (lines[tag.row] ?? '').trim();
  const sig = tag.signature?.replace(/\s+/g, ' ').trim();
  const head = line.replace(/\s+/g, ' ').replace(/[\s{(,]+$/, '');
  const open = /[(,<[]\s*$/.test(line) || (line.match(/\(/g)?.length ?? 0) > (line.match(/\)/g)?.length ?? 0);
  const text = open && sig && sig.length > head.length && sig.startsWith(head) ? sig : line;
  return text.length > maxSignatureChars ? `${text.slice(0, maxSignatureChars)}…` : text;
}

/** The last row of a definition's header: from its name's row to the line that opens its body. */
function headerEnd(lines: readonly string[], tag: Tag, end: number): number {
  if (end - tag.startRow < 3) return end;
  for (let r = tag.row; r <= Math.min(end, tag.row + 8); r++) {
    const l = lines[r] ?? '';
    if (/[{;]\s*$|:\s*$|=>\s*$|\{\s*(\/\/.*)?$/.test(l)) return r;
  }
  return tag.row;
}

export class ContextEngine implements IDisposable {
  readonly index: SymbolIndex;
  private count: TokenCounter;
  private built: Promise<unknown> | undefined;
  private readonly texts = new Map<string, { hash: string; lines: readonly string[] }>();
  private mapCache: { key: string; at: number; budget: number; snippets: ContextSnippet[] } | undefined;
  private readonly members: MemberResolver;
  /** Repo-map snippets (cached between requests) with their verbatim lines. */
  private readonly verbatimOf = new WeakMap<ContextSnippet, ContextSnippet>();
  /** Inline results by document version (its text) and cursor; the index's generation guards the rest. */
  private readonly inlineCache = new Map<string, { text: string; generation: number; packed: PackedContext }>();

  constructor(readonly root: string, private readonly options: ContextEngineOptions = {}) {
    this.root = resolve(root);
    this.index = new SymbolIndex(this.root, options);
    this.count = options.count ?? estimateTokens;
    this.members = new MemberResolver(this.index, (name, want, from) => this.resolve({ name, kind: want === 'type' ? 'type' : 'call' }, from, undefined, true));
  }

  private definitionSource: DefinitionSource | undefined;

  /** Sharpen requests that ask for it (`languageServer: true`) with another source of definitions. */
  setDefinitionSource(source: DefinitionSource | undefined): void {
    this.definitionSource = source;
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

  private async linesOf(rel: string): Promise<readonly string[] | undefined> {
    const e = this.index.entry(rel);
    // The open document: its lines are kept by the index, edit by edit.
    const live = this.index.liveLines(rel);
    if (live) return live;
    const cached = this.texts.get(rel);
    if (cached && e && cached.hash === e.hash) return cached.lines;
    try {
      // Read at once: an indexed file is small (walk's size cap), and four thread-pool round trips per file
      // (open, stat, read, close) each wait behind whatever else the event loop runs, on the keystroke path.
      const lines = readFileSync(join(this.root, rel), 'utf8').split('\n');
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

    if (windowOnly) {
      const lines = text.split('\n');
      const row = Math.min(req.line - 1, lines.length - 1);
      const start = Math.max(0, row - windowRadius);
      const end = Math.min(lines.length - 1, row + windowRadius);
      const s: ContextSnippet = { path: rel, startLine: start + 1, endLine: end + 1, kind: 'window', text: slice(lines, start, end) };
      return packSnippets([s], { budget, count: this.count, focusLine: row + 1 });
    }

    const inline = req.purpose === 'inline';
    // The keystroke path never waits for the workspace index: it starts the build and uses what is indexed
    // so far (the open file's own analysis is computed here). Other requests wait for the whole index.
    if (inline) this.ready().catch(() => undefined);
    else await this.ready();
    // The document's live tree: parsed once, then reparsed incrementally as it changes.
    await this.index.setDocumentText(rel, text);
    const lines = this.index.liveText(rel) === text ? this.index.liveLines(rel)! : text.split('\n');
    const row = Math.min(req.line - 1, lines.length - 1);
    const cacheKey = `${rel}\0${row}\0${req.column}\0${budget}\0${this.index.generation}`;
    if (inline) {
      const hit = this.inlineCache.get(cacheKey);
      if (hit && hit.text === text) return { ...hit.packed, snippets: [...hit.packed.snippets] };
    }
    const entry = this.index.entry(rel);
    const tags = entry?.tags ?? [];

    const scopes = tags.filter((t) => isScopeTag(t) && t.startRow <= row && row <= t.endRow).sort((a, b) => a.startRow - b.startRow || b.endRow - a.endRow);
    const isFunction = (t: Tag) => t.kind === 'function' || t.kind === 'method';
    let inner = [...scopes].reverse().find(isFunction) ?? scopes[scopes.length - 1];
    // The cursor on the first line of a nested function but before it begins (`this.run = () => {` with the
    // cursor on `this`): it edits the function around that one, whose uses matter. The tree says where the
    // function around the cursor starts; asked only in this case (the keystroke path stays one filter).
    if (inner && isFunction(inner) && inner.startRow === row && row > 0) {
      const around = this.index.functionAround(rel, row, Math.max(0, req.column - 1));
      if (around && around.startRow < row) inner = [...scopes].reverse().find((t) => isFunction(t) && t.startRow <= around.startRow && around.endRow <= t.endRow) ?? inner;
    }
    const candidates: ContextSnippet[] = [];
    let range: { start: number; end: number };
    let fn: { startRow: number; endRow: number } | undefined;
    if (inner) {
      range = { start: inner.startRow, end: inner.endRow };
      candidates.push({ path: rel, startLine: inner.startRow + 1, endLine: inner.endRow + 1, kind: 'scope', symbol: inner.name, text: slice(lines, inner.startRow, inner.endRow) });
    } else if ((fn = this.index.functionAround(rel, row, Math.max(0, req.column - 1)))) {
      // No named function around the cursor, but an anonymous one (a callback, `Effect.gen(function* () {…})`):
      // its body is the scope whose calls matter.
      range = { start: fn.startRow, end: fn.endRow };
      candidates.push({ path: rel, startLine: fn.startRow + 1, endLine: fn.endRow + 1, kind: 'scope', text: slice(lines, fn.startRow, fn.endRow) });
    } else {
      range = { start: Math.max(0, row - 20), end: Math.min(lines.length - 1, row + 20) };
      candidates.push({ path: rel, startLine: range.start + 1, endLine: range.end + 1, kind: 'window', text: slice(lines, range.start, range.end) });
    }
    // Outer scopes: their header line, innermost last.
    for (const s of scopes) {
      if (s === inner || (inner && s.startRow === inner.startRow)) continue;
      candidates.push({ path: rel, startLine: s.startRow + 1, endLine: s.row + 1, kind: 'scope', symbol: s.name, text: slice(lines, s.startRow, s.row) });
    }

    // Names used in the cursor's scope, nearest the cursor first, minus the scope's own locals. A member
    // call counts once per receiver (`a.dispose()` and `b.dispose()` may mean different methods).
    const localDefs = new Set(tags.filter((t) => t.role === 'definition' && t.startRow >= range.start && t.endRow <= range.end && t !== inner).map((t) => t.name));
    const used = tags
      .filter((t) => t.role === 'reference' && t.row >= range.start && t.row <= range.end && t.kind !== 'import')
      .sort((a, b) => Math.abs(a.row - row) - Math.abs(b.row - row));
    const firstUse = new Map<string, Tag>();
    const uses = new Map<string, number>();
    for (const t of used) {
      const key = t.chain && !t.receiver ? `${t.chain.join('.')}.${t.name}` : t.name;
      if (localDefs.has(t.name) && !t.chain) continue;
      uses.set(key, (uses.get(key) ?? 0) + 1);
      if (!firstUse.has(key)) firstUse.set(key, t);
    }
    // Nearest the cursor first, but a name used often in a long scope moves up (its distance divided by
    // its uses): in a 300-line constructor the helper called 40 times matters more than one call nearby.
    const order = [...firstUse].sort(([ka, a], [kb, b]) => (Math.abs(a.row - row) + 1) / uses.get(ka)! - (Math.abs(b.row - row) + 1) / uses.get(kb)!);

    const imports = entry?.imports ?? [];
    // Each used definition as a header (its signature lines, body elided) and in full; headers go in first
    // so every definition the scope uses is shown, then full bodies replace headers while the budget lasts.
    const defs: PackableDefinition[] = [];
    // What the signature lines of the definitions resolved so far cost: past the share of the budget the
    // scope leaves, more could not be shown.
    const linesBudget = budget * (1 - scopeShare);
    let linesCost = 0;
    const shown = new Set<string>();
    const addDef = async (loc: DefinitionLocation, symbol: string) => {
      const key = `${loc.file}:${loc.tag.row}`;
      if (shown.has(key) || (loc.file === rel && loc.tag.startRow <= range.start && range.end <= loc.tag.endRow)) return;
      const defLines = await this.linesOf(loc.file);
      if (!defLines) return;
      shown.add(key);
      let end = Math.min(loc.tag.endRow, loc.tag.startRow + maxDefinitionLines - 1);
      // Overloads (`function f(a: A): R;` then more signatures of f): shown together, as a call may mean any.
      const overload = new RegExp(`^\\s*(?:export\\s+)?(?:(?:public|private|protected|static|declare|async|function)\\s+)*${loc.tag.name.replace(/[$]/g, '\\$')}\\s*[<(]`);
      // A signature ends its line with `;` or, without semicolons, with no opening bracket (`pipe<A>(this: A): A`).
      while (end + 1 < defLines.length && end - loc.tag.startRow < maxDefinitionLines - 1 && (/;\s*$/.test(defLines[end]) || !/[{(,[<]\s*$/.test(defLines[end])) && overload.test(defLines[end + 1])) end++;
      const full: ContextSnippet = { path: loc.file, startLine: loc.tag.startRow + 1, endLine: end + 1, kind: 'definition', symbol, text: slice(defLines, loc.tag.startRow, end) };
      const hEnd = headerEnd(defLines, loc.tag, end);
      const d: PackableDefinition = { full, header: hEnd >= end ? full : { ...full, endLine: hEnd + 1, text: slice(defLines, loc.tag.startRow, hEnd) }, row: loc.tag.row, line: signatureLine(defLines, loc.tag) };
      // Overload signatures right below the name's line (with or without semicolons), a few at most.
      const more: { row: number; line: string }[] = [];
      for (let r = loc.tag.row + 1; !inline && more.length < maxOverloadLines && r < defLines.length && !/\{\s*$/.test(defLines[r - 1]) && overload.test(defLines[r]); r++) {
        more.push({ row: r, line: defLines[r].trim().slice(0, maxSignatureChars) });
      }
      if (more.length) d.overloads = more;
      defs.push(d);
      if (!inline) linesCost += entryLines(d).reduce((a, e) => a + this.count(`${e.row + 1}: ${e.line}\n`), 0);
    };
    // The language server, when asked, runs while tree-sitter resolves; its answers replace tree-sitter's
    // for the names it answers within the budget. Tree-sitter stays the base for everything else.
    const maxDefs = inline ? inlineMaxDefinitions : maxDefinitions;
    const started = performance.now();
    const fromServer = req.languageServer && this.definitionSource ? this.askDefinitionSource(abs, order.slice(0, Math.min(maxDefs, maxSourceQueries)).map(([, t]) => t)) : undefined;
    const served = new Map<Tag, DefinitionLocation>();
    if (fromServer) for (const [t, loc] of await fromServer) served.set(t, loc);
    for (const [, ref] of order) {
      if (defs.length >= maxDefs || linesCost > linesBudget) break;
      const sharp = served.get(ref);
      if (sharp) { await addDef(sharp, ref.name); continue; }
      // Inline: the keystroke's time budget ends the lookups (the rest come on the next request's cache miss).
      if (inline && performance.now() - started > (this.options.inlineResolveMs ?? inlineResolveMs)) break;
      const member = ref.chain && !this.importBinds(rel, ref.chain[0]) ? this.members.resolve(ref, rel, { implementations: !inline }) : undefined;
      if (member) {
        // The implementation first when it is unique: it is what runs.
        if (member.implementations.length === 1) await addDef(member.implementations[0], ref.name);
        await addDef(member.definition, ref.name);
        continue;
      }
      const def = this.resolve(ref, rel, inner, false, !inline);
      if (def) await addDef(def, ref.name);
    }
    // An import is used when one of its names appears as a word in the cursor's scope (`path.sep` is no
    // tag, but it uses `import * as path`).
    const scopeWords = new Set(inline ? [] : slice(lines, range.start, range.end).match(/[\p{L}_$][\p{L}\p{N}_$]*/gu) ?? []);
    const importSnippets: ContextSnippet[] = [];
    for (const imp of inline ? [] : imports) {
      if (!imp.names.some((n) => scopeWords.has(n))) continue;
      importSnippets.push({ path: rel, startLine: imp.startLine, endLine: imp.endLine, kind: 'import', symbol: imp.specifier, text: slice(lines, imp.startLine - 1, imp.endLine - 1) });
    }

    // The scope keeps the lines nearest the cursor within its share when the definitions need the rest
    // (each counted in its cheapest form: the packer shows them all before it shows any in full).
    const cost = (s: ContextSnippet) => this.count(renderSnippet(s));
    const signatures = !inline;
    const defsCost = defs.reduce((a, d) => a + (signatures ? entryLines(d).reduce((b, e) => b + this.count(`${e.row + 1}: ${e.line}\n`), 0) : cost(d.header)), 0);
    const others = [...candidates.slice(1), ...importSnippets].reduce((a, s) => a + cost(s), defsCost);
    const scopeBudget = Math.max(Math.floor(budget * scopeShare), budget - others);
    if (cost(candidates[0]) > scopeBudget) {
      const trimmed = trimToBudget(candidates[0], row + 1, scopeBudget, this.count);
      if (trimmed) candidates[0] = trimmed;
    }
    const packed = packDefinitions(candidates, defs, importSnippets, { budget, count: this.count, focusLine: row + 1, signatures });
    if (inline) {
      this.inlineCache.set(cacheKey, { text, generation: this.index.generation, packed });
      while (this.inlineCache.size > inlineCacheSize) this.inlineCache.delete(this.inlineCache.keys().next().value!);
      return { ...packed, snippets: [...packed.snippets] };
    }
    const left = budget - packed.tokens;
    if (left > 32) {
      const map = await this.verbatim(this.repoMap(rel, req.task, left, budget));
      return packSnippets([...packed.snippets, ...map], { budget, count: this.count, focusLine: row + 1 });
    }
    return packed;
  }

  /** The definition source's answers for `refs`, as index definitions, within the time budget. */
  private async askDefinitionSource(abs: string, refs: Tag[]): Promise<Map<Tag, DefinitionLocation>> {
    const out = new Map<Tag, DefinitionLocation>();
    if (!refs.length) return out;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), definitionSourceBudgetMs);
    const queries = refs.map((t) => ({ name: t.name, line: t.row, column: t.column }));
    try {
      // The source answers with what it has when the signal aborts; one that ignores the signal is
      // given up on shortly after.
      let late: NodeJS.Timeout | undefined;
      const answers = await Promise.race([
        this.definitionSource!(abs, queries, abort.signal).catch(() => [] as DefinitionAnswer[]),
        new Promise<DefinitionAnswer[]>((resolve) => { late = setTimeout(() => resolve([]), definitionSourceBudgetMs + 25); }),
      ]);
      clearTimeout(late);
      for (const a of answers) {
        const i = queries.indexOf(a.query);
        const rel = toRel(this.root, a.file);
        if (i < 0 || out.has(refs[i]) || rel.startsWith('..') || isAbsolute(rel)) continue;
        const loc = this.definitionAtLine(rel, a.line);
        if (loc) out.set(refs[i], loc);
      }
    } finally {
      clearTimeout(timer);
    }
    return out;
  }

  /** The indexed definition whose name is on `line` (0-based), else the innermost one around it. */
  private definitionAtLine(rel: string, line: number): DefinitionLocation | undefined {
    const tags = this.index.entry(rel)?.tags ?? [];
    const exact = tags.find((t) => t.role === 'definition' && t.row === line);
    if (exact) return { file: rel, tag: exact };
    let best: Tag | undefined;
    for (const t of tags) if (t.role === 'definition' && t.startRow <= line && line <= t.endRow && (!best || t.startRow >= best.startRow)) best = t;
    return best && { file: rel, tag: best };
  }

  /** True when `name` is bound by an import of `rel` (a namespace or module receiver, not a value). */
  private importBinds(rel: string, name: string): boolean {
    return (this.index.entry(rel)?.imports ?? []).some((i) => i.names.includes(name));
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
  private resolve(ref: Pick<Tag, 'name' | 'receiver' | 'kind'> & Partial<Pick<Tag, 'chain' | 'row'>>, rel: string, inner: Tag | undefined, guess: boolean, common = guess): DefinitionLocation | undefined {
    const family = languageFamily(rel);
    if (ref.chain && ref.row !== undefined && !this.importBinds(rel, ref.chain[0])) {
      const member = this.members.resolve({ name: ref.name, chain: ref.chain, row: ref.row }, rel);
      if (member) return member.definition;
      if (ref.chain.length && this.members.receiverTypedOutside(ref.chain, rel, ref.row)) return undefined;
      // The receiver's type is unknown: a member most types inherit is a better guess than a same-named one
      // nearby. Not on the keystroke path (its first call per index generation sums every file's bases).
      const shared = common ? this.members.commonMember(ref.name, (d) => languageFamily(d.file) === family) : undefined;
      if (shared) return shared;
    }
    const candidates = this.index.definitions(ref.name).filter((d) => languageFamily(d.file) === family && !(d.file === rel && inner && d.tag.row === inner.row));
    if (!candidates.length) return undefined;
    // A call means a value (`Union(...)` is the function, not `interface Union`); a type reference a type.
    const wanted = ref.kind === 'type' || ref.kind === 'implementation' ? typeKinds : ref.kind === 'call' || ref.kind === 'class' ? valueKinds : undefined;
    const fitting = wanted ? candidates.filter((d) => wanted.has(d.tag.kind)) : candidates;
    const all = fitting.length ? fitting : candidates;
    const graph = this.index.importGraph();
    // A name an import binds is a module's export: a function before a same-named method of a class in that
    // module (`import { onUnexpectedError }` next to `ErrorHandler.onUnexpectedError`).
    const exported = (d: DefinitionLocation) => d.tag.kind !== 'method' && d.tag.kind !== 'field';
    const inFiles = (files: Iterable<string>) => {
      const set = new Set(files);
      return (!ref.receiver && all.find((d) => set.has(d.file) && exported(d))) || all.find((d) => set.has(d.file));
    };
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

  /** Repo-map entries show their source line as it reads (`now(): number;`, not the normalized
   * signature `now(): number`) when the signature is on that one line (a short line holding it is shown
   * whole): a snippet shows the lines it claims. */
  private async verbatim(map: ContextSnippet[]): Promise<ContextSnippet[]> {
    const norm = (t: string) => t.replace(/\s+/g, ' ').trim();
    const out: ContextSnippet[] = [];
    for (const s of map) {
      const known = this.verbatimOf.get(s);
      if (known) { out.push(known); continue; }
      const lines = await this.linesOf(s.path);
      if (!lines) { out.push(s); continue; }
      const text = s.text.split('\n').map((entry) => {
        const m = /^(\s*(\d+): )(.*)$/.exec(entry);
        const source = m ? lines[Number(m[2]) - 1]?.trim() : undefined;
        if (!m || !source || source.length > 240) return entry;
        const sig = norm(m[3]);
        const line = norm(source);
        return (line.startsWith(sig) && line.length - sig.length <= 3) || (line.includes(sig) && line.length <= 160) ? `${m[1]}${source}` : entry;
      }).join('\n');
      const v = text === s.text ? s : { ...s, text };
      this.verbatimOf.set(s, v);
      out.push(v);
    }
    return out;
  }

  /** The repo map for `budget` tokens. Built for `cap` (the request's whole budget) and cached, so the
   * next requests at the same file, whatever budget their scope left, take a prefix of it. */
  private repoMap(rel: string, task: string | undefined, budget: number, cap = budget): ContextSnippet[] {
    const key = `${rel}\0${task ?? ''}`;
    const maxAge = this.options.repoMapMaxAgeMs ?? 5000;
    let c = this.mapCache;
    if (!c || c.key !== key || Date.now() - c.at >= maxAge || c.budget < budget) {
      const built = buildRepoMap(this.index, { focusFiles: [rel], taskWords: task ? [task] : [], budget: Math.max(budget, cap), count: this.count, exclude: [rel] });
      c = this.mapCache = { key, at: Date.now(), budget: Math.max(budget, cap), snippets: built.snippets };
    }
    // Its best files while they fit.
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

