// Related tests that are right (src/core/verify/selection.ts): the selection never replaces the runner's own file
// list with files the runner cannot load, and tests that load a build's output run in full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesDir } from '../../support/scratchDir';
import { detectTestCommand, type TestCommand } from '../../../src/core/verify/detect';
import { runnerLoads, selectTestsExplained, type ImportGraphLike } from '../../../src/core/verify/selection';
import { positionals } from '../../../src/core/verify/runnerOptions';

const project = (files: Record<string, string>): string => filesDir('qwq-sel-', files);

/** An import graph from "file → what it imports". */
function graph(imports: Record<string, string[]>): ImportGraphLike {
  const files = [...new Set([...Object.keys(imports), ...Object.values(imports).flat()])];
  return { files, importersOf: (f) => Object.entries(imports).filter(([, to]) => to.includes(f)).map(([from]) => from) };
}

const pkg = (scripts: Record<string, string>): string => JSON.stringify({ name: 'p', scripts });

test('yargs-parser: `mocha test/*.mjs` after a tsc pretest is never handed test/typescript/types.ts; every test runs, and says why', async () => {
  const root = project({
    'package.json': pkg({ pretest: 'rimraf build && tsc -p tsconfig.test.json && cross-env NODE_ENV=test npm run build:cjs', test: 'c8 --reporter=text --reporter=html mocha test/*.mjs', 'build:cjs': 'rollup -c rollup.config.js' }),
    'tsconfig.test.json': '{ "compilerOptions": { "outDir": "build" }, "include": ["src", "test/typescript"] }',
    'src/yargs-parser.ts': '', 'test/yargs-parser.mjs': '', 'test/typescript/types.ts': '',
  });
  const cmd = detectTestCommand(root)!;
  assert.equal(cmd.runner, 'mocha');
  const g = graph({ 'test/typescript/types.ts': ['src/yargs-parser.ts'], 'test/yargs-parser.mjs': [] });
  const r = await selectTestsExplained(cmd, 'related', ['src/yargs-parser.ts'], async () => g, root);
  assert.deepEqual(r.sel, { kind: 'all' });
  assert.match(r.note!, /test\/typescript\/types\.ts.*not ones .*mocha test\/\*\.mjs.* loads/);
  // The old selection, for contrast: the graph alone names the file mocha cannot load.
  assert.deepEqual(await selectTestsExplained(cmd, 'related', ['src/yargs-parser.ts'], async () => g), { sel: { kind: 'files', files: ['test/typescript/types.ts'] } });
});

test('tests that import the build output run in full (the graph cannot follow the change through tsc)', async () => {
  const root = project({
    'package.json': pkg({ pretest: 'tsc', test: 'mocha test/*.mjs' }),
    'tsconfig.json': '{ // comment\n "compilerOptions": { "outDir": "dist", }, }',
    'src/a.ts': '', 'dist/a.js': '', 'test/a.mjs': '', 'test/b.mjs': '',
  });
  const g = graph({ 'test/a.mjs': ['dist/a.js'], 'test/b.mjs': ['src/a.ts'] });
  const r = await selectTestsExplained(detectTestCommand(root)!, 'related', ['src/a.ts'], async () => g, root);
  assert.deepEqual(r.sel, { kind: 'all' });
  assert.match(r.note!, /build's output \(dist\)/);
});

test('a loadable related file is kept, one outside the runner\'s glob is dropped', async () => {
  const root = project({ 'package.json': pkg({ test: 'mocha "test/**/*.mjs"' }), 'src/a.js': '' });
  const g = graph({ 'test/unit/a.mjs': ['src/a.js'], 'test/types/a.ts': ['src/a.js'], 'test/a.test.js': ['src/a.js'] });
  const r = await selectTestsExplained(detectTestCommand(root)!, 'related', ['src/a.js'], async () => g, root);
  assert.deepEqual(r.sel, { kind: 'files', files: ['test/unit/a.mjs'] });
  assert.equal(r.note, undefined);
});

test('no related test: no-tests without a build step, every test with one', async () => {
  const plain = project({ 'package.json': pkg({ test: 'mocha' }) });
  assert.equal((await selectTestsExplained(detectTestCommand(plain)!, 'related', ['src/x.js'], async () => graph({}), plain)).sel, undefined);
  const built = project({ 'package.json': pkg({ test: 'npm run build && mocha' }) });
  const r = await selectTestsExplained(detectTestCommand(built)!, 'related', ['src/x.js'], async () => graph({}), built);
  assert.deepEqual(r.sel, { kind: 'all' });
});

const cmdOf = (runner: TestCommand['runner'], base: string): TestCommand => ({ runner, base, prefix: '', source: 'test' });

test('runnerLoads: mocha defaults to ./test/*.{js,cjs,mjs}, recursive only with --recursive', () => {
  const root = project({ 'test/a.js': '', 'test/unit/b.js': '' });
  const plain = runnerLoads(cmdOf('mocha', 'mocha'), root);
  assert.equal(plain('test/a.js'), true);
  assert.equal(plain('test/a.mjs'), true);
  assert.equal(plain('test/a.ts'), false, 'no TypeScript loader');
  assert.equal(plain('test/unit/b.js'), false, 'not recursive');
  assert.equal(runnerLoads(cmdOf('mocha', 'mocha --recursive'), root)('test/unit/b.js'), true);
  assert.equal(runnerLoads(cmdOf('mocha', 'mocha test'), root)('test/unit/b.js'), false, 'a folder, not recursive');
});

test('runnerLoads: TypeScript only with a loader in the step or the runner\'s config', () => {
  const root = project({ 'test/a.ts': '' });
  assert.equal(runnerLoads(cmdOf('mocha', 'mocha --require ts-node/register test'), root)('test/a.ts'), true);
  assert.equal(runnerLoads(cmdOf('mocha', 'mocha --extension ts test'), root)('test/a.ts'), true);
  const rc = project({ '.mocharc.json': '{ "require": "tsx", "spec": "test/**/*.spec.ts" }' });
  assert.equal(runnerLoads(cmdOf('mocha', 'mocha'), rc)('test/a.spec.ts'), true);
  assert.equal(runnerLoads(cmdOf('node:test', 'node --test'), root)('test/a.test.ts'), false);
  assert.equal(runnerLoads(cmdOf('node:test', 'node --import tsx --test'), root)('test/a.test.ts'), true);
  assert.equal(runnerLoads(cmdOf('node:test', 'node --test'), root)('test/a.test.mjs'), true);
  assert.equal(runnerLoads(cmdOf('node:test', 'node --test'), root)('src/helper.mjs'), false, 'not a test file by the defaults');
});

test('runnerLoads: pytest keeps its own paths', () => {
  const root = project({ 'tests/unit/test_a.py': '', 'tests/integration/test_b.py': '' });
  const loads = runnerLoads(cmdOf('pytest', 'python3 -m pytest -q tests/unit'), root);
  assert.equal(loads('tests/unit/test_a.py'), true);
  assert.equal(loads('tests/integration/test_b.py'), false);
  assert.equal(runnerLoads(cmdOf('pytest', 'python3 -m pytest'), root)('tests/integration/test_b.py'), true);
});

test('positionals: files, globs and mocha --spec values; option values are not paths', () => {
  assert.deepEqual(positionals('mocha', 'mocha --require @babel/register --spec "test/**/*.js" test/x.js'), ['test/**/*.js', 'test/x.js']);
  assert.deepEqual(positionals('mocha', 'c8 --reporter=text mocha test/*.mjs'), ['test/*.mjs']);
  assert.deepEqual(positionals('node:test', 'node --test --import tsx'), []);
});
