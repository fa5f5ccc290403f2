// The `verify` CLI contract (DESIGN §7) through the built bundle, on the three fixture workspaces:
// each fix.patch is `verified` (exit 0), each break.patch is `regressed` (exit 1), and W is never written.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../support/scratchDir';
import { snapshot } from '../../support/treeSnapshot';

const root = join(__dirname, '../../..');
const cli = join(root, 'out/cli.js');
const fixtures = join(root, 'test/fixtures/workspaces');

before(() => {
  if (!existsSync(cli)) assert.equal(spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' }).status, 0);
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const c = spawn(process.execPath, [cli, 'verify', ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const contractKeys = ['baseline', 'candidate', 'durationMs', 'newlyFailing', 'newlyPassing', 'runner', 'verdict'];

for (const eco of ['node', 'python', 'go']) {
  test(`${eco}: fix.patch is verified, break.patch is regressed, the workspace is untouched`, async () => {
    const w = join(fixtures, eco);
    const snap = snapshot(w);
    const fix = await run(['--workspace', w, '--patch', join(w, 'fix.patch'), '--json', '--timeout', '120']);
    assert.equal(fix.code, 0, fix.stderr + fix.stdout);
    const f = JSON.parse(fix.stdout);
    for (const k of contractKeys) assert.ok(k in f, `missing ${k}`);
    assert.equal(f.verdict, 'verified');
    assert.equal(f.newlyFailing.length, 0);
    assert.equal(f.newlyPassing.length, 1);
    assert.equal(f.baseline.failed, 1);
    assert.equal(f.candidate.failed, 0);
    assert.ok(f.candidate.passed >= 3);

    const brk = await run(['--workspace', w, '--patch', join(w, 'break.patch'), '--json']);
    assert.equal(brk.code, 1, brk.stderr);
    const b = JSON.parse(brk.stdout);
    assert.equal(b.verdict, 'regressed');
    assert.ok(b.newlyFailing.length >= 1);
    assert.equal(brk.stderr.trim().split('\n').length, 1);
    assert.match(brk.stderr, /regressed/);
    assert.equal(snapshot(w), snap, 'verify never writes the workspace');
  });
}

test('related mode through the CLI: the importing tests first; a change that passes them is verified on the whole suite', async () => {
  const w = join(fixtures, 'node');
  const brk = await run(['--workspace', w, '--patch', join(w, 'break.patch'), '--tests', 'related', '--json']);
  assert.equal(brk.code, 1, brk.stderr);
  const b = JSON.parse(brk.stdout);
  assert.equal(b.verdict, 'regressed');
  assert.deepEqual(b.selection, ['test/cart.test.js'], 'a failing related run decides without running the rest');
  const fix = await run(['--workspace', w, '--patch', join(w, 'fix.patch'), '--json']);
  assert.equal(fix.code, 0, fix.stderr);
  const j = JSON.parse(fix.stdout);
  assert.equal(j.verdict, 'verified');
  const all = JSON.parse((await run(['--workspace', w, '--patch', join(w, 'fix.patch'), '--tests', 'all', '--json'])).stdout);
  assert.equal(j.candidate.passed, all.candidate.passed, 'the default (related) ends on the whole suite, as --tests all');
});

test('a patch that adds a syntax error is rejected, and the baseline started beside the check is stopped', async () => {
  // The syntax check runs beside the baseline (verifyPatch.ts): a rejection must still be a rejection, and the
  // baseline (here a suite that would sleep for two minutes) must not hold the answer or outlive it.
  const dir = scratchDir('qwq-cli-verify-syntax-');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'slow', version: '1.0.0', scripts: { test: 'node --test' } }));
  writeFileSync(join(dir, 'a.js'), 'module.exports = function f() {\n  return 1;\n};\n');
  writeFileSync(join(dir, 'a.test.js'), "const { test } = require('node:test');\ntest('slow', () => new Promise((r) => setTimeout(r, 120000)));\n");
  writeFileSync(join(dir, 'syntax.patch'), 'a.js\n<<<<<<< SEARCH\n  return 1;\n=======\n  return (1;\n>>>>>>> REPLACE\n');
  const snap = snapshot(dir);
  const started = Date.now();
  const r = await run(['--workspace', dir, '--patch', join(dir, 'syntax.patch'), '--json', '--tests', 'all', '--timeout', '300']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /does not apply.*adds syntax errors/);
  const out = JSON.parse(r.stdout);
  assert.equal(out.verdict, 'error');
  assert.equal(out.failures[0].reason, 'syntax-error');
  assert.ok(Date.now() - started < 60_000, `the answer waited for the baseline (${Date.now() - started} ms)`);
  assert.equal(snapshot(dir), snap, 'verify never writes the workspace');
});

test('a patch that does not apply, a missing test command, and usage errors', async () => {
  const w = join(fixtures, 'node');
  const dir = scratchDir('qwq-cli-verify-');
  writeFileSync(join(dir, 'bad.patch'), 'src/cart.js\n<<<<<<< SEARCH\nnot in the file\n=======\nx\n>>>>>>> REPLACE\n');
  const bad = await run(['--workspace', w, '--patch', join(dir, 'bad.patch')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /does not apply.*not found/);

  writeFileSync(join(dir, 'README.md'), 'hello\n');
  writeFileSync(join(dir, 'readme.patch'), 'README.md\n<<<<<<< SEARCH\nhello\n=======\nhi\n>>>>>>> REPLACE\n');
  const none = await run(['--workspace', dir, '--patch', join(dir, 'readme.patch'), '--json']);
  assert.equal(none.code, 1);
  assert.equal(JSON.parse(none.stdout).verdict, 'no-tests');
  assert.equal(readFileSync(join(dir, 'README.md'), 'utf8'), 'hello\n');

  writeFileSync(join(dir, 'escape.patch'), '../outside.txt\n<<<<<<< SEARCH\n=======\nx\n>>>>>>> REPLACE\n');
  const esc = await run(['--workspace', dir, '--patch', join(dir, 'escape.patch')]);
  assert.equal(esc.code, 1);
  assert.match(esc.stderr, /outside the workspace/);

  assert.equal((await run(['--workspace', w])).code, 2);
  assert.equal((await run(['--workspace', w, '--patch', join(w, 'fix.patch'), '--tests', 'some'])).code, 2);
  assert.equal((await run(['--workspace', w, '--patch', join(w, 'fix.patch'), '--timeout', '0'])).code, 2);
});
