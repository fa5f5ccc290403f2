// Method resolution from declared types, with tree-sitter's tags alone (no type checker): a member call
// `this._buffers.active.getLine()` is followed one declared type at a time. The receiver's type comes
// from a field or property declaration, a constructor parameter property, a parameter or variable
// annotation, a `new X()` initializer, or the return type of a function or method already resolved. A
// member is looked up in its type, then in the types it extends or implements. A member found on an
// interface (or an abstract one) also names its implementations, and the unique one is preferred.
// Types are read from the definitions' signatures (`private _x: IFoo`, `get(i: number): Line`,
// `func (b *Buf) Line(i int) *Line`, `def line(self) -> Line`), so the index needs no extra data
// beyond the bindings of local names. See docs/architecture.md §3 Context.
import { posix } from 'node:path';
import type { FileAnalysis } from './fileAnalysis';
import type { DefinitionLocation, SymbolIndex } from './symbolIndex';
import type { Binding, Tag } from './tags';
import { parseChain } from './tags';
import { languageForPath, type LanguageId } from './languages';

/** Finds the definition a plain name means from a file (the engine's import-aware lookup). */
export type NameResolver = (name: string, want: 'type' | 'value', fromFile: string) => DefinitionLocation | undefined;

export interface MemberResolution {
  /** The member's declaration in the receiver's declared type (what go-to-definition shows). */
  definition: DefinitionLocation;
  /** Implementations of an interface or abstract member (classes that implement/extend its type). */
  implementations: DefinitionLocation[];
}

const classLike = new Set(['class', 'interface', 'enum', 'type']);
const memberKinds = new Set(['method', 'field', 'function', 'constant']);
const nullish = new Set(['undefined', 'null', 'void', 'None', 'nil', 'never']);
const wrappers = /^(?:Promise|PromiseLike|Readonly|Partial|Required|Awaited|NonNullable|Optional|Option|Box|Rc|Arc|RefCell|Mutex|Ref|Lazy|Task|ValueTask)\s*[<[](.*)[>\]]$/s;
const maxDepth = 6;
/** A type is the common base of a member name when at least this many types extend it (and 3× any other). */
const minCommonExtensions = 8;

/** Splits `text` at `sep` outside brackets. */
function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<' || c === '(' || c === '[' || c === '{') depth++;
    else if ((c === '>' && text[i - 1] !== '=') || c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && text.startsWith(sep, i)) { out.push(text.slice(start, i)); start = i + sep.length; }
  }
  out.push(text.slice(start));
  return out;
}

/** The index of the bracket closing the one at `open`, or -1. */
function closing(text: string, open: number): number {
  const o = text[open];
  const c = o === '(' ? ')' : o === '<' ? '>' : o === '[' ? ']' : '}';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === o) depth++;
    else if (text[i] === c && !(c === '>' && text[i - 1] === '=')) { depth--; if (depth === 0) return i; }
  }
  return -1;
}

/** The type name a type expression is about: `IFoo | undefined` -> IFoo, `Promise<ns.Bar<T>>` -> Bar,
 * `*pkg.Server` -> Server, `Optional[Foo]` -> Foo; undefined for arrays, functions and literals. */
export function typeHead(text: string | undefined, depth = 0): string | undefined {
  if (!text || depth > 4) return undefined;
  let t = text.trim().replace(/^(?::|->|=)\s*/, '').replace(/[;,]\s*$/, '').trim();
  t = t.replace(/^(?:(?:readonly|typeof|const|mut|ref|out|in|final|unique|dyn|impl)\s+)+/, '');
  const parts = splitTop(t, '|').map((p) => p.trim()).filter((p) => p && !nullish.has(p));
  if (!parts.length) return undefined;
  t = splitTop(parts[0].replace(/^[&*]+\s*(?:mut\s+|'\w+\s+)?/, ''), '&')[0].trim().replace(/[?!]$/, '').trim();
  if (t.startsWith('(') && closing(t, 0) === t.length - 1) return typeHead(t.slice(1, -1), depth + 1);
  const w = wrappers.exec(t);
  if (w) return typeHead(splitTop(w[1], ',')[0], depth + 1);
  if (/\[\s*\]$/.test(t)) return undefined; // Foo[]: an array, not a Foo
  t = t.replace(/[<[].*$/s, '').trim();
  const last = t.split(/\.|::/).pop() ?? '';
  return /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(last) ? last : undefined;
}

/** The element type of a list type: `Foo[]`, `Array<Foo>`, `readonly Foo[]`, `Record<K, Foo>`, `List[Foo]`,
 * `[]*Foo` -> Foo; undefined when `text` is no list type. */
export function elementTypeHead(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let t = text.trim().replace(/^(?::|->|=)\s*/, '').replace(/[;,]\s*$/, '').trim().replace(/^readonly\s+/, '');
  const parts = splitTop(t, '|').map((p) => p.trim()).filter((p) => p && !nullish.has(p));
  if (parts.length !== 1) return undefined;
  t = parts[0];
  if (t.startsWith('(') && closing(t, 0) === t.length - 1) return elementTypeHead(t.slice(1, -1));
  const suffix = /^(.+?)\s*\[\s*\]$/s.exec(t);
  if (suffix) return typeHead(suffix[1]);
  const go = /^\[\]\s*(.+)$/s.exec(t);
  if (go) return typeHead(go[1]);
  const generic = /^(?:ReadonlyArray|Array|Record|List|list|Sequence|MutableSequence|Vec|Dict|dict|Mapping|Map)\s*[<[](.*)[>\]]$/s.exec(t);
  if (!generic) return undefined;
  const args = splitTop(generic[1], ',');
  return typeHead(args[args.length - 1]);
}

const identChar = /[\p{L}\p{N}_$]/u;

/** The first occurrence of `word` in `text` as a whole identifier. */
function wordIndex(text: string, word: string): number {
  for (let i = text.indexOf(word); i !== -1; i = text.indexOf(word, i + 1)) {
    if ((i === 0 || !identChar.test(text[i - 1])) && (i + word.length >= text.length || !identChar.test(text[i + word.length]))) return i;
  }
  return -1;
}

/** What a definition's signature says about its type: a field's declared type or initializer, or a
 * function's return type. `value` is an initializer to evaluate (`= new X()`, `= create()`). */
const declared = new WeakMap<Tag, { type?: string; value?: string }>();

export function declaredType(tag: Tag, lang: LanguageId | undefined): { type?: string; value?: string } {
  let d = declared.get(tag);
  if (!d) declared.set(tag, (d = readDeclaredType(tag, lang)));
  return d;
}

function readDeclaredType(tag: Tag, lang: LanguageId | undefined): { type?: string; value?: string } {
  const sig = tag.signature ?? '';
  const at = wordIndex(sig, tag.name);
  if (at < 0) return {};
  const before = sig.slice(0, at).trim();
  let after = sig.slice(at + tag.name.length);
  if (lang === 'python') {
    const ret = /->\s*(.+)$/.exec(after);
    if (ret) return { type: ret[1] };
    const ann = /^\s*:\s*([^=]+)/.exec(after);
    return ann ? { type: ann[1] } : {};
  }
  if (lang === 'go') {
    after = after.trim();
    if (after.startsWith('(')) {
      const end = closing(after, 0);
      let rest = end < 0 ? '' : after.slice(end + 1).trim();
      if (rest.startsWith('(')) rest = splitTop(rest.slice(1, closing(rest, 0)), ',')[0] ?? '';
      return { type: rest.split(/\s+/).pop() };
    }
    return { type: after.split(/\s+/)[0] };
  }
  if (lang === 'java' || lang === 'csharp' || lang === 'c' || lang === 'cpp') {
    if (tag.kind === 'class' || tag.kind === 'interface') return {};
    const tokens = before.replace(/@\w+(\([^)]*\))?/g, '').split(/\s+/).filter((w) => w && !/^(public|private|protected|internal|static|final|abstract|virtual|override|async|readonly|sealed|synchronized|native|default|extern|inline|const|volatile|new|partial)$/.test(w));
    return { type: tokens.pop() };
  }
  // TypeScript, JavaScript, Rust, PHP, Ruby.
  after = after.replace(/^\s*[?!]/, '').trimStart();
  if (after.startsWith('<')) after = after.slice(closing(after, 0) + 1).trimStart();
  if (after.startsWith('(')) {
    const end = closing(after, 0);
    const rest = end < 0 ? '' : after.slice(end + 1);
    const ret = /^\s*(?::|->)\s*(.+?)(?:\s*(?:=>|\{|where\b).*)?$/s.exec(rest);
    return ret ? { type: ret[1] } : {};
  }
  const ann = /^\s*:\s*([^=;{]+)/.exec(after);
  if (ann) return { type: ann[1] };
  const init = /^\s*=\s*(.+?);?$/.exec(after);
  return init ? { value: init[1] } : {};
}

/** The base types a class or interface names: `extends A implements B, C`, `class X(A, B)`, `: A, B`. */
export function baseTypes(tag: Tag, lang: LanguageId | undefined): string[] {
  const sig = tag.signature ?? '';
  const names: string[] = [];
  const add = (list: string) => { for (const p of splitTop(list, ',')) { const h = typeHead(p); if (h) names.push(h); } };
  if (lang === 'python') {
    const m = /^class\s+[\w]+\s*\((.*)\)/.exec(sig);
    if (m) add(m[1]);
    return names.filter((n) => n !== 'object');
  }
  const ext = /\bextends\s+(.+?)(?=\s+implements\b|$)/.exec(sig);
  if (ext) add(ext[1]);
  const imp = /\bimplements\s+(.+)$/.exec(sig);
  if (imp) add(imp[1]);
  if (lang === 'csharp' || lang === 'cpp') {
    const at = wordIndex(sig, tag.name);
    const colon = at < 0 ? null : /^\s*(?:<[^>]*>)?\s*:\s*(.+)$/.exec(sig.slice(at + tag.name.length));
    if (colon) add(colon[1].replace(/\b(public|private|protected|virtual)\s+/g, ''));
  }
  return names;
}

interface FileShape { classes: Tag[]; functions: Tag[]; bindings: Map<string, Binding[]>; owner: Map<Binding, Tag | undefined> }

/** Each binding's innermost enclosing function, in one sweep over both sorted by row (a file of
 * thousands of functions and bindings must not cost their product on every lookup). */
function owners(functions: Tag[], bindings: readonly Binding[]): Map<Binding, Tag | undefined> {
  const fns = [...functions].sort((a, b) => a.startRow - b.startRow || b.endRow - a.endRow);
  const out = new Map<Binding, Tag | undefined>();
  const open: Tag[] = [];
  let i = 0;
  for (const b of [...bindings].sort((x, y) => x.row - y.row)) {
    for (; i < fns.length && fns[i].startRow <= b.row; i++) {
      while (open.length && open[open.length - 1].endRow < fns[i].startRow) open.pop();
      open.push(fns[i]);
    }
    while (open.length && open[open.length - 1].endRow < b.row) open.pop();
    out.set(b, open[open.length - 1]);
  }
  return out;
}

export class MemberResolver {
  private readonly shapes = new WeakMap<FileAnalysis, FileShape>();
  /** typeNamed's answers while the index stays at one generation (one request resolves the same bases often). */
  private typeMemo = new Map<string, DefinitionLocation | undefined>();
  private memoGeneration = -1;
  /** Per file: how many of its class-like definitions name each base type. */
  private readonly basesOf = new WeakMap<FileAnalysis, Map<string, number>>();
  /** The workspace's sum of those, per index generation. */
  private extendedBy: { generation: number; counts: Map<string, number> } | undefined;

  constructor(private readonly index: SymbolIndex, private readonly resolveName: NameResolver) {}

  private shape(file: string): FileShape | undefined {
    const e = this.index.entry(file);
    if (!e) return undefined;
    let s = this.shapes.get(e);
    if (!s) {
      const bindings = new Map<string, Binding[]>();
      for (const b of e.bindings ?? []) {
        let l = bindings.get(b.name);
        if (!l) bindings.set(b.name, (l = []));
        l.push(b);
      }
      const functions = e.tags.filter((t) => t.role === 'definition' && (t.kind === 'function' || t.kind === 'method'));
      s = {
        classes: e.tags.filter((t) => t.role === 'definition' && classLike.has(t.kind)),
        functions,
        bindings,
        owner: owners(functions, e.bindings ?? []),
      };
      this.shapes.set(e, s);
    }
    return s;
  }

  /** The innermost class-like definition around `row` in `file` (other than `self`). */
  private enclosingClass(file: string, row: number, self?: Tag): DefinitionLocation | undefined {
    let best: Tag | undefined;
    for (const c of this.shape(file)?.classes ?? []) {
      if (c === self || c.startRow > row || c.endRow < row) continue;
      if (!best || c.startRow >= best.startRow) best = c;
    }
    return best && { file, tag: best };
  }

  /** Go: `func (s *Server) Name(…)` belongs to Server. */
  private static goReceiver(tag: Tag): string | undefined {
    const m = /^func\s*\(\s*(?:[\p{L}_][\p{L}\p{N}_]*\s+)?\*?\s*([\p{L}_][\p{L}\p{N}_]*)/u.exec(tag.signature ?? '');
    return m?.[1];
  }

  private isMemberOf(d: DefinitionLocation, type: DefinitionLocation): boolean {
    if (!memberKinds.has(d.tag.kind)) return false;
    if (languageForPath(d.file) === 'go' && d.tag.kind === 'method') {
      return MemberResolver.goReceiver(d.tag) === type.tag.name && posix.dirname(d.file) === posix.dirname(type.file);
    }
    if (d.file !== type.file) return false;
    // By name, not identity: Rust's `impl Buf { … }` blocks add members to `struct Buf` in the same file.
    const owner = this.enclosingClass(d.file, d.tag.row, d.tag)?.tag;
    return owner === type.tag || (owner !== undefined && owner.name === type.tag.name && owner.kind === 'class');
  }

  /** Members named `name` declared in `type` itself: definitions, then `this.x = …` assignments. */
  private ownMembers(type: DefinitionLocation, name: string): { def?: DefinitionLocation; binding?: Binding; file: string }[] {
    const out: { def?: DefinitionLocation; binding?: Binding; file: string }[] = [];
    for (const d of this.index.definitions(name)) if (this.isMemberOf(d, type)) out.push({ def: d, file: d.file });
    if (!out.length) {
      for (const b of this.shape(type.file)?.bindings.get(name) ?? []) {
        if (b.member && this.enclosingClass(type.file, b.row)?.tag === type.tag) out.push({ binding: b, file: type.file });
      }
    }
    return out;
  }

  /** A member of `type` or of the types it extends or implements, nearest first. */
  private lookupMember(type: DefinitionLocation, name: string, depth = 0, seen = new Set<Tag>()): { def?: DefinitionLocation; binding?: Binding; file: string }[] {
    if (depth > maxDepth || seen.has(type.tag)) return [];
    seen.add(type.tag);
    const own = this.ownMembers(type, name);
    if (own.length) return own;
    for (const base of baseTypes(type.tag, languageForPath(type.file))) {
      const b = this.typeNamed(base, type.file);
      if (!b) continue;
      const hit = this.lookupMember(b, name, depth + 1, seen);
      if (hit.length) return hit;
    }
    return [];
  }

  /** The class, interface or struct a type name means from `file`; a type alias is followed. */
  private typeNamed(name: string | undefined, file: string, depth = 0): DefinitionLocation | undefined {
    if (!name || depth > 3) return undefined;
    if (this.memoGeneration !== this.index.generation) { this.typeMemo = new Map(); this.memoGeneration = this.index.generation; }
    const key = `${file}\0${name}\0${depth}`;
    if (this.typeMemo.has(key)) return this.typeMemo.get(key);
    const found = this.typeNamedUncached(name, file, depth);
    this.typeMemo.set(key, found);
    return found;
  }

  private typeNamedUncached(name: string, file: string, depth: number): DefinitionLocation | undefined {
    const d = this.resolveName(name, 'type', file) ?? this.resolveName(name, 'value', file);
    if (!d) return undefined;
    if (!classLike.has(d.tag.kind)) {
      // A constant that names a class (`const Queue = cond ? IdleQueue : PriorityQueue`, `const Impl = Base`):
      // the class it holds (either branch: they share the members a caller may use).
      const init = /=\s*(.+?);?\s*$/.exec(d.tag.signature ?? '')?.[1]?.trim();
      const id = '[\\p{L}_$][\\p{L}\\p{N}_$.]*';
      const alias = init && (new RegExp(`\\?\\s*(${id})\\s*:\\s*${id}$`, 'u').exec(init)?.[1] ?? new RegExp(`^(${id})$`, 'u').exec(init)?.[1]);
      return alias && typeHead(alias) !== name ? this.typeNamed(typeHead(alias), d.file, depth + 1) : undefined;
    }
    if (d.tag.kind === 'type') {
      const alias = /=\s*(.+)$/.exec(d.tag.signature ?? '')?.[1];
      const target = typeHead(alias);
      return target && target !== name ? this.typeNamed(target, d.file, depth + 1) ?? d : d;
    }
    return d;
  }

  /** The type of what a member holds or returns. */
  private memberType(m: { def?: DefinitionLocation; binding?: Binding; file: string }, depth: number, element = false): DefinitionLocation | undefined {
    if (m.binding) return this.bindingType(m.binding, m.file, depth, element);
    const def = m.def!;
    if (classLike.has(def.tag.kind)) return element ? undefined : def;
    const t = declaredType(def.tag, languageForPath(def.file));
    if (element) return this.typeNamed(elementTypeHead(t.type), def.file);
    const head = typeHead(t.type);
    // `-> Self` (Rust), `: this` (TypeScript): the type the member belongs to.
    if (head === 'Self' || head === 'this') return this.enclosingClass(def.file, def.tag.row, def.tag);
    if (head) return this.typeNamed(head, def.file);
    if (t.value) return this.valueType(t.value, def.file, def.tag.row, depth + 1);
    return undefined;
  }

  /** `element`: the type of an element of what the binding holds (`items[i]`), from a declared list type. */
  private bindingType(b: Binding, file: string, depth: number, element = false): DefinitionLocation | undefined {
    if (element) return b.type ? this.typeNamed(elementTypeHead(b.type), file) : undefined;
    const declared = b.type ? this.typeNamed(typeHead(b.type), file) : undefined;
    return declared ?? (b.value ? this.valueType(b.value, file, b.row, depth + 1) : undefined);
  }

  /** The type an initializer evaluates to: `new X()`, `x as X`, `register(new X())`, `&X{}`, a chain. */
  private valueType(text: string, file: string, row: number, depth: number): DefinitionLocation | undefined {
    if (depth > maxDepth) return undefined;
    const v = text.trim().replace(/^await\s+/, '');
    const ctor = /^new\s+([\p{L}_$][\p{L}\p{N}_$.]*)/u.exec(v) ?? /^[\w$.]*register\w*\(\s*new\s+([\p{L}_$][\p{L}\p{N}_$.]*)/u.exec(v) ?? /^&?([\p{L}_][\p{L}\p{N}_.]*)\s*\{/u.exec(v);
    if (ctor) return this.typeNamed(typeHead(ctor[1]), file);
    const cast = /\s(?:as|satisfies)\s+([^()]+)$/.exec(v);
    if (cast) return this.typeNamed(typeHead(cast[1]), file);
    const chain = parseChain(v);
    return chain ? this.chainType(chain, file, row, depth + 1) : undefined;
  }

  /** The binding of a local name visible at `row`: in the innermost function around it, else at module level. */
  private binding(file: string, name: string, row: number): Binding | undefined {
    const s = this.shape(file);
    const list = s?.bindings.get(name);
    if (!list) return undefined;
    // Visible: declared in a function that encloses `row` (closures see their outer functions' names),
    // or at module level; the nearest one before `row` wins.
    let best: Binding | undefined;
    for (const b of list) {
      if (b.member || b.row > row || (best && b.row < best.row)) continue;
      const owner = s!.owner.get(b);
      if (!owner || (owner.startRow <= row && row <= owner.endRow)) best = b;
    }
    return best;
  }

  /**
   * True when the receiver is a local name whose declared type (or `new X()`) is one the workspace does not
   * define (`seen: Set<string>`, `name: string`): its members are not in the workspace either, and a
   * same-named definition there (`Context.add`) is no answer.
   */
  receiverTypedOutside(chain: string[], file: string, row: number): boolean {
    if (chain.length !== 1 || !/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(chain[0]) || ['this', 'self', 'Self', 'super'].includes(chain[0])) return false;
    const b = this.binding(file, chain[0], row);
    if (!b || b.member) return false;
    const head = b.type ? typeHead(b.type) : b.value ? /^new\s+([\p{L}_$][\p{L}\p{N}_$]*)\s*[<(]/u.exec(b.value.trim())?.[1] : undefined;
    return head !== undefined && !this.typeNamed(head, file);
  }

  /** The declared type a receiver chain evaluates to at (file, row). */
  chainType(chain: string[], file: string, row: number, depth = 0): DefinitionLocation | undefined {
    if (!chain.length || depth > maxDepth) return undefined;
    const [first, ...rest] = chain;
    // `items[i]`: an element of what `items` holds.
    const indexed = first.endsWith('[]');
    const head = indexed ? first.slice(0, -2) : first;
    const called = head.endsWith('()');
    const name = called ? head.slice(0, -2) : head;
    let cur: DefinitionLocation | undefined;
    if (indexed && (name === 'this' || name === 'self' || name === 'Self' || name === 'super')) return undefined;
    if (name === 'this' || name === 'self' || name === 'Self') cur = this.enclosingClass(file, row);
    else if (name === 'super') {
      const c = this.enclosingClass(file, row);
      const base = c && baseTypes(c.tag, languageForPath(file))[0];
      cur = base ? this.typeNamed(base, file) : undefined;
    } else if (called) {
      const fn = this.resolveName(name, 'value', file);
      if (fn) cur = this.memberType({ def: fn, file: fn.file }, depth, indexed);
    } else {
      const b = this.binding(file, name, row);
      if (b) cur = this.bindingType(b, file, depth, indexed);
      else {
        // A class used statically (`Foo.create()`), or a module-level constant with a type.
        const d = this.resolveName(name, 'value', file) ?? this.resolveName(name, 'type', file);
        if (d) cur = !indexed && (classLike.has(d.tag.kind) || d.tag.kind === 'module') ? d : this.memberType({ def: d, file: d.file }, depth, indexed);
      }
    }
    for (const seg of rest) {
      if (!cur) return undefined;
      const element = seg.endsWith('[]');
      const m = this.lookupMember(cur, seg.replace(/\[\]$/, '').replace(/\(\)$/, ''))[0];
      if (!m) return undefined;
      cur = this.memberType(m, depth + 1, element);
    }
    return cur;
  }

  /** The member a reference with a receiver chain means, or undefined when the chain's types run out. */
  resolve(ref: Pick<Tag, 'name' | 'chain' | 'row'>, file: string, options: { implementations?: boolean } = {}): MemberResolution | undefined {
    if (!ref.chain?.length) return undefined;
    const type = this.chainType(ref.chain, file, ref.row);
    if (!type) return undefined;
    const found = this.lookupMember(type, ref.name).find((m) => m.def);
    if (!found?.def) return undefined;
    // Implementations scan every definition of the name (`get`, `dispose`: hundreds): inline requests skip them.
    return { definition: found.def, implementations: options.implementations === false ? [] : this.implementations(found.def) };
  }

  /** How many class-like definitions in the workspace name `type` as a base (by name). */
  private extensions(type: string): number {
    if (this.extendedBy?.generation !== this.index.generation) {
      const counts = new Map<string, number>();
      for (const rel of this.index.files) {
        const e = this.index.entry(rel);
        if (!e) continue;
        let own = this.basesOf.get(e);
        if (!own) {
          own = new Map();
          const lang = languageForPath(rel);
          for (const t of e.tags) if (t.role === 'definition' && classLike.has(t.kind)) for (const b of baseTypes(t, lang)) own.set(b, (own.get(b) ?? 0) + 1);
          this.basesOf.set(e, own);
        }
        for (const [b, n] of own) counts.set(b, (counts.get(b) ?? 0) + n);
      }
      this.extendedBy = { generation: this.index.generation, counts };
    }
    return this.extendedBy.counts.get(type) ?? 0;
  }

  /**
   * A member call whose receiver's type is unknown (`compute().pipe(…)`, an inferred type): the member as
   * declared by the type that far more types extend than any other type declaring it (`pipe` of Pipeable,
   * which hundreds of interfaces extend), else undefined.
   */
  commonMember(name: string, accept: (d: DefinitionLocation) => boolean): DefinitionLocation | undefined {
    let best: { def: DefinitionLocation; owner: Tag; n: number } | undefined;
    let runnerUp = 0;
    for (const d of this.index.definitions(name)) {
      if (!memberKinds.has(d.tag.kind) || !accept(d)) continue;
      const owner = this.enclosingClass(d.file, d.tag.row, d.tag)?.tag;
      if (!owner) continue;
      const n = this.extensions(owner.name);
      if (best && owner === best.owner) continue; // another overload of the same declaration
      if (!best || n > best.n) { runnerUp = Math.max(runnerUp, best?.n ?? 0); best = { def: d, owner, n }; } else runnerUp = Math.max(runnerUp, n);
    }
    return best && best.n >= minCommonExtensions && best.n >= 3 * runnerUp ? best.def : undefined;
  }

  /** Classes that implement or extend the member's container and define the member themselves. */
  implementations(def: DefinitionLocation): DefinitionLocation[] {
    const owner = this.enclosingClass(def.file, def.tag.row, def.tag);
    if (!owner) return [];
    const abstract = owner.tag.kind === 'interface' || /\babstract\b/.test(def.tag.signature ?? '') || /\babstract\b/.test(owner.tag.signature ?? '');
    if (!abstract) return [];
    const out: DefinitionLocation[] = [];
    for (const d of this.index.definitions(def.tag.name)) {
      if (d === def || d.tag.kind !== 'method' && d.tag.kind !== 'function' && d.tag.kind !== 'field') continue;
      const c = this.enclosingClass(d.file, d.tag.row, d.tag);
      if (!c || c.tag.kind !== 'class' || c.tag === owner.tag) continue;
      if (this.derivesFrom(c, owner, 0)) out.push(d);
    }
    return out;
  }

  private derivesFrom(c: DefinitionLocation, target: DefinitionLocation, depth: number): boolean {
    if (depth > 3) return false;
    for (const base of baseTypes(c.tag, languageForPath(c.file))) {
      if (base !== target.tag.name) {
        const b = this.typeNamed(base, c.file);
        if (b && b.tag !== c.tag && this.derivesFrom(b, target, depth + 1)) return true;
        continue;
      }
      const b = this.typeNamed(base, c.file);
      if (!b || b.tag === target.tag) return true;
    }
    return false;
  }
}
