import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectTestCommand, buildInvocation, verifyChanges, NO_TEST_COMMAND_MESSAGE } from '../../../src/core/verify';

const made: string[] = [];
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

function ws(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'qwq-detect-'));
  made.push(d);
  for (const [p, t] of Object.entries(files)) { mkdirSync(join(d, p, '..'), { recursive: true }); writeFileSync(join(d, p), t); }
  return d;
}
const pkg = (test: string, extra: object = {}) => ({ 'package.json': JSON.stringify({ scripts: { test }, ...extra }) });

test('package.json scripts and the runner behind them', () => {
  const cases: Array<[Record<string, string>, string, string, string]> = [
    [pkg('jest --coverage'), 'jest', '', 'jest --coverage'],
    [pkg('vitest'), 'vitest', '', 'vitest'],
    [pkg('mocha test/**/*.spec.js'), 'mocha', '', 'mocha test/**/*.spec.js'],
    [pkg('node --test test/'), 'node:test', '', 'node --test test/'],
    [pkg('tsc -p . && node --import tsx --test'), 'node:test', 'tsc -p .', 'node --import tsx --test'],
    [{ 'package.json': JSON.stringify({ scripts: { test: 'npm run test:unit', 'test:unit': 'cross-env NODE_ENV=test jest' } }) }, 'jest', '', 'cross-env NODE_ENV=test jest'],
    [pkg('make check'), 'script', '', 'make check'],
    [{ 'package.json': JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' }, devDependencies: { vitest: '1' } }) }, 'vitest', '', 'vitest run'],
  ];
  for (const [files, runner, prefix, base] of cases) {
    const c = detectTestCommand(ws(files));
    assert.deepEqual(c && [c.runner, c.prefix, c.base], [runner, prefix, base], JSON.stringify(files));
  }
});

test('pytest, go test, cargo test, and a setting that overrides detection', () => {
  assert.equal(detectTestCommand(ws({ 'tests/test_x.py': '' }))?.base, 'python3 -m pytest');
  assert.equal(detectTestCommand(ws({ 'pyproject.toml': '[tool.pytest.ini_options]\n' }))?.runner, 'pytest');
  assert.equal(detectTestCommand(ws({ 'go.mod': 'module x\n' }))?.base, 'go test ./...');
  assert.equal(detectTestCommand(ws({ 'Cargo.toml': '[package]\n' }))?.runner, 'cargo');
  const o = detectTestCommand(ws(pkg('jest')), 'pytest -q tests');
  assert.deepEqual(o && [o.runner, o.base, o.source], ['pytest', 'pytest -q tests', 'setting qwq.tests.command']);
});

test('a missing test command is reported as no-tests with a clear message, never verified', async () => {
  const d = ws({ 'README.md': 'hi\n', 'package.json': JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }) });
  assert.equal(detectTestCommand(d), undefined);
  const r = await verifyChanges({ workspace: d, changes: [{ path: 'README.md', before: 'hi\n', after: 'ho\n' }], tests: 'all', timeoutMs: 5000, trusted: true });
  assert.equal(r.verdict, 'no-tests');
  assert.equal(r.message, NO_TEST_COMMAND_MESSAGE);
});

const files = { reporter: '/r/rep.mjs', hook: '/r/hook.cjs' };
const env = { baseEnv: { PATH: '/usr/bin' }, toolExists: () => true };

test('invocations: reporters travel by environment, never by arguments the tests could see; a selection replaces the script\'s own paths', () => {
  const d = ws({ 'test/a.test.js': '' });
  const nt = buildInvocation({ runner: 'node:test', prefix: '', base: 'node --import tsx --test test/', source: '' }, { kind: 'files', files: ['test/a.test.js'] }, d, '/r', files, env);
  assert.equal(nt.command, 'node --import tsx --test test/a.test.js');
  assert.equal(nt.env.NODE_OPTIONS, '--require=/r/hook.cjs --test-reporter=/r/rep.mjs --test-reporter-destination=stdout --test-reporter=spec --test-reporter-destination=stderr');
  const all = buildInvocation({ runner: 'node:test', prefix: '', base: 'node --test test/', source: '' }, { kind: 'all' }, d, '/r', files, env);
  assert.equal(all.command, 'node --test test/', 'Node 20: nothing is appended after the file arguments');
  const jest = buildInvocation({ runner: 'jest', prefix: 'tsc', base: 'jest', source: '' }, { kind: 'related', changed: ['src/a.ts'] }, d, '/r', files, env);
  assert.equal(jest.command, 'jest', 'no reporter flag on the command line');
  assert.deepEqual(jest.chain, { before: ['tsc'], after: [] });
  const hook = JSON.parse(jest.env.QWQ_RUNNER_HOOK);
  // After the user's own arguments: `jest src` with --reporters before `src` read `src` as a reporter (limiter 2.1.0).
  assert.deepEqual([hook.args, hook.tail, hook.restore], [[], ['--reporters=default', '--reporters=/r/qwq-jest-reporter.cjs', '--findRelatedTests', 'src/a.ts'], true]);
  assert.equal(jest.env.NODE_OPTIONS, '--require=/r/hook.cjs');
  const vitest = buildInvocation({ runner: 'vitest', prefix: '', base: 'vitest run', source: '' }, { kind: 'related', changed: ['src/a.ts'] }, d, '/r', files, env);
  assert.equal(vitest.command, 'vitest related --run src/a.ts');
  const py = buildInvocation({ runner: 'pytest', prefix: '', base: 'python3 -m pytest -q test', source: '' }, { kind: 'files', files: ['test/a.test.js'] }, d, '/r', files, env);
  assert.equal(py.command, 'python3 -m pytest -q test/a.test.js');
  assert.equal(py.env.PYTEST_ADDOPTS, '-p no:cacheprovider -p qwq_coder_results', 'our plugin, no results file');
  assert.equal(py.env.PYTHONPATH, '/r');
  const go = buildInvocation({ runner: 'go', prefix: '', base: 'go test ./...', source: '' }, { kind: 'packages', packages: ['./mathx'] }, d, '/r', files, env);
  assert.equal(go.command, 'go test -json ./mathx');
  assert.equal(go.env.GOTOOLCHAIN, 'local');
  assert.equal(go.env.GOFLAGS, undefined, 'the user\'s GOFLAGS (and vendor/) decide, not us');
  assert.equal(go.env.GOPROXY, undefined);
  const goUser = buildInvocation({ runner: 'go', prefix: '', base: 'go test ./...', source: '' }, { kind: 'all' }, d, '/r', files, { ...env, baseEnv: { PATH: '/usr/bin', GOTOOLCHAIN: 'go1.22.0', GOFLAGS: '-mod=vendor' } });
  assert.equal(goUser.env.GOTOOLCHAIN, undefined, 'the user chose a toolchain: keep it');
});
