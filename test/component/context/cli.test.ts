// The `context` and `repomap` CLI contract (DESIGN §7), through the built bundle: `node out/cli.js …`.
// The bundle finds its grammars in out/grammars and its queries in out/queries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureWorkspace, scratchWorkspace } from '../../unit/context/helpers';

const root = join(__dirname, '../../..');
const cli = join(root, 'out/cli.js');
const cacheHome = mkdtempSync(join(tmpdir(), 'qwq-ctx-cli-cache-'));

before(() => {
  if (!existsSync(cli) || !existsSync(join(root, 'out/grammars'))) assert.equal(spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' }).status, 0);
});
after(() => rmSync(cacheHome, { recursive: true, force: true }));

function run(args: string[], cwd = root): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('context prints exactly {snippets:[{path,startLine,endLine,kind,symbol,text}], tokens}', () => {
  const r = run(['context', '--file', 'src/index.ts', '--line', '7', '--column', '5', '--workspace', '.', '--budget', '1500'], fixtureWorkspace);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ['snippets', 'tokens']);
  assert.ok(Number.isInteger(out.tokens) && out.tokens > 0 && out.tokens <= 1500);
  for (const s of out.snippets) assert.deepEqual(Object.keys(s), ['path', 'startLine', 'endLine', 'kind', 'symbol', 'text']);
  assert.deepEqual(out.snippets[0], {
    path: 'src/index.ts', startLine: 5, endLine: 10, kind: 'scope', symbol: 'main',
    text: 'export function main(): number {\n  const calc = new Calculator();\n  calc.push(add(1, 2));\n  console.log(helper({ area: () => 1 }), path.sep);\n  return calc.total();\n}',
  });
  assert.ok(out.snippets.some((s: { kind: string; symbol: string; path: string }) => s.kind === 'definition' && s.symbol === 'add' && s.path === 'src/util.ts'));
});

test('context: --file relative to the current directory, --workspace elsewhere; --json gives the same JSON', () => {
  const a = run(['context', '--file', join(fixtureWorkspace, 'py/pkg/shapes.py'), '--line', '7', '--column', '1', '--workspace', fixtureWorkspace, '--json']);
  assert.equal(a.code, 0, a.stderr);
  const out = JSON.parse(a.stdout);
  assert.equal(out.snippets[0].symbol, 'describe');
  assert.equal(out.snippets[0].path, 'py/pkg/shapes.py');
});

test('context: an unsupported file gets a window, symbol null', () => {
  const r = run(['context', '--file', '.gitignore', '--line', '1', '--column', '1', '--workspace', '.'], fixtureWorkspace);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.snippets[0].kind, 'window');
  assert.equal(out.snippets[0].symbol, null);
  assert.ok(out.snippets[0].text.includes('ignored.ts'));
});

test('context: usage errors exit 2, a missing file exits 1 with one line', () => {
  const noLine = run(['context', '--file', 'src/index.ts', '--column', '1'], fixtureWorkspace);
  assert.equal(noLine.code, 2);
  assert.match(noLine.stderr, /missing --line/);
  const badLine = run(['context', '--file', 'src/index.ts', '--line', '0', '--column', '1'], fixtureWorkspace);
  assert.equal(badLine.code, 2);
  const missing = run(['context', '--file', 'src/nope.ts', '--line', '1', '--column', '1'], fixtureWorkspace);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /file not found/);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
  const noWs = run(['context', '--file', 'src/index.ts', '--line', '1', '--column', '1', '--workspace', 'nope'], fixtureWorkspace);
  assert.equal(noWs.code, 1);
  assert.match(noWs.stderr, /workspace is not a directory/);
});

test('context writes nothing into the workspace (its cache lives in the user cache dir)', () => {
  const scratch = scratchWorkspace();
  try {
    const before = readdirSync(scratch.root).sort();
    const r = run(['context', '--file', 'src/util.ts', '--line', '7', '--column', '3'], scratch.root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(scratch.root).sort(), before);
    assert.ok(readdirSync(join(cacheHome, 'qwq-coder/context')).length >= 1);
  } finally {
    scratch.cleanup();
  }
});

test('repomap: an outline within the budget, most referenced first', () => {
  const r = run(['repomap', '--workspace', fixtureWorkspace, '--budget', '200']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /src\/util\.ts:\n(?: +\d+: .*\n)*? +6: export function add\(a: number, b: number\): number/);
  // util.ts (imported by four files) ranks above esm.ts (imported by none).
  const pos = (f: string) => r.stdout.indexOf(`${f}:\n`);
  assert.ok(pos('src/util.ts') >= 0 && (pos('src/esm.ts') === -1 || pos('src/util.ts') < pos('src/esm.ts')));
  const j = run(['repomap', '--workspace', fixtureWorkspace, '--budget', '60', '--json']);
  assert.equal(j.code, 0, j.stderr);
  const out = JSON.parse(j.stdout);
  assert.ok(out.tokens <= 60 && out.snippets.length >= 1);
  assert.ok(out.snippets.every((s: { kind: string }) => s.kind === 'repomap'));
  const bad = run(['repomap', '--workspace', fixtureWorkspace, '--budget', 'lots']);
  assert.equal(bad.code, 2);
});
