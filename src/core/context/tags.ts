// Tags of one parsed file: definitions (with their signature) and references (calls, `new`, type
// references, imported names), from our queries/<lang>/tags.scm.
import type { Node, Tree } from 'web-tree-sitter';
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
  /** Definitions: the declaration up to its body (`function add(a: number, b: number): number`). */
  signature?: string;
}

const scopeKinds = new Set<string>(['function', 'method', 'class', 'interface', 'module', 'enum']);

/** Definitions that open a scope (the cursor can be inside them). */
export function isScopeTag(t: Tag): boolean {
  return t.role === 'definition' && scopeKinds.has(t.kind);
}

const bodyFields = ['body', 'block'];
const bodyTypes = new Set(['block', 'statement_block', 'class_body', 'declaration_list', 'field_declaration_list', 'compound_statement', 'interface_body', 'enum_body', 'object_type', 'enum_variant_list']);

/** The declaration's text before its body, on one line, at most 240 characters. */
export function signatureOf(node: Node, lines: string[]): string {
  let body: Node | null = null;
  for (const f of bodyFields) { body = node.childForFieldName(f); if (body) break; }
  if (!body) body = node.namedChildren.find((c) => c !== null && bodyTypes.has(c.type)) ?? null;
  const start = node.startPosition;
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
export async function extractTags(id: LanguageId, tree: Tree, text: string): Promise<Tag[]> {
  const query = await loadQuery(id, 'tags');
  if (!query) return [];
  const lines = text.split('\n');
  const defs: Tag[] = [];
  const refs: Tag[] = [];
  const defAt = new Set<string>();
  for (const m of query.matches(tree.rootNode)) {
    let nameNode: Node | undefined;
    let outer: { role: 'definition' | 'reference'; kind: string; node: Node } | undefined;
    for (const c of m.captures) {
      if (c.name === 'name') nameNode = c.node;
      else if (c.name.startsWith('definition.')) outer = { role: 'definition', kind: c.name.slice(11), node: c.node };
      else if (c.name.startsWith('reference.')) outer = { role: 'reference', kind: c.name.slice(10), node: c.node };
    }
    if (!nameNode || !outer) continue;
    let name = nameNode.text;
    if (outer.kind === 'import' && id === 'go') name = name.replace(/^"|"$/g, '').split('/').pop() ?? name;
    if (!name) continue;
    const tag: Tag = {
      name,
      role: outer.role,
      kind: outer.kind as Tag['kind'],
      row: nameNode.startPosition.row,
      column: nameNode.startPosition.column,
      startRow: outer.node.startPosition.row,
      endRow: outer.node.endPosition.row,
    };
    if (tag.role === 'definition') {
      const key = `${tag.row}:${tag.column}`;
      if (defAt.has(key)) continue; // two patterns matched one definition (e.g. function_expression in a declarator)
      defAt.add(key);
      tag.signature = signatureOf(outer.node, lines);
      // `typedef struct point {…} point_t`: the name comes after the body.
      if (!tag.signature.includes(name)) tag.signature = `${tag.signature} … ${name}`;
      defs.push(tag);
    } else refs.push(tag);
  }
  const out = defs;
  const refAt = new Set<string>();
  for (const r of refs) {
    const key = `${r.row}:${r.column}`;
    if (defAt.has(key) || refAt.has(key)) continue;
    refAt.add(key);
    out.push(r);
  }
  out.sort((a, b) => a.row - b.row || a.column - b.column);
  return out;
}
