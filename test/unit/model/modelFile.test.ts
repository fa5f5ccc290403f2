// Bad model files are refused from the GGUF header, before any native code runs, with a message naming the cause.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { inspectModelFile } from '../../../src/core/model/modelFile';
import { ModelFileError } from '../../../src/core/model/ggufHeader';
import { checkMemory, estimateMemory, largestFittingContext, ModelMemoryError } from '../../../src/core/model/memoryCheck';
import { writeTinyQwen2 } from '../../fixtures/gguf/qwen2Model';
import { tempDir, testRuntime } from './helpers';

const tmp = tempDir();
after(() => tmp.cleanup());
const tiny = join(tmp.dir, 'tiny.gguf');
writeTinyQwen2(tiny);

function refused(fn: () => unknown, code: ModelFileError['code'], message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof ModelFileError && e.code === code && message.test(e.message));
}

test('a good file: architecture, parameters, context and FIM support from the header alone', () => {
  const info = inspectModelFile(tiny);
  assert.equal(info.architecture, 'qwen2');
  assert.equal(info.trainContextSize, 32768);
  assert.equal(info.layers, 2);
  assert.ok(info.parameters > 50_000 && info.parameters < 200_000, `${info.parameters}`);
  assert.equal(info.hasInfill, true);
  assert.match(info.chatTemplate ?? '', /<think>\\n/);
  // 2 layers × 2 KV heads × (16 + 16) dims × 2 bytes
  assert.equal(info.kvBytesPerToken, 2 * 2 * 32 * 2);
});

test('a missing file', () => {
  refused(() => inspectModelFile(join(tmp.dir, 'nope.gguf')), 'missing', /model file not found: .*nope\.gguf/);
});

test('a directory', () => {
  mkdirSync(join(tmp.dir, 'dir.gguf'));
  refused(() => inspectModelFile(join(tmp.dir, 'dir.gguf')), 'not-gguf', /directory/);
});

test('a file that is not a GGUF', () => {
  const p = join(tmp.dir, 'readme.gguf');
  writeFileSync(p, 'this is a text file, not weights');
  refused(() => inspectModelFile(p), 'not-gguf', /not a GGUF model file/);
});

test('a GGUF truncated inside its header', () => {
  const p = join(tmp.dir, 'cut-header.gguf');
  writeFileSync(p, readFileSync(tiny).subarray(0, 2000));
  refused(() => inspectModelFile(p), 'truncated', /truncated: the GGUF header ends early/);
});

test('a GGUF truncated inside its tensor data (an interrupted download)', () => {
  const whole = readFileSync(tiny);
  const p = join(tmp.dir, 'cut-data.gguf');
  writeFileSync(p, whole.subarray(0, whole.length - 1000));
  refused(() => inspectModelFile(p), 'truncated', /truncated: its tensors need \d+ bytes but the file has \d+/);
});

test('an unsupported architecture', () => {
  const p = join(tmp.dir, 'bert.gguf');
  writeTinyQwen2(p, { architecture: 'nomic-bert' });
  refused(() => inspectModelFile(p), 'unsupported', /architecture "nomic-bert"/);
});

test('missing keys that would make llama.cpp abort (SIGABRT) are caught first', () => {
  const p = join(tmp.dir, 'no-ff.gguf');
  writeTinyQwen2(p, { omitKeys: ['qwen2.feed_forward_length', 'qwen2.attention.head_count'] });
  refused(() => inspectModelFile(p), 'invalid', /missing required metadata qwen2\.feed_forward_length, qwen2\.attention\.head_count/);
});

test('the runtime rejects a bad file at load, without starting a worker', async () => {
  const rt = testRuntime(join(tmp.dir, 'readme.gguf'));
  await assert.rejects(rt.load(), /not a GGUF model file/);
  assert.equal(rt.processStarts, 0);
  await rt.dispose();
});

test('memory: QwQ-32B-sized numbers give 256 KiB of KV per token and a clear refusal', () => {
  const qwq = { weightsBytes: 19.9e9, kvBytesPerToken: 64 * 8 * (128 + 128) * 2, name: 'QwQ-32B' };
  assert.equal(qwq.kvBytesPerToken, 256 * 1024);
  const e = estimateMemory(qwq, 32768);
  assert.equal(e.kvCacheBytes, 8 * 1024 ** 3);
  assert.throws(() => checkMemory(qwq, 32768, 16 * 1024 ** 3), (err: unknown) => err instanceof ModelMemoryError
    && /needs about 2\d\.\d GiB \(weights 18\.5 GiB \+ KV cache 8\.0 GiB for 32768 tokens/.test(err.message)
    && /only 16\.0 GiB is free/.test(err.message) && /smaller quantization/.test(err.message));
  assert.doesNotThrow(() => checkMemory(qwq, 32768, 64 * 1024 ** 3));
  const fits = largestFittingContext(qwq, 24 * 1024 ** 3);
  assert.ok(fits > 4096 && fits < 32768 && fits % 1024 === 0, `${fits}`);
});

test('the runtime refuses to load a model that does not fit the (injected) free memory', async () => {
  const rt = testRuntime(tiny, { freeMemoryBytes: () => 10 * 1024 * 1024 });
  await assert.rejects(rt.load(), (e: unknown) => e instanceof ModelMemoryError && /not enough memory/.test(e.message) && /only 10\.0 MiB is free/.test(e.message));
  assert.equal(rt.processStarts, 0);
  await rt.dispose();
});
