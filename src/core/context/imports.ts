// Import statements of a parsed file: what module each names (the specifier, as written) and which local
// names it binds. The query (queries/<lang>/imports.scm) finds the statements; this reads their fields.
import type { Node, Tree } from 'web-tree-sitter';
import type { LanguageId } from './languages';
import { loadQuery } from './languages';
import { overlaps, rangeOptions, type RowRange } from './tags';

export interface ImportRecord {
  /** As written: './util', 'os.path', '..models', 'github.com/x/y', 'stdio.h', 'crate::a::b'. */
  specifier: string;
  /** Local names it binds (empty for side-effect imports and wildcards). */
  names: string[];
  /** 1-based lines of the statement. */
  startLine: number;
  endLine: number;
  /** C/C++ `#include <…>`: a system header, never in the workspace. */
  system?: boolean;
}

function unquote(s: string): string {
  return s.replace(/^[`'"<]|[`'">]$/g, '');
}

function stringText(node: Node | null): string | undefined {
  if (!node) return undefined;
  const frag = node.descendantsOfType('string_fragment')[0] ?? node.descendantsOfType('string_content')[0];
  return frag ? frag.text : unquote(node.text);
}

function jsImport(node: Node): Omit<ImportRecord, 'startLine' | 'endLine'> | undefined {
  if (node.type === 'call_expression') {
    const arg = node.childForFieldName('arguments')?.namedChildren[0];
    const specifier = stringText(arg ?? null);
    if (specifier === undefined) return undefined;
    const names: string[] = [];
    const decl = node.parent?.type === 'variable_declarator' ? node.parent : node.parent?.parent?.type === 'variable_declarator' ? node.parent.parent : undefined;
    const binding = decl?.childForFieldName('name');
    if (binding?.type === 'identifier') names.push(binding.text);
    else if (binding) for (const id of binding.descendantsOfType(['shorthand_property_identifier_pattern', 'identifier'])) names.push(id.text);
    return { specifier, names };
  }
  if (node.type === 'import_require_clause') {
    const specifier = stringText(node.childForFieldName('source'));
    const name = node.namedChildren.find((c) => c?.type === 'identifier');
    return specifier === undefined ? undefined : { specifier, names: name ? [name.text] : [] };
  }
  const specifier = stringText(node.childForFieldName('source'));
  if (specifier === undefined) return undefined;
  const names: string[] = [];
  const clause = node.namedChildren.find((c) => c?.type === 'import_clause' || c?.type === 'export_clause');
  if (clause) {
    for (const c of clause.namedChildren) {
      if (!c) continue;
      if (c.type === 'identifier') names.push(c.text);
      else if (c.type === 'namespace_import') { const id = c.namedChildren.find((x) => x?.type === 'identifier'); if (id) names.push(id.text); }
      else if (c.type === 'named_imports') {
        for (const s of c.namedChildren) {
          if (s?.type !== 'import_specifier') continue;
          const local = s.childForFieldName('alias') ?? s.childForFieldName('name');
          if (local) names.push(local.text);
        }
      } else if (c.type === 'export_specifier') {
        const local = c.childForFieldName('alias') ?? c.childForFieldName('name');
        if (local) names.push(local.text);
      }
    }
  }
  return { specifier, names };
}

function pythonImports(node: Node): Omit<ImportRecord, 'startLine' | 'endLine'>[] {
  if (node.type === 'import_statement') {
    const out: Omit<ImportRecord, 'startLine' | 'endLine'>[] = [];
    for (const n of node.childrenForFieldName('name')) {
      if (!n) continue;
      if (n.type === 'aliased_import') {
        const name = n.childForFieldName('name');
        const alias = n.childForFieldName('alias');
        if (name) out.push({ specifier: name.text, names: alias ? [alias.text] : [name.text.split('.')[0]] });
      } else out.push({ specifier: n.text, names: [n.text.split('.')[0]] });
    }
    return out;
  }
  const module = node.childForFieldName('module_name');
  if (!module) return [];
  const names: string[] = [];
  for (const n of node.childrenForFieldName('name')) {
    if (!n) continue;
    if (n.type === 'aliased_import') {
      const alias = n.childForFieldName('alias') ?? n.childForFieldName('name');
      if (alias) names.push(alias.text);
    } else names.push(n.text);
  }
  // `from pkg import mod` may bind a submodule: the resolver also tries `pkg.mod` for each name.
  return [{ specifier: module.text, names }];
}

function goImport(node: Node): Omit<ImportRecord, 'startLine' | 'endLine'> | undefined {
  const path = node.childForFieldName('path');
  if (!path) return undefined;
  const specifier = unquote(path.text);
  const alias = node.childForFieldName('name');
  return { specifier, names: [alias ? alias.text : specifier.split('/').pop()!] };
}

function otherImport(id: LanguageId, node: Node): Omit<ImportRecord, 'startLine' | 'endLine'> | undefined {
  switch (id) {
    case 'rust': {
      if (node.type === 'mod_item') {
        const name = node.childForFieldName('name');
        return name ? { specifier: `mod:${name.text}`, names: [name.text] } : undefined;
      }
      const arg = node.childForFieldName('argument');
      if (!arg) return undefined;
      const names = arg.descendantsOfType('identifier').map((n) => n.text);
      return { specifier: arg.text, names: names.length ? [names[names.length - 1]] : [] };
    }
    case 'java': {
      const path = node.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier');
      if (!path) return undefined;
      const wildcard = node.namedChildren.some((c) => c?.type === 'asterisk');
      return { specifier: wildcard ? `${path.text}.*` : path.text, names: wildcard ? [] : [path.text.split('.').pop()!] };
    }
    case 'c':
    case 'cpp': {
      const path = node.childForFieldName('path');
      if (!path) return undefined;
      return { specifier: unquote(path.text), names: [], system: path.type === 'system_lib_string' };
    }
    case 'csharp': {
      const name = node.namedChildren.find((c) => c?.type === 'qualified_name' || c?.type === 'identifier');
      return name ? { specifier: name.text, names: [] } : undefined;
    }
    case 'ruby': {
      const arg = node.childForFieldName('arguments')?.namedChildren[0];
      const s = stringText(arg ?? null);
      return s === undefined ? undefined : { specifier: s, names: [] };
    }
    case 'php': {
      const s = node.descendantsOfType(['string', 'encapsed_string'])[0];
      if (s) return { specifier: stringText(s) ?? unquote(s.text), names: [] };
      const names = node.descendantsOfType('qualified_name').map((n) => n.text);
      return names.length ? { specifier: names[0], names: [names[0].split('\\').pop()!] } : undefined;
    }
    default:
      return undefined;
  }
}

/** The imports of a tree, in source order. */
export async function extractImports(id: LanguageId, tree: Tree, range?: RowRange): Promise<ImportRecord[]> {
  const query = await loadQuery(id, 'imports');
  if (!query) return [];
  return importsFromNodes(id, query.captures(tree.rootNode, rangeOptions(range)).filter((c) => c.name === 'import').map((c) => c.node), range);
}

/** Import records of the statements the imports query captured as @import, in the given (source) order. */
export function importsFromNodes(id: LanguageId, nodes: Node[], range?: RowRange): ImportRecord[] {
  const out: ImportRecord[] = [];
  for (const node of nodes) {
    if (!overlaps(node.startPosition.row, node.endPosition.row, range)) continue;
    const lines = { startLine: node.startPosition.row + 1, endLine: node.endPosition.row + 1 };
    if (id === 'typescript' || id === 'tsx' || id === 'javascript') {
      const r = jsImport(node);
      if (r) out.push({ ...r, ...lines });
    } else if (id === 'python') {
      for (const r of pythonImports(node)) out.push({ ...r, ...lines });
    } else if (id === 'go') {
      const r = goImport(node);
      if (r) out.push({ ...r, ...lines });
    } else {
      const r = otherImport(id, node);
      if (r) out.push({ ...r, ...lines });
    }
  }
  return out;
}
