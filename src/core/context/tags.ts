// Tags of one parsed file: definitions (with their signature) and references (calls, `new`, type
// references, imported names), from our queries/<lang>/tags.scm.
import type { Node, QueryMatch, Tree } from 'web-tree-sitter';
import type { LanguageId } from './languages';
import { loadQuery } from './languages';

export type DefinitionKind = 'function' | 'method' | 'class' | 'interface' | 'type' | 'enum' | 'module' | 'constant' | 'field' | 'macro';
export type ReferenceKind = 'call' | 'class' | 'type' | 'import' | 'implementation';

export interface Tag {
  name: string;
  role: 'definition' | 'reference';
  kind: DefinitionKind | ReferenceKind;
  /** 0-based row and column of the name. */
  row: number;
  column: number;
  /** 0-based rows of the whole definition (or reference expression), inclusive. */
  startRow: number;
  endRow: number;
  /** References like `ns.name(...)`: the identifier before the dot (`ns`), to resolve through imports. */
  receiver?: string;
  /** Member references: the receiver expression as segments, `this._a.b()` -> ['this', '_a', 'b()'] (a
   * call's arguments dropped), to follow declared types one member at a time; empty when the receiver is an
   * expression no chain describes (`\`…\`.pipe()`, `}).pipe(`): a member call all the same. */
  chain?: string[];
  /** Found by the line-level fallback on a file with syntax errors, not by the query. */
  recovered?: boolean;
  /** Definitions: the declaration up to its body (`function add(a: number, b: number): number`). */
  signature?: string;
}

function specificity(kind: string): number {
  return kind === 'constant' ? 0 : kind === 'function' ? 1 : 2;
}

/** `require('x')`, `require('x').y`, or `await import('x')`. */
function isRequireCall(value: Node | null): boolean {
  let v = value;
  while (v && (v.type === 'member_expression' || v.type === 'await_expression' || v.type === 'parenthesized_expression')) v = v.type === 'member_expression' ? v.childForFieldName('object') : v.namedChildren[0] ?? null;
  if (v?.type !== 'call_expression') return false;
  const fn = v.childForFieldName('function');
  return (fn?.type === 'identifier' && fn.text === 'require') || fn?.type === 'import';
}

/** Names declared by the file's top-level variable statements (TS/JS, Python, Go). */
function topLevelConstants(id: LanguageId, root: Node): { nameNode: Node; declNode: Node }[] {
  const out: { nameNode: Node; declNode: Node }[] = [];
  for (const top of root.namedChildren) {
    if (!top) continue;
    let child: Node | null = top;
    if (id === 'typescript' || id === 'tsx' || id === 'javascript') {
      if (child.type === 'export_statement') child = child.childForFieldName('declaration');
      // `declare const setTimeout: (…) => void;` declares a module-level name as much as `const` does.
      if (child?.type === 'ambient_declaration') child = child.namedChildren[0] ?? null;
      if (!child || (child.type !== 'lexical_declaration' && child.type !== 'variable_declaration')) continue;
      for (const d of child.namedChildren) {
        const name = d?.type === 'variable_declarator' ? d.childForFieldName('name') : null;
        // `const x = require('y')` imports a module: not a definition of the file (nor a repo map line).
        if (name?.type === 'identifier' && !isRequireCall(d!.childForFieldName('value'))) out.push({ nameNode: name, declNode: child });
      }
    } else if (id === 'python') {
      const a = child.type === 'expression_statement' ? child.namedChildren[0] ?? null : null;
      const left = a?.type === 'assignment' ? a.childForFieldName('left') : null;
      if (left?.type === 'identifier') out.push({ nameNode: left, declNode: a! });
    } else if (id === 'go') {
      if (child.type !== 'const_declaration' && child.type !== 'var_declaration') continue;
      for (const spec of child.namedChildren) {
        if (!spec) continue;
        for (const name of spec.childrenForFieldName('name')) if (name) out.push({ nameNode: name, declNode: spec });
      }
    }
  }
  return out;
}

const declarationLine = /^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(const|let|var|function\*?|class|interface|type|enum|namespace|module)\s+([A-Za-z_$][\w$]*)/;
const declarationKinds: Record<string, DefinitionKind> = { const: 'constant', let: 'constant', var: 'constant', function: 'function', 'function*': 'function', class: 'class', interface: 'interface', type: 'type', enum: 'enum', namespace: 'module', module: 'module' };

/** The fallback's definitions on rows where `defs` has none (only for a TS/JS tree with errors). */
export function recoveredDeclarations(id: LanguageId, tree: Tree, lines: readonly string[], defs: Tag[]): Tag[] {
  if (!tree.rootNode.hasError || (id !== 'typescript' && id !== 'tsx' && id !== 'javascript')) return [];
  const rowsWithDefs = new Set(defs.filter((d) => d.role === 'definition').map((d) => d.row));
  return lineDeclarations(lines).filter((d) => !rowsWithDefs.has(d.row));
}

/** Declarations that start a line (column 0), each ending before the next one or the next doc comment. */
export function lineDeclarations(lines: readonly string[]): Tag[] {
  const found: Tag[] = [];
  for (let row = 0; row < lines.length; row++) {
    const m = declarationLine.exec(lines[row]);
    if (!m) continue;
    found.push({ name: m[2], role: 'definition', recovered: true, kind: declarationKinds[m[1]], row, column: lines[row].indexOf(m[2], m[0].length - m[2].length), startRow: row, endRow: row, signature: lines[row].replace(/[\s{:=]+$/, '').trim().slice(0, 240) });
  }
  for (const [i, d] of found.entries()) {
    let end = (found[i + 1]?.row ?? lines.length) - 1;
    while (end > d.row && (/^\s*$/.test(lines[end]) || /^\s*(\/\*\*|\*|\/\/)/.test(lines[end]))) end--;
    d.endRow = end;
  }
  return found;
}

const scopeKinds = new Set<string>(['function', 'method', 'class', 'interface', 'module', 'enum']);

/** Definitions that open a scope (the cursor can be inside them). */
export function isScopeTag(t: Tag): boolean {
  return t.role === 'definition' && scopeKinds.has(t.kind);
}

const bodyFields = ['body', 'block'];
const bodyTypes = new Set(['block', 'statement_block', 'class_body', 'declaration_list', 'field_declaration_list', 'compound_statement', 'interface_body', 'enum_body', 'object_type', 'enum_variant_list']);

/** The declaration's text before its body, on one line, at most 240 characters. */
export function signatureOf(node: Node, lines: readonly string[]): string {
  let body: Node | null = null;
  for (const f of bodyFields) { body = node.childForFieldName(f); if (body) break; }
  if (!body) body = node.namedChildren.find((c) => c !== null && bodyTypes.has(c.type)) ?? null;
  let start = node.startPosition;
  // `export`, `export default`, `declare`…: keywords before the node on its line belong to the signature,
  // so the signature shows the line as it reads.
  const lead = lines[start.row]?.slice(0, start.column) ?? '';
  if (lead.trim() && /^\s*(?:(?:export|default|declare|pub(?:\([\w ]+\))?|async|static|public|private|protected)\s+)+$/.test(lead)) start = { row: start.row, column: lead.length - lead.trimStart().length };
  const end = body ? body.startPosition : node.endPosition;
  let text: string;
  if (end.row === start.row) text = lines[start.row]?.slice(start.column, end.column) ?? '';
  else {
    const parts = [lines[start.row]?.slice(start.column) ?? ''];
    for (let r = start.row + 1; r < end.row && r < start.row + 8; r++) parts.push(lines[r] ?? '');
    if (end.row < start.row + 8) parts.push(lines[end.row]?.slice(0, end.column) ?? '');
    text = parts.join(' ');
  }
  if (!body && end.row > start.row) text = lines[start.row] ?? '';
  text = text.replace(/\s+/g, ' ').replace(/[\s{:=]+$/, '').trim();
  return text.length > 240 ? `${text.slice(0, 237)}...` : text;
}

/**
 * Runs the tags query over `tree`. A reference at the same position as a definition's name is the
 * definition itself (type_identifier matches both) and is dropped.
 */
/**
 * A local name whose type the code declares or implies: a parameter or variable annotation, or an
 * initializer (`new X()`, a call, a member chain). `member`: `this.x = …` / `self.x = …`, a member of the
 * enclosing class.
 */
export interface Binding {
  name: string;
  row: number;
  /** The last row of the binding's declaration, when it is not `row` (`const x = f(() => {…})`). */
  endRow?: number;
  /** The annotation's text (`IFoo | undefined`). */
  type?: string;
  /** The initializer's text, when there is no annotation. */
  value?: string;
  member?: boolean;
}

/** A receiver expression's text as member segments (`this._a.b(x)!.c` -> ['this', '_a', 'b()', 'c']);
 * undefined for anything that is not a plain chain of names and calls (indexing, literals, lambdas). */
export function parseChain(text: string): string[] | undefined {
  if (text.length > 400) return undefined;
  let t = text.replace(/\s+/g, '').replace(/^await/, '');
  // Arguments and type arguments go: `f<T>(a, g(b))` -> `f()`.
  // Innermost first, each group replaced by a marker so the enclosing one no longer holds parentheses.
  for (let i = 0; i < 8 && t.includes('('); i++) t = t.replace(/\([^()]*\)/g, '\u0000');
  if (t.includes('(') || t.includes(')')) return undefined;
  t = t.replace(/\u0000/g, '()');
  t = t.replace(/<[^<>()]*>(?=\()/g, '').replace(/!/g, '').replace(/\?\./g, '.').replace(/::|->/g, '.');
  if (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1);
  // An element access keeps only that it is one: `this.items[i + 1].x` -> ['this', 'items[]', 'x'].
  for (let i = 0; i < 4 && /\[[^[\]]+\]/.test(t); i++) t = t.replace(/\[[^[\]]+\]/g, '\u0001');
  t = t.replace(/\u0001/g, '[]');
  const parts = t.split('.');
  return parts.length && parts.every((p) => /^[\p{L}_$][\p{L}\p{N}_$]*(\(\))?(\[\])?$/u.test(p)) ? parts : undefined;
}

/** Rows (0-based, inclusive) to re-read after an incremental reparse; the rest of the file is unchanged. */
export interface RowRange { startRow: number; endRow: number }

/**
 * The query range for `range`: one row wider on top, so a node that ends at column 0 of the range's first row
 * (tree-sitter's end is exclusive) is matched too. Callers keep what `overlaps` the range exactly.
 */
export function rangeOptions(range: RowRange | undefined): { startPosition?: { row: number; column: number }; endPosition?: { row: number; column: number } } {
  return range ? { startPosition: { row: Math.max(0, range.startRow - 1), column: 0 }, endPosition: { row: range.endRow + 1, column: 0 } } : {};
}

/** Whether rows [startRow, endRow] share a row with `range` (no range: everything does). An incremental
 * re-read replaces exactly the items whose rows overlap the edited rows, enclosing ones included. */
export function overlaps(startRow: number, endRow: number, range: RowRange | undefined): boolean {
  return !range || (startRow <= range.endRow && endRow >= range.startRow);
}

/** Tags in source order; a tie (one position) by role, kind and name, so every path gives one order. */
export function compareTags(a: Tag, b: Tag): number {
  return a.row - b.row || a.column - b.column || (a.role < b.role ? -1 : a.role > b.role ? 1 : 0) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Bindings by row, then name (member resolution looks them up by name). */
export function compareBindings(a: Binding, b: Binding): number {
  return a.row - b.row || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** (row, column) as one number, exact below 2^29 rows and 2^24 columns: no string per tag. */
function positionKey(row: number, column: number): number {
  return row * 16777216 + column;
}

export async function extractTags(id: LanguageId, tree: Tree, text: string, range?: RowRange): Promise<Tag[]> {
  const query = await loadQuery(id, 'tags');
  if (!query) return [];
  return tagsFromMatches(id, tree, text, query.matches(tree.rootNode, rangeOptions(range)), range);
}

/** The tags of `tree` from the tags query's matches (the combined analysis query's too: matches without
 * a @name and a @definition/@reference capture are ignored). */
/** Bindings from the query's `@binding` / `@binding.member` matches (with `@name`, and `@type` or `@value`). */
export function bindingsFromMatches(matches: QueryMatch[], range?: RowRange): Binding[] {
  const out = new Map<number, Binding>();
  for (const m of matches) {
    let name: Node | undefined;
    let type: string | undefined;
    let value: string | undefined;
    let member = false;
    let whole: Node | undefined;
    for (const c of m.captures) {
      if (c.name === 'name') name = c.node;
      else if (c.name === 'type') type = c.node.text;
      else if (c.name === 'value') value = c.node.text;
      else if (c.name === 'binding.member') { member = true; whole = c.node; }
      else if (c.name === 'binding') whole = c.node;
    }
    if (!name || (!type && !value)) continue;
    const row = name.startPosition.row;
    const endRow = Math.max(row, whole ? whole.endPosition.row : row);
    if (!overlaps(Math.min(row, whole ? whole.startPosition.row : row), endRow, range)) continue;
    const key = positionKey(row, name.startPosition.column);
    const seen = out.get(key);
    if (seen) {
      if (type && !seen.type) seen.type = type.slice(0, 200);
      if (value && !seen.value) seen.value = value.slice(0, 400);
      if (endRow > (seen.endRow ?? seen.row)) seen.endRow = endRow;
      continue;
    }
    const b: Binding = { name: name.text, row };
    if (endRow > row) b.endRow = endRow;
    if (type) b.type = type.slice(0, 200);
    if (value) b.value = value.slice(0, 400);
    if (member) b.member = true;
    out.set(key, b);
  }
  return [...out.values()].sort(compareBindings);
}

export function tagsFromMatches(id: LanguageId, tree: Tree, text: string, matches: QueryMatch[], range?: RowRange, lines: readonly string[] = text.split('\n')): Tag[] {
  const defs: Tag[] = [];
  const refs: Tag[] = [];
  const defAt = new Map<number, Tag>();
  for (const m of matches) {
    let nameNode: Node | undefined;
    let receiver: string | undefined;
    let outer: { role: 'definition' | 'reference'; kind: string; node: Node } | undefined;
    for (const c of m.captures) {
      if (c.name === 'name') nameNode = c.node;
      else if (c.name === 'receiver') receiver = c.node.text;
      else if (c.name.startsWith('definition.')) outer = { role: 'definition', kind: c.name.slice(11), node: c.node };
      else if (c.name.startsWith('reference.')) outer = { role: 'reference', kind: c.name.slice(10), node: c.node };
    }
    if (!nameNode || !outer) continue;
    let name = nameNode.text;
    // `T`, `K`: a single-letter type name is a type parameter nearly always, never a workspace definition
    // worth resolving; dropping it saves most type references of generic code.
    if (outer.kind === 'type' && name.length === 1) continue;
    if (outer.kind === 'import' && id === 'go') name = name.replace(/^"|"$/g, '').split('/').pop() ?? name;
    if (!name) continue;
    const tag: Tag = {
      name,
      role: outer.role,
      kind: outer.kind as Tag['kind'],
      row: nameNode.startPosition.row,
      column: nameNode.startPosition.column,
      startRow: outer.node.startPosition.row,
      // A name captured as its own reference (`(type_identifier) @name @reference.type`, most matches on
      // typed code) is one token on one row: skip the wasm call for its end.
      endRow: outer.node.id === nameNode.id ? nameNode.startPosition.row : outer.node.endPosition.row,
    };
    // A re-read range keeps every tag that shares a row with it, those around it too (a class whose
    // body was edited): their end rows and texts are read from the new tree, never shifted by guess.
    if (!overlaps(tag.startRow, tag.endRow, range)) continue;
    if (receiver) {
      if (/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(receiver)) { tag.receiver = receiver; tag.chain = [receiver]; }
      else {
        tag.chain = parseChain(receiver) ?? [];
      }
    }
    if (tag.role === 'definition') {
      const key = positionKey(tag.row, tag.column);
      const seen = defAt.get(key);
      // Two patterns matched one definition (a Rust fn in an impl is a function and a method): the more
      // specific kind wins.
      if (seen && specificity(tag.kind) <= specificity(seen.kind)) continue;
      tag.signature = signatureOf(outer.node, lines);
      // `typedef struct point {…} point_t`: the name comes after the body.
      if (!tag.signature.includes(name)) tag.signature = `${tag.signature} … ${name}`;
      if (seen) { Object.assign(seen, tag); continue; }
      defAt.set(key, tag);
      defs.push(tag);
    } else refs.push(tag);
  }
  // Module-level constants come from the root's children, not the query: a pattern anchored at the root
  // node stays in progress for the whole file and gets dropped on big files.
  for (const { nameNode, declNode } of topLevelConstants(id, tree.rootNode)) {
    const key = positionKey(nameNode.startPosition.row, nameNode.startPosition.column);
    if (defAt.has(key) || !overlaps(declNode.startPosition.row, declNode.endPosition.row, range)) continue;
    const tag: Tag = {
      name: nameNode.text, role: 'definition', kind: 'constant',
      row: nameNode.startPosition.row, column: nameNode.startPosition.column,
      startRow: declNode.startPosition.row, endRow: declNode.endPosition.row,
    };
    tag.signature = signatureOf(declNode, lines);
    if (!tag.signature.includes(tag.name)) tag.signature = `${tag.signature} … ${tag.name}`;
    defAt.set(key, tag);
    defs.push(tag);
  }
  // Error recovery: when the tree has errors, a TS/JS declaration that starts a line may have been swallowed
  // by an ERROR node (tree-sitter-typescript 0.23 trips on some generic call signatures). Recover those from
  // the line itself, so one bad construct does not hide the rest of the file's definitions.
  if (!range) defs.push(...recoveredDeclarations(id, tree, lines, defs));
  const out = defs;
  // Two patterns may match one reference (a plain and a receiver-qualified call): keep one, with receiver.
  const refAt = new Map<number, Tag>();
  for (const r of refs) {
    const key = positionKey(r.row, r.column);
    if (defAt.has(key)) continue;
    const seen = refAt.get(key);
    if (seen) {
      if (r.receiver && !seen.receiver) seen.receiver = r.receiver;
      if (r.chain && !seen.chain) seen.chain = r.chain;
      continue;
    }
    refAt.set(key, r);
    out.push(r);
  }
  out.sort(compareTags);
  return out;
}
