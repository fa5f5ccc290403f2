// The whole real stack (GGUF → llama.cpp in the worker process → QwQ chat wrapper → our split) on the
// SCRIPTED test model, whose weights emit a known thought and answer (test/fixtures/gguf/scriptedModel.ts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeScriptedModel, thinkThenAnswerScript } from '../../fixtures/gguf/scriptedModel';
import { tempDir, testRuntime } from '../../unit/model/helpers';
import type { LlamaRuntime } from '../../../src/core/model/llamaRuntime';
import type { StreamChunk } from '../../../src/core/model/types';

const script = { thought: 'plan: rename foo to bar in util.ts', answer: 'Rename foo to bar.', noThinkAnswer: '{"edit":"ok","file":"util.ts"}' };
const tmp = tempDir();
let rt: LlamaRuntime;

before(async () => {
  const path = join(tmp.dir, 'scripted.gguf');
  writeScriptedModel(path, thinkThenAnswerScript(script));
  rt = testRuntime(path);
  await rt.load();
});
after(async () => { await rt.dispose(); tmp.cleanup(); });

test('a thinking chat streams the thought apart from the answer, at QwQ sampling (temperature 0.6)', async () => {
  const chunks: StreamChunk[] = [];
  const r = await rt.chat([{ role: 'user', content: 'rename foo' }], { onChunk: (c) => chunks.push(c) });
  assert.equal(r.thought, script.thought);
  assert.equal(r.answer, script.answer);
  assert.equal(r.stopReason, 'eos');
  assert.equal(chunks.filter((c) => c.kind === 'thought').map((c) => c.text).join('').trim(), script.thought);
  assert.equal(chunks.filter((c) => c.kind === 'answer').map((c) => c.text).join('').trim(), script.answer);
  assert.ok(r.stats.promptTokens > 0 && r.stats.completionTokens > 0);
});

test('greedy decoding gives the same split', async () => {
  const r = await rt.chat([{ role: 'user', content: 'rename foo' }], { temperature: 0 });
  assert.deepEqual([r.thought, r.answer], [script.thought, script.answer]);
});

test('multi-turn: history keeps answers only, and the second call writes JSON under a grammar without thinking', async () => {
  const first = await rt.chat([{ role: 'user', content: 'plan it' }]);
  const second = await rt.chat([
    { role: 'user', content: 'plan it' },
    { role: 'assistant', content: first.answer },
    { role: 'user', content: 'now write the edit' },
  ], { jsonSchema: { type: 'object', properties: { edit: { type: 'string' }, file: { type: 'string' } }, required: ['edit', 'file'] } });
  assert.equal(second.thought, '');
  assert.deepEqual(JSON.parse(second.answer), { edit: 'ok', file: 'util.ts' });
  // The shared history prefix came from the KV cache.
  assert.ok(second.stats.reusedTokens > 0, `reused ${second.stats.reusedTokens}`);
  assert.equal(second.stats.reusedTokens + second.stats.evaluatedTokens, second.stats.promptTokens);
});

test('thoughtBudget 0 answers at once with an empty think block', async () => {
  const r = await rt.chat([{ role: 'user', content: 'quick' }], { thoughtBudget: 0 });
  assert.equal(r.thought, '');
  assert.equal(r.answer, script.noThinkAnswer);
});

test('a small thought budget cuts the thinking and says so', async () => {
  const r = await rt.chat([{ role: 'user', content: 'think less' }], { thoughtBudget: 2 });
  assert.match(r.stopDetail ?? '', /budget of 2 tokens/);
  assert.ok(r.thought.length < script.thought.length, `thought ${JSON.stringify(r.thought)}`);
});

test('a repeated identical request re-evaluates almost nothing (prefix reuse)', async () => {
  const msgs = [{ role: 'user' as const, content: 'same prompt twice' }];
  await rt.chat(msgs);
  const again = await rt.chat(msgs);
  assert.ok(again.stats.evaluatedTokens <= 2, `evaluated ${again.stats.evaluatedTokens} of ${again.stats.promptTokens}`);
  assert.ok(again.stats.reusedTokens >= again.stats.promptTokens - 2);
});

test('countTokens uses the model tokenizer', async () => {
  assert.equal(await rt.countTokens(''), 0);
  assert.equal(await rt.countTokens('ab'), 2); // two byte tokens: no merge for "ab" in this vocab
});
