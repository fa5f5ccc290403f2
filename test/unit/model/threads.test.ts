// --threads and qwq.model.threads are bounded by the machine's logical cores, with a clear message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { checkThreadCount, logicalCoreCount, ThreadCountError } from '../../../src/core/model/threads';
import { LlamaRuntime } from '../../../src/core/model/llamaRuntime';
import { main } from '../../../src/cli/main';

test('checkThreadCount: 1..logical cores pass; more, zero or fractions are refused in words', () => {
  assert.equal(logicalCoreCount(), Math.max(1, cpus().length));
  assert.equal(checkThreadCount(1, 'x', 8), 1);
  assert.equal(checkThreadCount(8, 'x', 8), 8);
  assert.throws(() => checkThreadCount(100_000, '--threads', 8), (e: unknown) => e instanceof ThreadCountError
    && /--threads is 100000, but this machine has 8 logical cores: use at most 8/.test(e.message) && /many times slower/.test(e.message));
  assert.throws(() => checkThreadCount(0, 'x', 8), /whole number ≥ 1/);
  assert.throws(() => checkThreadCount(1.5, 'x', 8), /whole number ≥ 1/);
});

test('the CLI refuses --threads 100000 at once as a usage error (exit 2), and the runtime refuses it before any process starts', async () => {
  let err = '';
  const code = await main(['chat', '--threads', '100000', 'hi'], { stdout: () => {}, stderr: (t) => { err += t; }, signal: new AbortController().signal, cwd: process.cwd() });
  assert.equal(code, 2);
  assert.match(err, /--threads is 100000, but this machine has \d+ logical core/);
  const rt = new LlamaRuntime({ model: '/nonexistent.gguf', threads: 100_000 });
  await assert.rejects(rt.load(), /qwq\.model\.threads\) is 100000/);
  assert.equal(rt.processStarts, 0);
  await rt.dispose();
});
