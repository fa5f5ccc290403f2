// Small generated projects, one per runner, each with the same story: `add` works, `mul` has a bug (its test
// fails), and four patches: a real fix, a real break, a hollow fix, plus a variant whose lint step fails
// before the tests run (a red baseline with exit codes only). The JS runners come from one shared install
// (runnerCache), linked in as node_modules, never from the repository's own dependencies.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { scratchDir } from '../../support/scratchDir';

export const ROOT = join(__dirname, '../../..');
/** Git-ignored: test/fixtures/generated/. */
export const GENERATED = join(ROOT, 'test/fixtures/generated/verify');

/** Versions of the runners installed for these tests (one `npm install --prefix` per machine). */
export const RUNNER_PACKAGES = { jest: '29.7.0', vitest: '3.2.7', mocha: '11.8.0', ava: '6.4.1', tape: '5.10.2' };

/** The devDependencies that qs's and minimist's own test files require (their linters and coverage tools left out). */
export const PACKAGE_TEST_DEPS = {
  'es-value-fixtures': '1.7.1', 'for-each': '0.3.5', 'has-bigints': '1.1.0', 'has-override-mistake': '1.0.1', 'has-property-descriptors': '1.0.2',
  'has-proto': '1.2.0', 'has-symbols': '1.1.0', 'iconv-lite': '0.7.3', 'mock-property': '1.1.2', 'object-inspect': '1.14.0', 'safer-buffer': '2.1.2',
  'side-channel': '1.1.1',
};

export type JsRunner = 'jest' | 'vitest' | 'mocha' | 'ava' | 'tape' | 'node:test';
export type Runner = JsRunner | 'pytest' | 'go';
export const RUNNERS: Runner[] = ['jest', 'vitest', 'mocha', 'ava', 'tape', 'node:test', 'pytest', 'go'];

/**
 * Where the shared runner install lives. The projects link it in as node_modules, so the sandbox must see it: it
 * hides the machine's /tmp and /var/tmp behind fresh ones, and a clone of this repository under /tmp would put
 * the install out of the tests' sight. Then it goes under the home folder's cache instead.
 */
function runnerCacheDir(): string {
  if (process.env.QWQ_RUNNER_CACHE) return process.env.QWQ_RUNNER_CACHE;
  const real = realpathSync(ROOT);
  const hidden = ['/tmp', '/var/tmp', '/dev/shm'].some((t) => real === t || real.startsWith(`${t}/`));
  return hidden ? join(homedir(), '.cache', 'qwq-coder-tests', 'runners') : join(GENERATED, 'runners');
}

/** Installs the JS runners once (reused while the versions match). Returns its node_modules. */
export function runnerCache(): string {
  const dir = runnerCacheDir();
  const marker = join(dir, 'installed.json');
  const packages = { ...RUNNER_PACKAGES, ...PACKAGE_TEST_DEPS };
  const want = JSON.stringify(packages);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want) return join(dir, 'node_modules');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true }));
  execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', ...Object.entries(packages).map(([n, v]) => `${n}@${v}`)], { stdio: 'inherit' });
  writeFileSync(marker, want);
  return join(dir, 'node_modules');
}

export interface Edit { path: string; search: string; replace: string }

export interface Project {
  dir: string;
  /** The same three changes as edits (for in-process use: benchmarks). */
  edits: { fix: Edit; brk: Edit; hollow: Edit };
  /** Patch files (SEARCH/REPLACE blocks). */
  fix: string;
  brk: string;
  hollow: string;
  /** The test the break breaks, and the test the fix makes pass, as they appear in the result ids. */
  brokenTest: string;
  targetTest: string;
}

const ARGV_GUARD = "const added = process.argv.filter((a) => /^--(json|outputFile|reporter|tap|ci|test-reporter)\\b/.test(a));";

function jsSource(esm: boolean): string {
  const body = 'function add(a, b) { return a + b; }\nfunction mul(a, b) { return a + b; }\n';
  return esm ? `${body}export { add, mul };\n` : `${body}module.exports = { add, mul };\n`;
}

function jsTests(runner: JsRunner): { path: string; text: string } {
  switch (runner) {
    case 'jest':
      return { path: 'test/calc.test.js', text: `const { add, mul } = require('../src/calc');
test('adds', () => { expect(add(2, 3)).toBe(5); });
test('multiplies', () => { expect(mul(2, 3)).toBe(6); });
test('sees the argv typed by hand', () => { ${ARGV_GUARD} expect(added).toEqual([]); });
` };
    case 'vitest':
      return { path: 'test/calc.test.mjs', text: `import { test, expect } from 'vitest';
import { add, mul } from '../src/calc.mjs';
test('adds', () => { expect(add(2, 3)).toBe(5); });
test('multiplies', () => { expect(mul(2, 3)).toBe(6); });
` };
    case 'mocha':
      return { path: 'test/calc.spec.js', text: `const assert = require('node:assert');
const { add, mul } = require('../src/calc');
describe('calc', () => {
  it('adds', () => { assert.equal(add(2, 3), 5); });
  it('multiplies', () => { assert.equal(mul(2, 3), 6); });
  it('sees the argv typed by hand', () => { ${ARGV_GUARD} assert.deepEqual(added, []); });
});
` };
    case 'ava':
      return { path: 'test/calc.test.js', text: `const test = require('ava');
const { add, mul } = require('../src/calc');
test('adds', (t) => { t.is(add(2, 3), 5); });
test('multiplies', (t) => { t.is(mul(2, 3), 6); });
` };
    case 'tape':
      return { path: 'test/calc.js', text: `const test = require('tape');
const { add, mul } = require('../src/calc');
test('adds', (t) => { t.equal(add(2, 3), 5, 'two and three'); t.equal(add(0, 0), 0, 'zeros'); t.end(); });
test('multiplies', (t) => { t.equal(mul(2, 3), 6, 'two and three'); t.equal(mul(1, 1), 1, 'ones'); t.end(); });
` };
    case 'node:test':
      return { path: 'test/calc.test.js', text: `const test = require('node:test');
const assert = require('node:assert');
const { add, mul } = require('../src/calc');
test('adds', () => { assert.equal(add(2, 3), 5); });
test('multiplies', () => { assert.equal(mul(2, 3), 6); });
` };
  }
}

const SCRIPTS: Record<JsRunner, string> = {
  jest: 'jest --runInBand',
  vitest: 'vitest run',
  mocha: 'mocha test/',
  ava: 'ava',
  tape: 'tape test/*.js',
  'node:test': 'node --test test/',
};

function write(dir: string, files: Record<string, string>): void {
  for (const [p, t] of Object.entries(files)) { mkdirSync(join(dir, p, '..'), { recursive: true }); writeFileSync(join(dir, p), t); }
}

const block = (path: string, search: string, replace: string): Edit => ({ path, search, replace });

/**
 * A fresh project for `runner`. `redLint`: the suite fails before any test reports (JS: a lint step in the test
 * script; pytest: a conftest.py that does not import). Go always reports per test, so it has no such variant.
 */
export function makeProject(runner: Runner, opts: { redLint?: boolean; nodeModules?: string } = {}): Project {
  const dir = scratchDir(`qwq-proj-${runner.replace(':', '')}-`);
  const patches = scratchDir('qwq-patches-');
  const edits: Partial<Record<'fix' | 'brk' | 'hollow', Edit>> = {};
  const patch = (name: 'fix' | 'brk' | 'hollow', e: Edit): string => {
    edits[name] = e;
    const p = join(patches, `${name}.patch`);
    writeFileSync(p, `${e.path}\n<<<<<<< SEARCH\n${e.search}\n=======\n${e.replace}\n>>>>>>> REPLACE\n`);
    return p;
  };
  const done = (p: Omit<Project, 'edits'>): Project => ({ ...p, edits: edits as Project['edits'] });
  if (runner === 'pytest') {
    // src/ layout, found through pytest's `pythonpath` (an editable install's .pth would name the user's own
    // src/ by absolute path, which only the sandbox's mount at the workspace path makes the candidate's).
    write(dir, {
      'pyproject.toml': '[project]\nname = "calc"\nversion = "0.1.0"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\npythonpath = ["src"]\n',
      'src/calc/__init__.py': 'def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a + b\n',
      'tests/test_calc.py': 'from calc import add, mul\n\n\ndef test_adds():\n    assert add(2, 3) == 5\n\n\ndef test_multiplies():\n    assert mul(2, 3) == 6\n',
    });
    // The red baseline: a conftest.py that fails to import, so pytest stops (exit 4) before any test reports.
    if (opts.redLint) write(dir, { 'conftest.py': 'raise RuntimeError("conftest: settings module not found")\n' });
    return done({
      dir, brokenTest: 'test_adds', targetTest: 'test_multiplies',
      fix: patch('fix', block('src/calc/__init__.py', 'def mul(a, b):\n    return a + b', 'def mul(a, b):\n    return a * b')),
      brk: patch('brk', block('src/calc/__init__.py', 'def add(a, b):\n    return a + b', 'def add(a, b):\n    return a - b')),
      hollow: patch('hollow', block('src/calc/__init__.py', 'def mul(a, b):\n    return a + b', 'def mul(a, b):\n    # multiply\n    return b + a')),
    });
  }
  if (runner === 'go') {
    write(dir, {
      'go.mod': 'module example.com/calc\n\ngo 1.19\n\nrequire example.com/twice v1.0.0\n',
      'vendor/modules.txt': '# example.com/twice v1.0.0\n## explicit\nexample.com/twice\n',
      'vendor/example.com/twice/twice.go': 'package twice\n\n// Of returns 2*x.\nfunc Of(x int) int { return 2 * x }\n',
      'calc/calc.go': 'package calc\n\nimport "example.com/twice"\n\nfunc Add(a, b int) int { return a + b }\n\nfunc Mul(a, b int) int { return a + b }\n\nfunc Double(a int) int { return twice.Of(a) }\n',
      'calc/calc_test.go': 'package calc\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(2, 3) != 5 {\n\t\tt.Fatal("add")\n\t}\n}\n\nfunc TestMul(t *testing.T) {\n\tif Mul(2, 3) != 6 {\n\t\tt.Fatal("mul")\n\t}\n}\n\nfunc TestDouble(t *testing.T) {\n\tif Double(4) != 8 {\n\t\tt.Fatal("double")\n\t}\n}\n',
    });
    return done({
      dir, brokenTest: 'TestAdd', targetTest: 'TestMul',
      fix: patch('fix', block('calc/calc.go', 'func Mul(a, b int) int { return a + b }', 'func Mul(a, b int) int { return a * b }')),
      brk: patch('brk', block('calc/calc.go', 'func Add(a, b int) int { return a + b }', 'func Add(a, b int) int { return a - b }')),
      hollow: patch('hollow', block('calc/calc.go', 'func Mul(a, b int) int { return a + b }', 'func Mul(a, b int) int { return b + a }')),
    });
  }
  const esm = runner === 'vitest';
  const src = esm ? 'src/calc.mjs' : 'src/calc.js';
  const tests = jsTests(runner);
  const script = opts.redLint ? `node lint.js && ${SCRIPTS[runner]}` : SCRIPTS[runner];
  write(dir, {
    'package.json': JSON.stringify({ name: `calc-${runner.replace(':', '-')}`, version: '1.0.0', private: true, scripts: { test: script }, ...(runner === 'ava' ? { ava: { files: ['test/**/*.test.js'] } } : {}) }, null, 2),
    'package-lock.json': JSON.stringify({ name: 'calc', lockfileVersion: 3, requires: true, packages: {} }),
    [src]: jsSource(esm),
    [tests.path]: tests.text,
    'lint.js': "console.error('lint: 1 problem (semi)'); process.exit(1);\n",
  });
  if (runner !== 'node:test') symlinkSync(opts.nodeModules ?? runnerCache(), join(dir, 'node_modules'), 'dir');
  return done({
    dir, brokenTest: 'adds', targetTest: 'multiplies',
    fix: patch('fix', block(src, 'function mul(a, b) { return a + b; }', 'function mul(a, b) { return a * b; }')),
    brk: patch('brk', block(src, 'function add(a, b) { return a + b; }', 'function add(a, b) { return a - b; }')),
    hollow: patch('hollow', block(src, 'function mul(a, b) { return a + b; }', 'function mul(a, b) { /* multiply */ return b + a; }')),
  });
}

export interface CliVerdict {
  code: number | null;
  json: { verdict: string; message: string; newlyFailing: string[]; newlyPassing: string[]; runner: string; command?: string; notes?: string[]; targetsStillFailing?: string[]; isolation?: string; baseline: { passed: number; failed: number }; candidate: { passed: number; failed: number } };
  stderr: string;
}

/** `node out/cli.js verify … --json`, as an outside evaluation runs it. */
export function cliVerify(workspace: string, patch: string, extra: string[] = []): CliVerdict {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, [join(ROOT, 'out/cli.js'), 'verify', '--workspace', workspace, '--patch', patch, '--json', '--timeout', '120', ...extra], { env, encoding: 'utf8' });
  let json: CliVerdict['json'];
  try { json = JSON.parse(r.stdout); } catch { throw new Error(`no JSON from the CLI (exit ${r.status}):\n${r.stdout}\n${r.stderr}`); }
  return { code: r.status, json, stderr: r.stderr };
}

/**
 * The same, without blocking the test process (for runs side by side); `env` replaces the environment.
 * QWQ_FAULT_CLI=<another build's cli.js> runs it instead (how a fault suite shows its cases failing on an old build).
 */
export function cliVerifyAsync(workspace: string, patch: string, extra: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<CliVerdict> {
  const childEnv = { ...env };
  delete childEnv.NODE_TEST_CONTEXT;
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [process.env.QWQ_FAULT_CLI ?? join(ROOT, 'out/cli.js'), 'verify', '--workspace', workspace, '--patch', patch, '--json', ...extra], { cwd: ROOT, env: childEnv });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.on('error', reject);
    c.on('close', (code) => {
      // The verdict is the last line: a tool run before the tests may have printed above it.
      try { resolve({ code, json: JSON.parse(stdout.trim().split('\n').pop()!), stderr }); } catch { reject(new Error(`no JSON from the CLI (exit ${code}):\n${stdout}\n${stderr}`)); }
    });
  });
}

export { ensureCli } from '../../support/cliWorkspace';
