// The sandbox probe is remembered between processes (the CLI starts one per verify): only a full success, keyed
// by the bwrap binary, the boot, the user, the namespaces and the kernel switches. Each process here is a fresh
// Node that probes through a fake bwrap which logs every start (the cache folder and the fake are throw-away).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'qwq-probe-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const cache = join(dir, 'cache');
const log = join(dir, 'starts.log');
const MODULE = join(__dirname, '../../../src/core/verify/sandboxCheck.ts');

function fakeBwrap(name: string, status: number): string {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\necho "${name}" >> '${log}'\nexit ${status}\n`);
  chmodSync(p, 0o755);
  return p;
}

/** A new process's diagnosis of `bwrap`. */
function diagnoseInNewProcess(bwrap: string, code = 'console.log(JSON.stringify(m.diagnoseSandbox(process.argv[1])))'): { ok: boolean; isolatedNetwork: boolean } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `const m = require(${JSON.stringify(MODULE)}); ${code}`, bwrap], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? 'null');
}
const starts = (): number => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').length : 0);

test('a working probe is remembered for the next process; a changed bwrap, a failure or forgetSandboxProbe probe again', { skip: process.platform !== 'linux' && 'the probe runs on Linux only' }, () => {
  const good = fakeBwrap('bwrap-good', 0);
  assert.deepEqual(diagnoseInNewProcess(good), { ok: true, isolatedNetwork: true });
  assert.equal(starts(), 1, 'the first process probes');
  assert.ok(existsSync(join(cache, 'qwq-coder', 'sandbox-probe.json')));
  assert.deepEqual(diagnoseInNewProcess(good), { ok: true, isolatedNetwork: true });
  assert.equal(starts(), 1, 'the second process reads the remembered probe: bwrap is not started');

  // The binary changed (an upgrade): its size and times are in the key.
  writeFileSync(good, `${readFileSync(good, 'utf8')}# upgraded\n`);
  assert.equal(diagnoseInNewProcess(good).ok, true);
  assert.equal(starts(), 2);
  assert.equal(diagnoseInNewProcess(good).ok, true);
  assert.equal(starts(), 2);

  // A failing bwrap is never remembered: every process probes it, and says it does not run.
  const bad = fakeBwrap('bwrap-bad', 1);
  const before = starts();
  assert.equal(diagnoseInNewProcess(bad).ok, false);
  assert.equal(diagnoseInNewProcess(bad).ok, false);
  assert.ok(starts() >= before + 2, 'each process probed the failing bwrap');

  // A run whose bwrap failed after all forgets the remembered probe (runTests.ts calls this).
  diagnoseInNewProcess(good, 'm.forgetSandboxProbe(); console.log("null")');
  assert.equal(existsSync(join(cache, 'qwq-coder', 'sandbox-probe.json')), false);
  const n = starts();
  assert.equal(diagnoseInNewProcess(good).ok, true);
  assert.equal(starts(), n + 1, 'probed again');
});

test('a forged remembered probe for another key is not taken', { skip: process.platform !== 'linux' && 'the probe runs on Linux only' }, () => {
  const good = fakeBwrap('bwrap-other', 0);
  mkdirSync(join(cache, 'qwq-coder'), { recursive: true });
  writeFileSync(join(cache, 'qwq-coder', 'sandbox-probe.json'), JSON.stringify({ key: JSON.stringify([1, good]) }));
  const n = starts();
  diagnoseInNewProcess(good);
  assert.equal(starts(), n + 1);
});
