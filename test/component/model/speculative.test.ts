// Speculative decoding through the real runtime (worker process + llama.cpp) on SCRIPTED models: a draft
// model (DraftSequenceTokenPredictor) and prompt lookup (InputLookupTokenPredictor) must not change what
// greedy decoding emits, and must actually be consulted (validated predictions are reported).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeScriptedModel, thinkThenAnswerScript } from '../../fixtures/gguf/scriptedModel';
import type { ModelScript } from '../../fixtures/gguf/scriptedModel';
import { tempDir, testRuntime } from '../../unit/model/helpers';

const tmp = tempDir();
after(() => tmp.cleanup());

test('a draft model with the same tokenizer speeds nothing up wrongly: same greedy output, predictions validated', async () => {
  const script = thinkThenAnswerScript({ thought: 'plan: rename foo to bar in util.ts', answer: 'Rename foo to bar everywhere now.' });
  const target = join(tmp.dir, 'scripted-target.gguf');
  writeScriptedModel(target, script);
  // Same branches, so the same vocabulary; but the draft loops back instead of ending, so its guess
  // after the last answer token is wrong and the target must refute it.
  const draft = join(tmp.dir, 'scripted-draft.gguf');
  writeScriptedModel(draft, { branches: script.branches.map((b) => ({ ...b, repeat: true })) });

  const messages = [{ role: 'user' as const, content: 'rename foo' }];
  const plain = testRuntime(target);
  const speculative = testRuntime(target, { draftModel: draft, draftMinTokens: 4 }) // wait for the draft: no race on one thread;
  try {
    const a = await plain.chat(messages, { temperature: 0 });
    const b = await speculative.chat(messages, { temperature: 0 });
    assert.deepEqual([b.thought, b.answer, b.stopReason], [a.thought, a.answer, a.stopReason]);
    assert.equal(a.answer, 'Rename foo to bar everywhere now.');
    assert.equal(a.stats.predictions, undefined, 'no predictor, no prediction stats');
    assert.ok(b.stats.predictions, 'prediction stats reported');
    assert.ok(b.stats.predictions.validated >= 5, `validated ${JSON.stringify(b.stats.predictions)}`);
    assert.ok(b.stats.predictions.refuted >= 1, `refuted ${JSON.stringify(b.stats.predictions)}`);
  } finally {
    await plain.dispose();
    await speculative.dispose();
  }
});

test('prompt lookup predicts an edit that copies its input: same greedy output, predictions validated', async () => {
  const copied = ' alpha beta gamma delta epsilon zeta eta theta iota kappa';
  // promptReachable: the prompt's copy of the text tokenizes to the very tokens the model emits.
  const script: ModelScript = { promptReachable: true, branches: [{ trigger: ' COPY', output: copied }] };
  const path = join(tmp.dir, 'scripted-copy.gguf');
  writeScriptedModel(path, script);
  const prompt = `copy${copied} COPY`;
  const plain = testRuntime(path);
  const lookup = testRuntime(path, { promptLookup: true });
  try {
    const a = await plain.complete(prompt, { temperature: 0, maxTokens: 30 });
    const b = await lookup.complete(prompt, { temperature: 0, maxTokens: 30 });
    assert.equal(a.text, copied);
    assert.equal(b.text, a.text);
    assert.equal(a.stats.predictions, undefined);
    assert.ok(b.stats.predictions, 'prediction stats reported');
    assert.ok(b.stats.predictions.validated >= 5, `validated ${JSON.stringify(b.stats.predictions)}`);
    // A prompt the model does not copy gets no confirmed predictions.
    const c = await lookup.complete('unrelated words here COPY', { temperature: 0, maxTokens: 30 });
    assert.equal(c.text, copied);
    assert.equal(c.stats.predictions?.validated, 0);
  } finally {
    await plain.dispose();
    await lookup.dispose();
  }
});
