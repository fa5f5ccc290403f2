import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildImportGraph, transitiveImporters } from '../../../src/core/context/importGraph';
import { fixtureWorkspace as ws, scratchWorkspace } from './helpers';

test('import graph: TypeScript relative, index and .js-for-.ts specifiers', async () => {
  const g = await buildImportGraph(ws);
  assert.deepEqual(g.importsOf('src/index.ts'), ['src/lib/index.ts', 'src/util.ts']);
  assert.deepEqual(g.importsOf('src/esm.ts'), ['src/util.ts']);
  assert.deepEqual(g.importersOf('src/util.ts'), ['src/esm.ts', 'src/index.ts', 'src/lib/index.ts', 'test/util.test.ts']);
});

test('import graph: .gitignore, node_modules and .venv are respected', async () => {
  const scratch = scratchWorkspace();
  try {
    const g = await buildImportGraph(scratch.root);
    assert.ok(g.files.includes('src/util.ts'));
    assert.ok(!g.files.includes('ignored.ts'));
    assert.ok(!g.files.some((f) => f.startsWith('build/') || f.includes('node_modules') || f.includes('.venv')), g.files.join(','));
  } finally {
    scratch.cleanup();
  }
});

test('import graph: Python relative and package-absolute imports', async () => {
  const g = await buildImportGraph(ws);
  assert.ok(g.importsOf('py/pkg/shapes.py').includes('py/pkg/core.py'));
  assert.deepEqual(g.importsOf('py/tests/test_shapes.py'), ['py/pkg/shapes.py']);
  assert.deepEqual(transitiveImporters(g, 'py/pkg/core.py'), ['py/pkg/shapes.py', 'py/tests/test_shapes.py']);
});

test('import graph: Go packages via go.mod, same-package tests see their siblings', async () => {
  const g = await buildImportGraph(ws);
  assert.deepEqual(g.importsOf('go/main.go'), ['go/calc/calc.go']);
  assert.deepEqual(g.importersOf('go/calc/calc.go'), ['go/calc/calc_test.go', 'go/main.go']);
});

test('import graph: transitive importers reach the tests of a changed file', async () => {
  const g = await buildImportGraph(ws);
  const t = transitiveImporters(g, 'src/util.ts');
  assert.ok(t.includes('test/util.test.ts'));
  assert.ok(!t.includes('src/util.ts'));
});
