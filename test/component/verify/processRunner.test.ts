import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess, tapCollector } from '../../../src/core/verify';
import { scratchDir } from '../../support/scratchDir';

/** A pid is gone when it no longer exists or is only a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try { process.kill(pid, 0); } catch { return false; }
  try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

/** Live processes whose command line contains `tag`. */
function tagged(tag: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((p) => {
    try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(tag) && alive(p); } catch { return false; }
  });
}

/** Waits for an event outside this process (a process exiting); the test's own timeout bounds the wait. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

const uniqueSleep = (): string => `${300 + Math.floor(Math.random() * 100)}.${process.hrtime()[1]}`;

test('a hanging runner is killed at the timeout, grandchildren included', { timeout: 30_000 }, async () => {
  const tag = uniqueSleep();
  // The shell starts a child shell that starts a sleeping grandchild, then everything hangs. Whether or not the
  // grandchild has started when the timeout fires, none may be left afterwards.
  const r = await runProcess({ command: `sh -c 'sleep ${tag} & wait' & wait`, cwd: tmpdir(), timeoutMs: 700, killGraceMs: 300 });
  assert.equal(r.timedOut, true);
  await until(() => tagged(tag).length === 0);
  assert.deepEqual(tagged(tag), []);
});

test('a background grandchild does not outlive a run that exits normally', { timeout: 30_000 }, async () => {
  const dir = scratchDir('qwq-bg-');
  const pidFile = join(dir, 'bg.pid');
  const r = await runProcess({ command: `sleep 300 > /dev/null 2>&1 & echo $! > ${pidFile}; echo done`, cwd: dir, timeoutMs: 60_000 });
  assert.equal(r.exitCode, 0);
  assert.equal(r.timedOut, false);
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  await until(() => !alive(pid));
  assert.equal(alive(pid), false);
});

test('a setsid grandchild that keeps stdout open: the run returns when the command exits, and the grandchild is killed', { timeout: 30_000 }, async () => {
  const tag = uniqueSleep();
  // setsid leaves the process group, so killing the group cannot reach it; it holds the stdout pipe open.
  const r = await runProcess({ command: `setsid sh -c 'sleep ${tag}' & echo started`, cwd: tmpdir(), timeoutMs: 60_000 });
  assert.equal(r.exitCode, 0);
  assert.equal(r.timedOut, false);
  assert.match(r.output, /started/);
  await until(() => tagged(tag).length === 0);
  assert.deepEqual(tagged(tag), []);
});

test('a leftover that cleared its environment and keeps the pipe open does not hold the run after the command exited', { timeout: 30_000 }, async () => {
  const tag = uniqueSleep();
  // env -i drops the run marker, so nothing finds this one: the runner must still return.
  const r = await runProcess({ command: `setsid env -i sh -c 'sleep ${tag}' & echo started`, cwd: tmpdir(), timeoutMs: 60_000, pipeGraceMs: 200 });
  assert.equal(r.exitCode, 0);
  assert.match(r.output, /started/);
  for (const p of tagged(tag)) process.kill(p, 'SIGKILL');
});

test('10 MB of output is capped to 1 MB and the structured stream is still parsed in full', async () => {
  const collector = tapCollector();
  // TAP results at the start, in the middle and at the end of ~10 MB of noise.
  const script = `const line = 'x'.repeat(1023) + '\\n'; const out = process.stdout;
out.write('TAP version 13\\nok 1 - first\\n');
for (let i = 0; i < 5120; i++) out.write(line);
out.write('not ok 2 - middle\\n');
for (let i = 0; i < 5120; i++) out.write(line);
out.write('ok 3 - last\\n1..3\\n');`;
  const r = await runProcess({ command: `node -e "${script.replace(/"/g, '\\"')}"`, cwd: tmpdir(), timeoutMs: 60_000, maxOutputBytes: 1024 * 1024, onStdoutLine: (l) => collector.line(l) });
  assert.equal(r.exitCode, 0);
  assert.ok(r.totalBytes > 10 * 1024 * 1024, `total ${r.totalBytes}`);
  assert.equal(r.truncated, true);
  assert.ok(r.output.length <= 1024 * 1024 + 200, `kept ${r.output.length}`);
  assert.match(r.output, /bytes of output omitted/);
  assert.match(r.output, /ok 3 - last/);
  await collector.ready();
  assert.deepEqual(collector.results().map((t) => [t.id, t.status]), [['first', 'passed'], ['middle', 'failed'], ['last', 'passed']]);
});

test('the environment is controlled: CI=1, no colors, no TTY, no inherited node:test context', async () => {
  process.env.NODE_TEST_CONTEXT ??= 'child-v8';
  const r = await runProcess({ command: 'echo "CI=$CI FORCE_COLOR=$FORCE_COLOR NTC=${NODE_TEST_CONTEXT:-none}"; [ -t 0 ] && echo tty0; [ -t 1 ] && echo tty1; true', cwd: tmpdir(), timeoutMs: 5000 });
  assert.equal(r.output.trim(), 'CI=1 FORCE_COLOR=0 NTC=none');
});

test('an abort signal stops the run', async () => {
  const ac = new AbortController();
  // Aborted once the command is known to be running (its first line), not after a guessed delay.
  const r = await runProcess({ command: 'echo running; sleep 30', cwd: tmpdir(), timeoutMs: 60_000, signal: ac.signal, onStdoutLine: () => ac.abort() });
  assert.equal(r.aborted, true);
  assert.equal(r.timedOut, false);
});
