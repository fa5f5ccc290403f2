// Reads a GGUF file's header (metadata and tensor table) without loading the model, so bad files are refused
// with a clear message in the parent process instead of aborting llama.cpp (RECIPES §3: some missing keys
// SIGABRT). Pure TypeScript over a file descriptor: only the header bytes are read, even for a 20 GB model.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export class ModelFileError extends Error {
  constructor(message: string, readonly code: 'missing' | 'not-gguf' | 'truncated' | 'unsupported' | 'invalid') {
    super(message);
    this.name = 'ModelFileError';
  }
}

export type GgufMetadataValue = string | number | bigint | boolean | GgufMetadataValue[];

export interface GgufTensorInfo { name: string; dims: number[]; type: number; offset: number }

export interface GgufHeader {
  version: number;
  metadata: Record<string, GgufMetadataValue>;
  tensors: GgufTensorInfo[];
  /** Byte offset where tensor data starts (after alignment padding). */
  dataOffset: number;
  fileSize: number;
}

/** Bytes per block and elements per block of each ggml type (ggml.c type_traits); unknown types are skipped. */
const GGML_TYPE_SIZE: Record<number, [blockBytes: number, blockElems: number]> = {
  0: [4, 1], 1: [2, 1], 2: [18, 32], 3: [20, 32], 6: [22, 32], 7: [24, 32], 8: [34, 32], 9: [36, 32],
  10: [84, 256], 11: [110, 256], 12: [144, 256], 13: [176, 256], 14: [210, 256], 15: [292, 256],
  16: [66, 256], 17: [74, 256], 18: [98, 256], 19: [50, 256], 20: [18, 32], 21: [110, 256], 22: [82, 256],
  23: [136, 256], 24: [1, 1], 25: [2, 1], 26: [4, 1], 27: [8, 1], 28: [8, 1], 29: [56, 256], 30: [2, 1],
  34: [54, 256], 35: [66, 256], 39: [17, 32],
};

export function tensorByteSize(t: GgufTensorInfo): number | undefined {
  const traits = GGML_TYPE_SIZE[t.type];
  if (!traits) return undefined;
  const elems = t.dims.reduce((a, b) => a * b, 1);
  return Math.ceil(elems / traits[1]) * traits[0];
}

/** Buffered reader that pulls more of the file on demand and reports truncation by name. */
class HeaderReader {
  private buf = Buffer.alloc(0);
  private bufStart = 0;
  pos = 0;
  constructor(private readonly fd: number, readonly fileSize: number, private readonly path: string) {}

  private ensure(n: number, what: string): void {
    const have = this.bufStart + this.buf.length - this.pos;
    if (have >= n) return;
    if (this.pos + n > this.fileSize) {
      throw new ModelFileError(`${this.path} is truncated: the GGUF header ends early (reading ${what} at byte ${this.pos}, the file has ${this.fileSize} bytes)`, 'truncated');
    }
    const want = Math.max(n, 1 << 20);
    const chunk = Buffer.alloc(Math.min(want, this.fileSize - this.pos));
    readSync(this.fd, chunk, 0, chunk.length, this.pos);
    this.buf = chunk;
    this.bufStart = this.pos;
  }
  /** Reserves n bytes and returns their offset in `buf` (read `buf` only after calling this: it may refill). */
  private at(n: number, what: string): number {
    this.ensure(n, what);
    const off = this.pos - this.bufStart;
    this.pos += n;
    return off;
  }
  u8(what: string): number { const o = this.at(1, what); return this.buf.readUInt8(o); }
  i8(what: string): number { const o = this.at(1, what); return this.buf.readInt8(o); }
  u16(what: string): number { const o = this.at(2, what); return this.buf.readUInt16LE(o); }
  i16(what: string): number { const o = this.at(2, what); return this.buf.readInt16LE(o); }
  u32(what: string): number { const o = this.at(4, what); return this.buf.readUInt32LE(o); }
  i32(what: string): number { const o = this.at(4, what); return this.buf.readInt32LE(o); }
  f32(what: string): number { const o = this.at(4, what); return this.buf.readFloatLE(o); }
  f64(what: string): number { const o = this.at(8, what); return this.buf.readDoubleLE(o); }
  u64(what: string): bigint { const o = this.at(8, what); return this.buf.readBigUInt64LE(o); }
  i64(what: string): bigint { const o = this.at(8, what); return this.buf.readBigInt64LE(o); }
  /** A u64 that must fit a JS number (counts, lengths, offsets). */
  size(what: string): number {
    const v = this.u64(what);
    if (v > BigInt(this.fileSize) * 8n + 1_000_000n) throw new ModelFileError(`${this.path} is not a valid GGUF: ${what} is ${v}, larger than the file could hold`, 'invalid');
    return Number(v);
  }
  str(what: string): string {
    const len = this.size(`${what} length`);
    const off = this.at(len, what);
    return this.buf.toString('utf8', off, off + len);
  }
}

const enum T { UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 }

function readValue(r: HeaderReader, type: number, key: string, path: string): GgufMetadataValue {
  switch (type) {
    case T.UINT8: return r.u8(key);
    case T.INT8: return r.i8(key);
    case T.UINT16: return r.u16(key);
    case T.INT16: return r.i16(key);
    case T.UINT32: return r.u32(key);
    case T.INT32: return r.i32(key);
    case T.FLOAT32: return r.f32(key);
    case T.BOOL: return r.u8(key) !== 0;
    case T.STRING: return r.str(key);
    case T.UINT64: { const v = r.u64(key); return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v; }
    case T.INT64: { const v = r.i64(key); return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v; }
    case T.FLOAT64: return r.f64(key);
    case T.ARRAY: {
      const itemType = r.u32(`${key} item type`);
      const n = r.size(`${key} count`);
      const out: GgufMetadataValue[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = readValue(r, itemType, key, path);
      return out;
    }
    default: throw new ModelFileError(`${path} is not a valid GGUF: key ${key} has unknown value type ${type}`, 'invalid');
  }
}

/** Reads and checks the header; throws ModelFileError naming the cause (missing, not GGUF, truncated…). */
export function readGgufHeader(path: string): GgufHeader {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelFileError(`model file not found: ${path}`, 'missing');
    if (code === 'EISDIR') throw new ModelFileError(`model path is a directory, not a GGUF file: ${path}`, 'not-gguf');
    throw new ModelFileError(`cannot open model file ${path}: ${(e as Error).message}`, 'missing');
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new ModelFileError(`model path is a directory, not a GGUF file: ${path}`, 'not-gguf');
    const fileSize = st.size;
    const magic = Buffer.alloc(4);
    const got = readSync(fd, magic, 0, 4, 0);
    if (got < 4 || magic.toString('latin1') !== 'GGUF') {
      throw new ModelFileError(`${path} is not a GGUF model file (it does not start with the "GGUF" magic bytes)`, 'not-gguf');
    }
    const r = new HeaderReader(fd, fileSize, path);
    r.pos = 4;
    const version = r.u32('version');
    if (version < 2 || version > 3) throw new ModelFileError(`${path} has GGUF version ${version}; only versions 2 and 3 are supported`, 'unsupported');
    const tensorCount = r.size('tensor count');
    const kvCount = r.size('metadata count');
    const metadata: Record<string, GgufMetadataValue> = {};
    for (let i = 0; i < kvCount; i++) {
      const key = r.str('metadata key');
      metadata[key] = readValue(r, r.u32(`${key} type`), key, path);
    }
    const tensors: GgufTensorInfo[] = [];
    for (let i = 0; i < tensorCount; i++) {
      const name = r.str('tensor name');
      const nDims = r.u32(`${name} dims`);
      if (nDims > 8) throw new ModelFileError(`${path} is not a valid GGUF: tensor ${name} has ${nDims} dimensions`, 'invalid');
      const dims: number[] = [];
      for (let d = 0; d < nDims; d++) dims.push(r.size(`${name} dim`));
      tensors.push({ name, dims, type: r.u32(`${name} type`), offset: r.size(`${name} offset`) });
    }
    const alignment = typeof metadata['general.alignment'] === 'number' ? metadata['general.alignment'] : 32;
    const dataOffset = Math.ceil(r.pos / alignment) * alignment;
    // The tensor data must be all there: a cut-off download otherwise loads and fails deep in llama.cpp.
    let dataEnd = dataOffset;
    for (const t of tensors) {
      const bytes = tensorByteSize(t);
      if (bytes !== undefined) dataEnd = Math.max(dataEnd, dataOffset + t.offset + bytes);
    }
    if (dataEnd > fileSize) {
      throw new ModelFileError(`${path} is truncated: its tensors need ${dataEnd} bytes but the file has ${fileSize} (an interrupted download? pull it again to resume)`, 'truncated');
    }
    return { version, metadata, tensors, dataOffset, fileSize };
  } finally {
    closeSync(fd);
  }
}
