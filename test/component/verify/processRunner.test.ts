import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess, tapCollector } from '../../../src/core/verify';

/** A pid is gone when it no longer exists or is only a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try { process.kill(pid, 0); } catch { return false; }
  try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

async function waitGone(pid: number, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

test('a hanging runner is killed at the timeout, grandchildren included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qwq-hang-'));
  const pidFile = join(dir, 'grandchild.pid');
  // The shell starts a child shell that starts a sleeping grandchild, then everything hangs.
  const r = await runProcess({ command: `sh -c 'sleep 300 & echo $! > ${pidFile}; wait' & wait`, cwd: dir, timeoutMs: 700, killGraceMs: 300 });
  assert.equal(r.timedOut, true);
  assert.ok(existsSync(pidFile), 'the grandchild started');
  const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
  assert.ok(grandchild > 0);
  assert.equal(await waitGone(grandchild), true, `grandchild ${grandchild} still running`);
});

test('a background grandchild does not outlive a run that exits normally', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qwq-bg-'));
  const pidFile = join(dir, 'bg.pid');
  const r = await runProcess({ command: `sleep 300 > /dev/null 2>&1 & echo $! > ${pidFile}; echo done`, cwd: dir, timeoutMs: 10_000 });
  assert.equal(r.exitCode, 0);
  assert.equal(r.timedOut, false);
  assert.equal(await waitGone(Number(readFileSync(pidFile, 'utf8').trim())), true);
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
  assert.deepEqual(collector.results().map((t) => [t.id, t.status]), [['first', 'passed'], ['middle', 'failed'], ['last', 'passed']]);
});

test('the environment is controlled: CI=1, no colors, no TTY, no inherited node:test context', async () => {
  process.env.NODE_TEST_CONTEXT ??= 'child-v8';
  const r = await runProcess({ command: 'echo "CI=$CI FORCE_COLOR=$FORCE_COLOR NTC=${NODE_TEST_CONTEXT:-none}"; [ -t 0 ] && echo tty0; [ -t 1 ] && echo tty1; true', cwd: tmpdir(), timeoutMs: 5000 });
  assert.equal(r.output.trim(), 'CI=1 FORCE_COLOR=0 NTC=none');
});

test('an abort signal stops the run', async () => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 200);
  const r = await runProcess({ command: 'sleep 30', cwd: tmpdir(), timeoutMs: 60_000, signal: ac.signal });
  assert.equal(r.aborted, true);
  assert.equal(r.timedOut, false);
});
