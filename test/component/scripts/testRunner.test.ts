// scripts/test.mjs and its preload: a Node process that a test starts does not inherit node:test's
// NODE_TEST_CONTEXT (it would otherwise answer in the runner's wire format), while the test process itself
// still reports to the runner; and the tiers are found by folder.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const preload = join(root, 'test', 'support', 'isolateEnv.mjs');
const dir = mkdtempSync(join(tmpdir(), 'qwq-runner-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const probe = join(dir, 'probe.test.mjs');
writeFileSync(probe, [
  "import { test } from 'node:test';",
  "import { execFileSync } from 'node:child_process';",
  "test('child env', () => { console.log('CHILD=' + execFileSync(process.execPath, ['-p', \"process.env.NODE_TEST_CONTEXT ?? 'none'\"], { encoding: 'utf8' }).trim()); });",
  "test('a failure still reaches the runner', () => { throw new Error('expected'); });",
  '',
].join('\n'));

function runNodeTest(extra: string[]): { out: string; pass: number; fail: number } {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT; // this file itself runs under node:test
  const r = spawnSync(process.execPath, [...extra, '--test', '--test-reporter=tap', probe], { encoding: 'utf8', env });
  const out = r.stdout + r.stderr;
  const count = (k: string) => Number(out.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? -1);
  return { out, pass: count('pass'), fail: count('fail') };
}

test('with the preload, a grandchild node sees no NODE_TEST_CONTEXT and the counts still reach the runner', () => {
  const r = runNodeTest(['--import', preload]);
  assert.match(r.out, /CHILD=none/);
  assert.deepEqual([r.pass, r.fail], [1, 1], r.out);
});

test('without it, the mark leaks into the grandchild (what the preload is for)', () => {
  const r = runNodeTest([]);
  assert.match(r.out, /CHILD=child/);
});
