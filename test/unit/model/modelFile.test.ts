// Bad model files are refused from the GGUF header, before any native code runs, with a message naming the cause.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { inspectModelFile } from '../../../src/core/model/modelFile';
import { ModelFileError } from '../../../src/core/model/ggufHeader';
import { ModelMemoryError } from '../../../src/core/model/memoryCheck';
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

/** The byte offset of a tensor's table entry just after its name (nDims), found by its name. */
function tableEntry(buf: Buffer, name: string): number {
  const at = buf.indexOf(Buffer.from(name));
  assert.ok(at > 0, `${name} is in the file`);
  return at + name.length;
}

function corrupt(name: string, patch: (buf: Buffer, entry: number) => void): string {
  const buf = Buffer.from(readFileSync(tiny));
  patch(buf, tableEntry(buf, 'blk.0.attn_q.weight'));
  const p = join(tmp.dir, name);
  writeFileSync(p, buf);
  return p;
}

// Entry layout after the name: u32 nDims, nDims × u64 dims, u32 type, u64 offset.
const corruptions: Array<[string, (buf: Buffer, e: number) => void, RegExp]> = [
  ['bad-type', (b, e) => b.writeUInt32LE(999, e + 4 + 8 * b.readUInt32LE(e)), /tensor \d+ \("blk\.0\.attn_q\.weight"\) has unknown ggml type 999/],
  ['zero-dim', (b, e) => b.writeBigUInt64LE(0n, e + 4), /has shape \[0, \d+\]/],
  ['bad-offset', (b, e) => b.writeBigUInt64LE(BigInt(b.length) * 4n + 64n, e + 4 + 8 * b.readUInt32LE(e) + 4), /corrupt tensor table|larger than the file could hold/],
  ['misaligned', (b, e) => { const o = e + 4 + 8 * b.readUInt32LE(e) + 4; b.writeBigUInt64LE(b.readBigUInt64LE(o) + 1n, o); }, /not a multiple of the alignment 32/],
  ['overlap', (b, e) => b.writeBigUInt64LE(0n, e + 4 + 8 * b.readUInt32LE(e) + 4), /overlaps tensor/],
  ['garbled-name', (b, e) => { b.fill(0, e - 'attn_q.weight'.length, e - 3); b[e - 2] = 0xff; }, /has a name with control characters or invalid UTF-8/],
];

for (const [name, patch, message] of corruptions) {
  test(`a corrupt tensor table (${name}) is refused with a clean message`, () => {
    const p = corrupt(`${name}.gguf`, patch);
    assert.throws(() => inspectModelFile(p), (e: unknown) => {
      assert.ok(e instanceof ModelFileError && e.code === 'invalid', String(e));
      assert.match(e.message, message);
      assert.doesNotMatch(e.message, /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/, 'no raw control bytes in the message');
      return true;
    });
  });
}

test('models info on a corrupt tensor table exits 1 with one clean line; on a good file it states the memory', async () => {
  const { main } = await import('../../../src/cli/main');
  const run = async (argv: string[]) => {
    let out = '';
    let err = '';
    const code = await main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, signal: new AbortController().signal, cwd: process.cwd() });
    return { code, out, err };
  };
  const bad = await run(['models', 'info', corrupt('cli-garbled.gguf', corruptions[5]![1])]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /corrupt tensor table/);
  assert.doesNotMatch(bad.err, /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/);
  assert.equal(bad.err.trim().split('\n').length, 1);
  const good = await run(['models', 'info', tiny]);
  assert.equal(good.code, 0, good.err);
  assert.match(good.out, /memory: +at 32768 tokens about [\d.]+ [KMG]iB of RAM on the CPU, or [\d.]+ [KMG]iB of VRAM/);
});

test('the memory plan (node-llama-cpp\'s estimate) is stated before loading: needs, has, context, placement', async () => {
  const lines: string[] = [];
  const rt = testRuntime(tiny, { contextSize: undefined, onLog: (l) => lines.push(l), gpu: false });
  try {
    const info = await rt.load();
    assert.ok(info.memory, 'the plan is part of the model info');
    assert.equal(info.memory!.placement, 'cpu');
    assert.match(info.memory!.summary, /needs about [\d.]+ [MG]iB of RAM with a \d+-token context\. This machine has [\d.]+ [MG]iB of [\d.]+ [MG]iB RAM free\. It runs on the CPU only/);
    assert.ok(lines.some((l) => l === info.memory!.summary), 'and logged');
    assert.equal(info.contextSize, 32768, 'the largest context up to 32768 that fits');
  } finally { await rt.dispose(); }
});

test('a model that cannot fit the (injected) free memory is refused with numbers and a way out', async () => {
  const rt = testRuntime(tiny, { freeMemoryBytes: () => 1024 * 1024, contextSize: 32768 });
  await assert.rejects(rt.load(), (e: unknown) => e instanceof ModelMemoryError && /not enough memory/.test(e.message) && /only 1 MiB of RAM/.test(e.message) && /Lower the context size/.test(e.message));
  await rt.dispose();
});
