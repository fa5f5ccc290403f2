// JSON-schema grammar on the RANDOM tiny model: whatever the weights say, the output is schema-valid JSON
// (non-ASCII tokens biased away, docs/architecture.md §8). Also infill on the model's FIM tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeTinyQwen2 } from '../../fixtures/gguf/qwen2Model';
import { tempDir, testRuntime } from '../../unit/model/helpers';
import type { LlamaRuntime } from '../../../src/core/model/llamaRuntime';

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 12 },
    ok: { type: 'boolean' },
    kind: { enum: ['add', 'remove', 'rename'] },
  },
  required: ['name', 'ok', 'kind'],
  additionalProperties: false,
};

/** The checks the schema asks for, written out (no validator dependency). */
function assertMatchesSchema(text: string): void {
  const v = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(v).sort(), ['kind', 'name', 'ok']);
  assert.equal(typeof v.name, 'string');
  assert.ok((v.name as string).length <= 12, `name too long: ${JSON.stringify(v.name)}`);
  assert.equal(typeof v.ok, 'boolean');
  assert.ok(['add', 'remove', 'rename'].includes(v.kind as string), `kind ${JSON.stringify(v.kind)}`);
}

const tmp = tempDir();
let rt: LlamaRuntime;
before(async () => {
  const path = join(tmp.dir, 'tiny-qwen2.gguf');
  writeTinyQwen2(path);
  rt = testRuntime(path);
  await rt.load();
});
after(async () => { await rt.dispose(); tmp.cleanup(); });

test('chat with jsonSchema yields schema-valid JSON on random weights (5 seeds)', async () => {
  for (let seed = 1; seed <= 5; seed++) {
    const r = await rt.chat([{ role: 'user', content: `describe edit ${seed}` }], { jsonSchema: schema, seed, asciiOnly: true, maxTokens: 300 });
    assert.equal(r.stopReason, 'eos', `seed ${seed}: ${r.stopReason} ${r.answer}`);
    assert.equal(r.thought, '');
    assertMatchesSchema(r.answer);
  }
});

test('completion with jsonSchema yields schema-valid JSON too (3 seeds)', async () => {
  for (let seed = 1; seed <= 3; seed++) {
    const r = await rt.complete('{"edit": ', { jsonSchema: schema, seed, asciiOnly: true, maxTokens: 300 });
    assertMatchesSchema(r.text);
  }
});

test('infill runs on the FIM tokens and the model reports FIM support', async () => {
  const info = await rt.load();
  assert.equal(info.hasInfill, true);
  const r = await rt.infill('function add(a, b) {\n  return ', ';\n}\n', { maxTokens: 8, seed: 3 });
  assert.ok(r.stats.completionTokens >= 1 && r.stats.completionTokens <= 8);
  assert.ok(['eos', 'maxTokens'].includes(r.stopReason));
});
