// The extension host loads a model without importing node-llama-cpp (1.6–2.1 s and ~40 MiB of RSS): only the
// worker process reads the GGUF with it. This walks what LlamaRuntime imports, statically and with import(),
// and fails naming the chain that reaches node-llama-cpp. Type-only imports are erased and not followed; the
// downloader's import() calls are not followed either, since they run only when a model is being downloaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..', '..');
const DOWNLOAD_ONLY = new Set(['src/core/model/modelDownloader.ts']);

interface Edge { spec: string; dynamic: boolean }

/** The modules a file loads when it runs: value imports, re-exports, import() and require() calls. */
function runtimeImports(file: string): Edge[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = clause?.isTypeOnly || (clause && !clause.name && named && named.length > 0 && named.every((e) => e.isTypeOnly));
      if (!typeOnly) edges.push({ spec: node.moduleSpecifier.text, dynamic: false });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      edges.push({ spec: node.moduleSpecifier.text, dynamic: false });
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0]!)
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      edges.push({ spec: node.arguments[0].text, dynamic: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

function resolveLocal(from: string, spec: string): string {
  const base = join(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  throw new Error(`cannot resolve ${spec} from ${relative(root, from)}`);
}

/** The import chain from `entry` to node-llama-cpp, or undefined when it is never reached. */
function chainToNodeLlamaCpp(entry: string): string[] | undefined {
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]): string[] | undefined => {
    const rel = relative(root, file);
    if (seen.has(rel)) return undefined;
    seen.add(rel);
    for (const { spec, dynamic } of runtimeImports(file)) {
      if (dynamic && DOWNLOAD_ONLY.has(rel)) continue;
      const step = `${rel} ${dynamic ? 'import()s' : 'imports'} ${spec}`;
      if (spec === 'node-llama-cpp' || spec.startsWith('node-llama-cpp/') || spec.startsWith('@node-llama-cpp/')) return [...chain, step];
      if (!spec.startsWith('.')) continue;
      const found = walk(resolveLocal(file, spec), [...chain, step]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(join(root, entry), []);
}

test('loading a model in the extension host never imports node-llama-cpp (LlamaRuntime and all it imports)', () => {
  const chain = chainToNodeLlamaCpp('src/core/model/llamaRuntime.ts');
  assert.equal(chain, undefined, `the host would import node-llama-cpp:\n  ${chain?.join('\n  ')}`);
});

test('the walk finds node-llama-cpp where it is imported: the worker, and the header reader it uses', () => {
  assert.ok(chainToNodeLlamaCpp('src/core/model/worker/llamaWorkerMain.ts'));
  const viaHeader = chainToNodeLlamaCpp('src/core/model/modelFile.ts');
  assert.deepEqual(viaHeader, ['src/core/model/modelFile.ts imports ./ggufHeader', 'src/core/model/ggufHeader.ts import()s node-llama-cpp']);
});
