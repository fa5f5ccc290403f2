// Cancellation, crash isolation and restart, loop stop and maxTokens, on SCRIPTED models whose output never
// ends (a bigram chain that loops back), through the real worker process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeScriptedModel } from '../../fixtures/gguf/scriptedModel';
import { tempDir, testRuntime } from '../../unit/model/helpers';
import { ModelProcessCrashedError, type LlamaRuntime } from '../../../src/core/model/llamaRuntime';
import type { RuntimeState } from '../../../src/core/model/types';

const tmp = tempDir();
let rt: LlamaRuntime;
const states: RuntimeState['state'][] = [];

before(async () => {
  const path = join(tmp.dir, 'scripted-endless.gguf');
  writeScriptedModel(path, { branches: [
    // A thinking chat that never stops repeating itself: the loop detector must end it.
    { trigger: '\n', output: 'Wait, let me check that again.', repeat: true },
    // A completion that never ends: for cancel, crash and maxTokens.
    { trigger: ' FOREVER', output: 'tick tock and', repeat: true },
    { trigger: ' SHORT', output: 'done.' },
  ] });
  rt = testRuntime(path, { onStateChange: (s) => states.push(s.state) });
  await rt.load();
});
after(async () => { await rt.dispose(); tmp.cleanup(); });

test('maxTokens stops an endless completion with stopReason maxTokens', async () => {
  const r = await rt.complete('count FOREVER', { maxTokens: 12 });
  assert.equal(r.stopReason, 'maxTokens');
  assert.equal(r.stats.completionTokens, 12);
  assert.match(r.text, /^tick tock and(tick tock and)+/);
});

test('a looping thought is stopped by the loop detector with stopReason loop', async () => {
  const r = await rt.chat([{ role: 'user', content: 'think' }], { maxTokens: 2000 });
  assert.equal(r.stopReason, 'loop');
  assert.match(r.stopDetail ?? '', /repetition loop/);
  assert.ok(r.stats.completionTokens < 200, `stopped after ${r.stats.completionTokens} tokens`);
});

test('an AbortSignal cancels mid-generation; the result says aborted and the context stays usable', async () => {
  const controller = new AbortController();
  let seen = '';
  const r = await rt.complete('count FOREVER', {
    maxTokens: 1_000_000,
    signal: controller.signal,
    onText: (t) => { seen += t; if (seen.length > 40) controller.abort(); },
  });
  assert.equal(r.stopReason, 'aborted');
  assert.ok(r.text.length >= 40 && r.stats.completionTokens < 1_000_000);
  const next = await rt.complete('then SHORT', { maxTokens: 20 });
  assert.equal(next.text, 'done.');
  assert.equal(next.stopReason, 'eos');
});

test('an already-aborted signal returns at once without generating', async () => {
  const r = await rt.complete('count FOREVER', { maxTokens: 1_000_000, signal: AbortSignal.abort() });
  assert.equal(r.stopReason, 'aborted');
  assert.ok(r.stats.completionTokens <= 1);
});

test('SIGKILL of the worker mid-generation rejects the call with a clear error; the next request restarts it', async () => {
  const firstPid = rt.pid!;
  assert.ok(firstPid > 0);
  let killed = false;
  const pending = rt.complete('count FOREVER', {
    maxTokens: 1_000_000,
    onText: () => { if (!killed) { killed = true; process.kill(firstPid, 'SIGKILL'); } },
  });
  await assert.rejects(pending, (e: unknown) => e instanceof ModelProcessCrashedError && /killed \(SIGKILL\) during completion; the next request restarts it/.test((e as Error).message));
  assert.equal(rt.state.state, 'crashed');
  const after = await rt.complete('then SHORT', { maxTokens: 20 });
  assert.equal(after.text, 'done.');
  assert.notEqual(rt.pid, firstPid);
  assert.equal(rt.processStarts, 2);
  assert.equal(rt.state.state, 'ready');
  assert.ok(states.includes('crashed') && states.lastIndexOf('ready') > states.indexOf('crashed'));
});
