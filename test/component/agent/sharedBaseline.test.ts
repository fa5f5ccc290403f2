// The agent's full-suite baseline is verifyChanges' baseline too (seedBaseline): a fix task runs the tests
// three times (baseline, related candidate, full candidate) instead of five. Counted on the real verifier, on
// the node fixture, by the shell processes the process runner starts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import childProcess from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShadowVerifierSession } from '../../../src/core/agent/realDeps';
import { ShadowWorkspace, detectTestCommand, runTests, seedBaseline, verifyChanges } from '../../../src/core/verify';
import { buildImportGraph } from '../../../src/core/context/importGraph';

const FIXTURE = join(__dirname, '../../fixtures/workspaces/node');
const dir = mkdtempSync(join(tmpdir(), 'qwq-shared-baseline-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Test runs = `sh -c <test command>` (or `bwrap … sh -c …` in the sandbox) spawns by the process runner (nothing else here starts a shell). */
async function countRuns<T>(fn: () => Promise<T>): Promise<{ value: T; runs: number }> {
  const original = childProcess.spawn;
  let runs = 0;
  childProcess.spawn = ((cmd: string, ...rest: unknown[]) => {
    if (/(^|\/)(sh|bwrap)$/.test(cmd)) runs++;
    return (original as (...a: unknown[]) => unknown)(cmd, ...rest);
  }) as typeof childProcess.spawn;
  try {
    return { value: await fn(), runs };
  } finally {
    childProcess.spawn = original;
  }
}

function workspace(name: string): string {
  const ws = join(dir, name);
  cpSync(FIXTURE, ws, { recursive: true });
  return ws;
}

function fixChange(ws: string) {
  const before = readFileSync(join(ws, 'src/cart.js'), 'utf8');
  const after = before.replace('return sub - sub * discountPercent;', 'return sub - (sub * discountPercent) / 100;');
  assert.notEqual(after, before, 'the fixture still has the discount bug');
  return { path: 'src/cart.js', before, after };
}

test('a fix task: the session baseline is reused by both phases of verify (3 test runs, not 5)', async () => {
  const ws = workspace('session');
  const session = new ShadowVerifierSession(ws, { timeoutMs: 60_000, shadowParentDir: dir });
  try {
    const signal = new AbortController().signal;
    const { value: base, runs: baseRuns } = await countRuns(() => session.baseline(signal));
    assert.equal(baseRuns, 1);
    assert.ok(base.tests.some((t) => t.status === 'failed'), 'the fixture has a failing test');
    const { value: r, runs } = await countRuns(() => session.verify([fixChange(ws)], { task: { kind: 'edit-selection' }, targets: [], signal }));
    assert.equal(r.verdict, 'verified', r.message);
    assert.equal(r.baselineCached, true);
    // Related candidate + full candidate; neither phase ran a baseline of its own.
    assert.equal(runs, 2);
  } finally {
    await session.dispose();
  }
});

test('verifyChanges with a seeded full run: the related phase takes its slice, and the verdict is the same as without', async () => {
  const ws = workspace('seeded');
  const change = fixChange(ws);
  const opts = { workspace: ws, changes: [change], tests: 'related' as const, thenAll: true, timeoutMs: 60_000, trusted: true, buildImportGraph: (root: string) => buildImportGraph(root) };
  const cold = await countRuns(() => verifyChanges(opts));
  assert.equal(cold.value.verdict, 'verified', cold.value.message);
  assert.equal(cold.runs, 4, 'unseeded: related baseline + candidate, full baseline + candidate');

  const shadow = new ShadowWorkspace(ws, { parentDir: dir });
  try {
    const cmd = detectTestCommand(ws)!;
    await shadow.sync();
    seedBaseline(shadow, cmd, await runTests(shadow.root, cmd, { kind: 'all' }, { timeoutMs: 60_000 }));
    const warm = await countRuns(() => verifyChanges({ ...opts, shadow }));
    assert.equal(warm.runs, 2);
    assert.equal(warm.value.verdict, cold.value.verdict);
    assert.deepEqual(warm.value.newlyPassing, cold.value.newlyPassing);
    assert.deepEqual(
      warm.value.baselineTests!.map((t) => `${t.id}:${t.status}`).sort(),
      cold.value.baselineTests!.map((t) => `${t.id}:${t.status}`).sort(),
    );
  } finally {
    shadow.dispose();
  }
});

test('related first, then all: when the change reaches two thirds of the test files, every test runs once instead (2 runs, not 4)', async () => {
  const ws = workspace('most');
  // A third test file that also loads cart.js: the change reaches 2 of the 3.
  writeFileSync(join(ws, 'test/cart2.test.js'), "const { test } = require('node:test');\nconst assert = require('node:assert');\nconst cart = require('../src/cart');\ntest('cart loads', () => assert.ok(cart));\n");
  const opts = { workspace: ws, changes: [fixChange(ws)], tests: 'related' as const, thenAll: true, timeoutMs: 60_000, trusted: true, buildImportGraph: (root: string) => buildImportGraph(root) };
  const related = await countRuns(() => verifyChanges(opts));
  assert.equal(related.runs, 2, 'one baseline and one candidate of the whole suite');
  assert.match(related.value.notes?.join('\n') ?? '', /reaches 2 of the 3 test files, so every test ran at once/);
  assert.equal(related.value.selection, 'all');
  const all = await verifyChanges({ ...opts, tests: 'all', thenAll: false });
  assert.equal(related.value.verdict, all.verdict, related.value.message);
  assert.deepEqual(related.value.newlyPassing, all.newlyPassing);
});

test('a seed of other content is not used: after the workspace changes, verify runs its own baseline', async () => {
  const ws = workspace('stale');
  const shadow = new ShadowWorkspace(ws, { parentDir: dir });
  try {
    const cmd = detectTestCommand(ws)!;
    await shadow.sync();
    seedBaseline(shadow, cmd, await runTests(shadow.root, cmd, { kind: 'all' }, { timeoutMs: 60_000 }));
    // The user edits a file the tests do not cover: the content hash differs, so the seed must not match.
    writeFileSync(join(ws, 'README.md'), 'changed after the baseline\n');
    const r = await countRuns(() => verifyChanges({
      workspace: ws, changes: [fixChange(ws)], tests: 'related', thenAll: true, timeoutMs: 60_000, trusted: true, shadow,
      buildImportGraph: (root: string) => buildImportGraph(root),
    }));
    assert.equal(r.value.verdict, 'verified', r.value.message);
    assert.equal(r.runs, 4);
  } finally {
    shadow.dispose();
  }
});
