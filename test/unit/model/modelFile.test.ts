// Bad model files are refused from the GGUF header, before any native code runs, with a message naming the cause.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { inspectModelFile, readModelFile } from '../../../src/core/model/modelFile';
import { ModelFileError } from '../../../src/core/model/ggufHeader';
import { ModelMemoryError } from '../../../src/core/model/memoryCheck';
import { writeTinyQwen2 } from '../../fixtures/gguf/qwen2Model';
import { tempDir, testRuntime } from './helpers';

const tmp = tempDir();
after(() => tmp.cleanup());
const tiny = join(tmp.dir, 'tiny.gguf');
writeTinyQwen2(tiny);

async function refused(path: string, code: ModelFileError['code'], message: RegExp): Promise<void> {
  await assert.rejects(inspectModelFile(path), (e: unknown) => {
    assert.ok(e instanceof ModelFileError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

test('a good file: architecture, parameters, context and FIM support from the header alone', async () => {
  const info = await inspectModelFile(tiny);
  assert.equal(info.architecture, 'qwen2');
  assert.equal(info.trainContextSize, 32768);
  assert.equal(info.layers, 2);
  assert.ok(info.parameters > 50_000 && info.parameters < 200_000, `${info.parameters}`);
  assert.equal(info.hasInfill, true);
  assert.match(info.chatTemplate ?? '', /<think>\\n/);
  // 2 layers × 2 KV heads × (16 + 16) dims × 2 bytes
  assert.equal(info.kvBytesPerToken, 2 * 2 * 32 * 2);
});

test('a missing file', async () => {
  await refused(join(tmp.dir, 'nope.gguf'), 'missing', /model file not found: .*nope\.gguf/);
});

test('a directory', async () => {
  mkdirSync(join(tmp.dir, 'dir.gguf'));
  await refused(join(tmp.dir, 'dir.gguf'), 'not-gguf', /directory/);
});

test('a file that is not a GGUF', async () => {
  const p = join(tmp.dir, 'readme.gguf');
  writeFileSync(p, 'this is a text file, not weights');
  await refused(p, 'not-gguf', /not a GGUF model file/);
});

test('a GGUF truncated inside its header', async () => {
  const p = join(tmp.dir, 'cut-header.gguf');
  writeFileSync(p, readFileSync(tiny).subarray(0, 2000));
  await refused(p, 'truncated', /truncated: the GGUF header ends early/);
});

test('a GGUF truncated inside its tensor data (an interrupted download)', async () => {
  const whole = readFileSync(tiny);
  const p = join(tmp.dir, 'cut-data.gguf');
  writeFileSync(p, whole.subarray(0, whole.length - 1000));
  await refused(p, 'truncated', /truncated: its tensors need \d+ bytes but the file has \d+/);
});

test('an unsupported architecture', async () => {
  const p = join(tmp.dir, 'bert.gguf');
  writeTinyQwen2(p, { architecture: 'nomic-bert' });
  await refused(p, 'unsupported', /architecture "nomic-bert"/);
});

test('missing keys that would make llama.cpp abort (SIGABRT) are caught first', async () => {
  const p = join(tmp.dir, 'no-ff.gguf');
  writeTinyQwen2(p, { omitKeys: ['qwen2.feed_forward_length', 'qwen2.attention.head_count'] });
  await refused(p, 'invalid', /missing required metadata qwen2\.feed_forward_length, qwen2\.attention\.head_count/);
});

test('the runtime rejects a bad file at load, without starting a worker', async () => {
  const rt = testRuntime(join(tmp.dir, 'readme.gguf'));
  await assert.rejects(rt.load(), /not a GGUF model file/);
  assert.equal(rt.processStarts, 0);
  await rt.dispose();
});

/** Runtime refusals keep their class and code, whether the host (bounds) or the worker (header) refused. */
async function runtimeRefuses(rt: ReturnType<typeof testRuntime>, code: ModelFileError['code'], message: RegExp, processStarts: number): Promise<void> {
  try {
    await assert.rejects(rt.load(), (e: unknown) => {
      assert.ok(e instanceof ModelFileError, String(e));
      assert.equal(e.code, code, e.message);
      assert.match(e.message, message);
      return true;
    });
    assert.equal(rt.processStarts, processStarts);
    assert.equal(rt.state.state, 'idle');
    assert.equal(rt.modelFileInfo, undefined);
  } finally { await rt.dispose(); }
}

test('the runtime refuses a missing, cut-off or garbled header in the host, before any fork', async () => {
  await runtimeRefuses(testRuntime(join(tmp.dir, 'nope.gguf')), 'missing', /model file not found: .*nope\.gguf/, 0);
  await runtimeRefuses(testRuntime(join(tmp.dir, 'cut-header.gguf')), 'truncated', /truncated: the GGUF header ends early/, 0);
  await runtimeRefuses(testRuntime(rawHeader('rt-tensors.gguf', { tensors: 1n << 40n })), 'invalid', /tensor count is 1099511627776/, 0);
  await runtimeRefuses(testRuntime(tiny, { draftModel: join(tmp.dir, 'readme.gguf') }), 'not-gguf', /readme\.gguf is not a GGUF model file/, 0);
});

test('the worker refuses what only the full header shows, as the same ModelFileError (class, code, message)', async () => {
  await runtimeRefuses(testRuntime(join(tmp.dir, 'bert.gguf')), 'unsupported', /bert\.gguf has architecture "nomic-bert", which this runtime cannot run/, 1);
  await runtimeRefuses(testRuntime(join(tmp.dir, 'no-ff.gguf')), 'invalid', /missing required metadata qwen2\.feed_forward_length/, 1);
  await runtimeRefuses(testRuntime(join(tmp.dir, 'cut-data.gguf')), 'truncated', /truncated: its tensors need \d+ bytes but the file has \d+/, 1);
  await runtimeRefuses(testRuntime(tiny, { draftModel: join(tmp.dir, 'bert.gguf') }), 'unsupported', /bert\.gguf has architecture "nomic-bert"/, 1);
});

test('a split model\'s other parts are bounds-checked in the worker before node-llama-cpp splices them in', async () => {
  // Part 1 is fine (the host checks only it); a hostile part 2 used to reach the library's read, which aborts
  // the process on a 3 GiB string length: the worker crashed. Now it is refused, naming the part.
  const first = join(tmp.dir, 'split-00001-of-00002.gguf');
  writeFileSync(first, readFileSync(tiny));
  const second = join(tmp.dir, 'split-00002-of-00002.gguf');
  await runtimeRefuses(testRuntime(first), 'missing', /model file not found: .*split-00002-of-00002\.gguf/, 1);
  writeFileSync(second, readFileSync(rawHeader('strlen-part.gguf', { keys: 1n, rest: Buffer.concat([u64(3n << 30n), Buffer.alloc(32)]) })));
  await runtimeRefuses(testRuntime(first), 'invalid', /split-00002-of-00002\.gguf is not a valid GGUF: metadata key length is 3221225472/, 1);
});

test('a split model\'s parameters count the tensors of every part (the header facts are the first part\'s)', async () => {
  const first = join(tmp.dir, 'params-00001-of-00002.gguf');
  writeFileSync(first, readFileSync(tiny));
  writeFileSync(join(tmp.dir, 'params-00002-of-00002.gguf'), readFileSync(tiny)); // a second part of the same size
  const one = await inspectModelFile(tiny);
  const { file, ggufInfo } = await readModelFile(first);
  assert.equal(ggufInfo.splicedParts, 2);
  assert.equal(file.parameters, 2 * one.parameters);
});

test('a load returns the header facts read in the worker: parameters, file size, FIM, and modelFileInfo', async () => {
  const rt = testRuntime(tiny);
  try {
    const info = await rt.load();
    const file = await inspectModelFile(tiny);
    assert.deepEqual(rt.modelFileInfo, JSON.parse(JSON.stringify(file)), 'the same facts (over IPC, unset fields are absent)');
    assert.equal(info.architecture, 'qwen2');
    assert.equal(info.parameters, file.parameters);
    assert.equal(info.fileSizeBytes, file.fileSizeBytes);
    assert.equal(info.trainContextSize, 32768);
    assert.equal(info.hasInfill, true);
    assert.equal(info.contextSize, 2048);
  } finally { await rt.dispose(); }
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
  test(`a corrupt tensor table (${name}) is refused with a clean message`, async () => {
    const p = corrupt(`${name}.gguf`, patch);
    await assert.rejects(inspectModelFile(p), (e: unknown) => {
      assert.ok(e instanceof ModelFileError && e.code === 'invalid', String(e));
      assert.match(e.message, message);
      assert.doesNotMatch(e.message, /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/, 'no raw control bytes in the message');
      return true;
    });
  });
}

/** A bare GGUF v3 header: magic, version, then the given u64 tensor and key counts and any further bytes. */
function rawHeader(name: string, fields: { version?: number; tensors?: bigint; keys?: bigint; rest?: Buffer }): string {
  const head = Buffer.alloc(24);
  head.write('GGUF', 0, 'latin1');
  head.writeUInt32LE(fields.version ?? 3, 4);
  head.writeBigUInt64LE(fields.tensors ?? 0n, 8);
  head.writeBigUInt64LE(fields.keys ?? 0n, 16);
  const p = join(tmp.dir, name);
  writeFileSync(p, Buffer.concat([head, fields.rest ?? Buffer.alloc(40)]));
  return p;
}

/** One metadata entry: key "k" of the given GGUF value type, followed by `value`. */
function entry(type: number, value: Buffer): Buffer {
  const key = Buffer.alloc(13);
  key.writeBigUInt64LE(1n, 0);
  key.write('k', 8);
  key.writeUInt32LE(type, 9);
  return Buffer.concat([key, value]);
}
const u64 = (v: bigint): Buffer => { const b = Buffer.alloc(8); b.writeBigUInt64LE(v); return b; };
const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };

// Measured on node-llama-cpp 3.22.1's readGgufFileInfo alone: the 3 GiB string aborts the Node process (a native
// assertion in fs.read); the 2^40 counts read zeros past the end for good (15 s and 950 MiB when stopped).
const hostileHeaders: Array<[string, () => string, ModelFileError['code'], RegExp]> = [
  ['a string length of 3 GiB in a 64-byte file', () => rawHeader('strlen.gguf', { keys: 1n, rest: Buffer.concat([u64(3n << 30n), Buffer.alloc(32)]) }), 'invalid', /metadata key length is 3221225472, larger than the file could hold/],
  ['a tensor count of 2^40', () => rawHeader('tensors.gguf', { tensors: 1n << 40n }), 'invalid', /tensor count is 1099511627776, larger than the file could hold/],
  ['a metadata count of 2^40', () => rawHeader('keys.gguf', { keys: 1n << 40n }), 'invalid', /metadata count is 1099511627776/],
  ['an array count of 2^40', () => rawHeader('array.gguf', { keys: 1n, rest: entry(9, Buffer.concat([u32(0), u64(1n << 40n)])) }), 'invalid', /k count is 1099511627776/],
  ['a value of unknown type', () => rawHeader('type.gguf', { keys: 1n, rest: entry(77, Buffer.alloc(8)) }), 'invalid', /key "k" has unknown value type 77/],
  ['GGUF version 1', () => rawHeader('v1.gguf', { version: 1 }), 'unsupported', /GGUF version 1; only versions 2 and 3/],
  ['GGUF version 99', () => rawHeader('v99.gguf', { version: 99 }), 'unsupported', /GGUF version 99/],
  ['only the magic bytes', () => { const p = join(tmp.dir, 'magic-only.gguf'); writeFileSync(p, 'GGUF'); return p; }, 'truncated', /header ends early \(reading version at byte 4, the file has 4 bytes\)/],
  ['an HTML error page saved as .gguf', () => { const p = join(tmp.dir, 'error.gguf'); writeFileSync(p, '<!DOCTYPE html><html><body>404 Not Found</body></html>'); return p; }, 'not-gguf', /not a GGUF model file/],
  ['an empty file', () => { const p = join(tmp.dir, 'empty.gguf'); writeFileSync(p, ''); return p; }, 'not-gguf', /not a GGUF model file/],
];

for (const [name, write, code, message] of hostileHeaders) {
  test(`a header with ${name} is refused before node-llama-cpp reads it`, async () => {
    const started = Date.now();
    await refused(write(), code, message);
    assert.ok(Date.now() - started < 5000, 'refused at once, not after reading past the end');
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
