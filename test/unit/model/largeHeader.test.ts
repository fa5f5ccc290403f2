// Real headers are megabytes (QwQ-32B's vocabulary alone is ~5 MB); the bounds check reads them in 1 MiB chunks.
// Found here: a length or type field that straddled a chunk boundary was read from the previous chunk, so a
// QwQ-sized vocabulary was refused as "tokenizer.ggml.tokens length is 14064895815" before any load.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkGgufBounds } from '../../../src/core/model/ggufBounds';
import { inspectModelFile } from '../../../src/core/model/modelFile';
import { tempDir } from './helpers';
import { QWQ_VOCAB_SIZE, writeLargeVocabQwen2 } from './largeVocabModel';

const tmp = tempDir('qwq-large-header-');
after(() => tmp.cleanup());
const CHUNK = 1 << 20;

const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
const u64 = (v: number): Buffer => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; };
const gstr = (s: string): Buffer => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);

/** A GGUF v3 header with key "a" (a string of `fill` bytes) then key "b" (u32 7): no tensors. */
function twoKeys(fill: number): Buffer {
  return Buffer.concat([Buffer.from('GGUF'), u32(3), u64(0), u64(2),
    gstr('a'), u32(8), gstr('x'.repeat(fill)),
    gstr('b'), u32(4), u32(7)]);
}

test('every field that straddles the 1 MiB read boundary is read whole (key length, type and value)', () => {
  const before = twoKeys(0).indexOf('b') - 8; // where key "b"'s length starts when "a" is empty
  // Slide key "b" (u64 length, name, u32 type, u32 value: 17 bytes) across the boundary one byte at a time.
  for (let shift = -20; shift <= 2; shift++) {
    const file = twoKeys(CHUNK + shift - before);
    const p = join(tmp.dir, `straddle${shift}.gguf`);
    writeFileSync(p, file);
    const bounds = checkGgufBounds(p);
    assert.equal(bounds.headerEnd, file.length, `key "b" at ${CHUNK + shift}`);
  }
});

test(`a QwQ-sized vocabulary (${QWQ_VOCAB_SIZE} tokens, a ~5 MB header) passes the bounds check and is read`, async () => {
  const p = join(tmp.dir, 'large-vocab.gguf');
  writeLargeVocabQwen2(p);
  const bounds = checkGgufBounds(p);
  assert.ok(bounds.headerEnd > 4 * CHUNK, `header of ${bounds.headerEnd} bytes`);
  const info = await inspectModelFile(p);
  assert.equal(info.architecture, 'qwen2');
  assert.equal(info.hasInfill, true);
});
