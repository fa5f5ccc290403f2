import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync, existsSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyChanges, ShadowWorkspace } from '../../../src/core/verify';
import { buildImportGraph } from '../../../src/core/context/importGraph';
import { scratchDir } from '../../support/scratchDir';

const fixtures = join(__dirname, '../../fixtures/workspaces');

function ws(files: Record<string, string>): string {
  const d = scratchDir('qwq-verify-');
  for (const [p, t] of Object.entries(files)) { mkdirSync(join(d, p, '..'), { recursive: true }); writeFileSync(join(d, p), t); }
  return d;
}

function nodeFixtureCopy(): string {
  const d = scratchDir('qwq-verify-node-');
  cpSync(join(fixtures, 'node'), d, { recursive: true });
  return d;
}

const fixCart = { path: 'src/cart.js', before: undefined as string | undefined, after: '' };

test('untrusted: verdict untrusted and nothing is executed at all', async () => {
  const marker = join(scratchDir('qwq-marker-'), 'ran');
  const d = ws({ 'a.txt': 'x\n' });
  let output = 0;
  const r = await verifyChanges({ workspace: d, changes: [{ path: 'a.txt', before: 'x\n', after: 'y\n' }], tests: 'all', timeoutMs: 5000, trusted: false, testCommand: `touch ${marker}`, onOutput: () => { output++; } });
  assert.equal(r.verdict, 'untrusted');
  assert.match(r.message, /not trusted/);
  assert.equal(existsSync(marker), false, 'the test command must not run');
  assert.equal(output, 0);
  // The control: trusted, the same command does run (outside the sandbox, which would keep the marker from the host's /tmp).
  await verifyChanges({ workspace: d, changes: [{ path: 'a.txt', before: 'x\n', after: 'y\n' }], tests: 'all', timeoutMs: 5000, trusted: true, testCommand: `touch ${marker}`, isolation: 'fallback' });
  assert.equal(existsSync(marker), true);
});

test('related selection: the import graph picks only the tests that import the changed file', async () => {
  const d = nodeFixtureCopy();
  const before = readFileSync(join(d, 'src/format.js'), 'utf8');
  const r = await verifyChanges({
    workspace: d, tests: 'related', timeoutMs: 60_000, trusted: true, buildImportGraph,
    changes: [{ path: 'src/format.js', before, after: before.replace("padStart(2, '0')", "padStart(3, '0')") }],
  });
  assert.deepEqual(r.selection, ['test/format.test.js']);
  assert.equal(r.verdict, 'regressed');
  assert.deepEqual(r.newlyFailing.sort(), ['test/format.test.js::formatPrice handles whole dollars', 'test/format.test.js::formatPrice pads cents']);
  assert.ok(r.candidateTests!.every((t) => t.id.startsWith('test/format.test.js::')), 'cart tests did not run');
});

test('related selection with no covering test is no-tests, never verified', async () => {
  const d = nodeFixtureCopy();
  writeFileSync(join(d, 'src/unused.js'), 'module.exports = 1;\n');
  const r = await verifyChanges({ workspace: d, tests: 'related', timeoutMs: 60_000, trusted: true, buildImportGraph, changes: [{ path: 'src/unused.js', before: 'module.exports = 1;\n', after: 'module.exports = 2;\n' }] });
  assert.equal(r.verdict, 'no-tests');
  assert.match(r.message, /no test covers the change/);
});

test('a warm shadow caches the baseline by content hash', async () => {
  const d = nodeFixtureCopy();
  const shadow = new ShadowWorkspace(d);
  try {
    const cart = readFileSync(join(d, 'src/cart.js'), 'utf8');
    const change = { ...fixCart, before: cart, after: cart.replace('sub * discountPercent;', '(sub * discountPercent) / 100;') };
    const first = await verifyChanges({ workspace: d, changes: [change], tests: 'all', timeoutMs: 60_000, trusted: true, shadow });
    assert.equal(first.verdict, 'verified');
    assert.equal(first.baselineCached, false);
    const second = await verifyChanges({ workspace: d, changes: [change], tests: 'all', timeoutMs: 60_000, trusted: true, shadow });
    assert.equal(second.verdict, 'verified');
    assert.equal(second.baselineCached, true);
    writeFileSync(join(d, 'README.md'), 'changed content\n');
    const third = await verifyChanges({ workspace: d, changes: [change], tests: 'all', timeoutMs: 60_000, trusted: true, shadow });
    assert.equal(third.baselineCached, false, 'new content, new baseline');
  } finally { shadow.dispose(); }
});

test('a flaky test (fails once, passes on re-run) is reported as flaky, not regressed', async () => {
  const counter = join(scratchDir('qwq-flaky-'), 'count');
  const d = ws({
    'package.json': JSON.stringify({ scripts: { test: 'node --test' } }),
    'src/v.js': 'module.exports = 1;\n',
    'test/v.test.js': `const test = require('node:test'); const assert = require('node:assert'); const fs = require('node:fs');
test('stable', () => assert.equal(require('../src/v'), require('../src/v')));
test('flaky', () => {
  const n = (fs.existsSync(${JSON.stringify(counter)}) ? Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) : 0) + 1;
  fs.writeFileSync(${JSON.stringify(counter)}, String(n));
  assert.notEqual(n, 2, 'fails on the second run only');
});
`,
  });
  // The counter lives outside the workspace, where only the fallback lets a test write.
  const r = await verifyChanges({ workspace: d, changes: [{ path: 'src/v.js', before: 'module.exports = 1;\n', after: 'module.exports = 2;\n' }], tests: 'all', timeoutMs: 60_000, trusted: true, isolation: 'fallback' });
  assert.equal(readFileSync(counter, 'utf8'), '3', 'baseline, candidate, re-run');
  assert.deepEqual(r.flaky, ['test/v.test.js::flaky']);
  assert.deepEqual(r.newlyFailing, []);
  assert.equal(r.verdict, 'verified');
  assert.match(r.message, /flaky/);
});

test('a hanging test run is stopped at the timeout and the verdict is error', async () => {
  const d = ws({ 'package.json': JSON.stringify({ scripts: { test: 'node --test' } }), 'test/h.test.js': "require('node:test')('hangs', () => new Promise(() => setInterval(() => {}, 1000)));\n" });
  const r = await verifyChanges({ workspace: d, changes: [{ path: 'x.txt', before: undefined, after: 'x\n' }], tests: 'all', timeoutMs: 1500, trusted: true });
  assert.equal(r.verdict, 'error');
  assert.match(r.message, /timed out after 2 s|timed out after 1 s/);
});

test('10 MB of test output: capped, still parsed, verdict from every result', async () => {
  const gen = `const out = process.stdout; const line = 'y'.repeat(1023) + '\\n';
const v = require('./src/v');
out.write('TAP version 13\\n');
for (let i = 0; i < 5120; i++) out.write(line);
out.write((v === 1 ? 'ok' : 'not ok') + ' 1 - value is one\\n');
for (let i = 0; i < 5120; i++) out.write(line);
out.write('ok 2 - always\\n1..2\\n');
`;
  const d = ws({ 'gen.js': gen, 'src/v.js': 'module.exports = 1;\n' });
  const r = await verifyChanges({ workspace: d, changes: [{ path: 'src/v.js', before: 'module.exports = 1;\n', after: 'module.exports = 2;\n' }], tests: 'all', timeoutMs: 60_000, trusted: true, testCommand: 'node gen.js', maxOutputBytes: 1024 * 1024 });
  assert.equal(r.verdict, 'regressed');
  assert.deepEqual(r.newlyFailing, ['value is one']);
  assert.deepEqual(r.baseline, { passed: 2, failed: 0 });
});

test('a change that breaks the build (no test reports) is regressed, not error', async () => {
  const d = scratchDir('qwq-verify-go-');
  cpSync(join(fixtures, 'go'), d, { recursive: true });
  const before = readFileSync(join(d, 'mathx/mathx.go'), 'utf8');
  const r = await verifyChanges({ workspace: d, changes: [{ path: 'mathx/mathx.go', before, after: before.replace('s += x', 's += undefinedName') }], tests: 'all', timeoutMs: 120_000, trusted: true });
  assert.equal(r.verdict, 'regressed');
  assert.ok(r.newlyFailing.includes('example.com/fixture/mathx::TestSum'), r.newlyFailing.join());
  assert.match(r.failureOutput ?? '', /undefinedName/);
});

test('a runner that crashes on the unedited code is error', async () => {
  const d = ws({ 'package.json': JSON.stringify({ scripts: { test: 'jest' } }) });
  const r = await verifyChanges({ workspace: d, changes: [{ path: 'a.js', before: undefined, after: '1\n' }], tests: 'all', timeoutMs: 30_000, trusted: true });
  assert.equal(r.verdict, 'error');
  assert.match(r.message, /could not start on the unedited code \(exit 127/);
});

test('a fix task whose target test still fails is not verified', async () => {
  const d = nodeFixtureCopy();
  const cart = readFileSync(join(d, 'src/cart.js'), 'utf8');
  const r = await verifyChanges({ workspace: d, changes: [{ path: 'src/cart.js', before: cart, after: `${cart}// a comment\n` }], tests: 'all', timeoutMs: 60_000, trusted: true, targetTests: ['total applies a percentage discount'] });
  assert.equal(r.verdict, 'not-fixed');
  assert.match(r.message, /target test/);
  assert.deepEqual(r.targetsStillFailing, ['total applies a percentage discount']);
});

test('node --test with no test at all is no-tests, not verified by its exit code 0', async () => {
  const d = ws({ 'package.json': JSON.stringify({ scripts: { test: 'node --test' } }), 'a.txt': 'x\n' });
  const r = await verifyChanges({ workspace: d, changes: [{ path: 'a.txt', before: 'x\n', after: 'y\n' }], tests: 'all', timeoutMs: 60_000, trusted: true });
  assert.equal(r.verdict, 'no-tests');
});
