// Ghost text from a random tiny GGUF (real llama.cpp, random weights: the worst a model can emit) never
// carries a reasoning tag, a chat-template or FIM token, invalid UTF-8 or control characters once shaped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeTinyQwen2 } from '../../fixtures/gguf/qwen2Model';
import { tempDir, testRuntime } from '../../unit/model/helpers';
import { shapeInlineCompletion } from '../../../src/extension/inline/postprocess';
import type { LlamaRuntime } from '../../../src/core/model/llamaRuntime';

const tmp = tempDir();
let rt: LlamaRuntime;
const ARTIFACT = /<\/?think>|<\|[^|<>\s]{1,40}\|>|\uFFFD|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/;

before(async () => {
  const path = join(tmp.dir, 'random.gguf');
  writeTinyQwen2(path);
  rt = testRuntime(path);
  await rt.load();
});
after(async () => { await rt.dispose(); tmp.cleanup(); });

test('random FIM and answer-only completions, shaped, never contain model artifacts', async () => {
  const prefix = 'function total(items) {\n  let sum = 0;\n  ';
  const suffix = '\n  return sum;\n}\n';
  let rawArtifacts = 0;
  let shown = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const fim = await rt.infill(prefix, suffix, { maxTokens: 48, temperature: 1.2, topK: 0, topP: 1, seed });
    const chat = await rt.chat([{ role: 'user', content: `${prefix}<CURSOR>${suffix}` }], { maxTokens: 48, thoughtBudget: 0, temperature: 1.2, topK: 0, topP: 1, seed });
    for (const raw of [fim.text, chat.answer]) {
      if (ARTIFACT.test(raw)) rawArtifacts++;
      const shaped = shapeInlineCompletion(raw, '  ', suffix);
      if (shaped === undefined) continue;
      shown++;
      assert.doesNotMatch(shaped, ARTIFACT, `seed ${seed}: ${JSON.stringify(shaped)}`);
    }
  }
  // Informational: how often the raw output would have leaked something (random weights often do).
  console.log(`raw completions with artifacts: ${rawArtifacts} of 24; shown after shaping: ${shown}`);
  assert.ok(shown + rawArtifacts > 0, 'the model produced output');
});
