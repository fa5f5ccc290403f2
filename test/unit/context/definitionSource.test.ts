// A definition source (in the editor: the language servers) sharpens the context when a request asks for
// it: its answers replace tree-sitter's for the names it answers; a source that never answers is not
// waited for; without `languageServer: true` it is not asked at all (the CLI and inline completion).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ContextEngine, type DefinitionSource } from '../../../src/core/context/engine';

const files: Record<string, string> = {
  'src/make.ts': 'export class Runner {\n  go(): number { return 1; }\n}\n',
  'src/factory.ts': "import { Runner } from './make';\n\nexport function make() {\n  return new Runner();\n}\n",
  'src/decoy1.ts': 'export class A {\n  go(): number { return 2; }\n}\n',
  'src/decoy2.ts': 'export class B {\n  go(): number { return 3; }\n}\n',
  'src/use.ts': "import { make } from './factory';\n\nexport function use(): number {\n  const r = make();\n  return r.go();\n}\n",
};

let root: string;
let engine: ContextEngine;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'qwq-ctx-source-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  engine = new ContextEngine(root, { cacheDir: false, workers: 0 });
  await engine.ready();
});
after(() => { engine.dispose(); rmSync(root, { recursive: true, force: true }); });

const runnerGo = (s: { path: string; text: string; kind: string }) => s.kind === 'definition' && s.path === 'src/make.ts' && s.text.includes('go(): number { return 1; }');

test('the source answers what tree-sitter cannot (an inferred return type); without the flag it is not asked', async () => {
  const asked: string[] = [];
  const source: DefinitionSource = async (file, queries) => {
    asked.push(...queries.map((q) => q.name));
    const go = queries.find((q) => q.name === 'go');
    return go ? [{ query: go, file: join(root, 'src/make.ts'), line: 1 }] : [];
  };
  engine.setDefinitionSource(source);
  const plain = await engine.context({ file: 'src/use.ts', line: 4, column: 3, budget: 2048 });
  assert.equal(asked.length, 0, 'not asked without languageServer: true');
  assert.ok(!plain.snippets.some(runnerGo), 'tree-sitter alone cannot tell which go() (make() has no declared type)');
  const sharp = await engine.context({ file: 'src/use.ts', line: 4, column: 3, budget: 2048, languageServer: true });
  assert.ok(asked.includes('go'));
  assert.ok(sharp.snippets.some(runnerGo), 'the source\'s answer is packed');
  assert.ok(!sharp.snippets.some((s) => s.kind === 'definition' && s.path.startsWith('src/decoy')));
});

test('a source that never answers is not waited for; tree-sitter answers alone', async () => {
  engine.setDefinitionSource(() => new Promise(() => {}));
  const ctx = await engine.context({ file: 'src/use.ts', line: 4, column: 3, budget: 2048, languageServer: true });
  assert.ok(ctx.snippets.some((s) => s.kind === 'definition' && s.symbol === 'make'), 'tree-sitter still resolves make()');
});

test('answers outside the workspace, or that throw, are ignored', async () => {
  engine.setDefinitionSource(async (_file, queries) => queries.map((q) => ({ query: q, file: '/usr/lib/node/lib.d.ts', line: 3 })));
  const outside = await engine.context({ file: 'src/use.ts', line: 4, column: 3, budget: 2048, languageServer: true });
  assert.ok(outside.snippets.every((s) => !s.path.startsWith('..') && !s.path.startsWith('/')));
  engine.setDefinitionSource(async () => { throw new Error('provider failed'); });
  const failed = await engine.context({ file: 'src/use.ts', line: 4, column: 3, budget: 2048, languageServer: true });
  assert.ok(failed.snippets.some((s) => s.kind === 'definition' && s.symbol === 'make'));
  engine.setDefinitionSource(undefined);
});
