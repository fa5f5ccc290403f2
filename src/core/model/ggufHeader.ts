// Reads a GGUF file's header (metadata and tensor table) without loading the model, so bad files are refused
// with a clear message in the parent process instead of aborting llama.cpp (docs/architecture.md §2: some missing keys
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

/** A name or key from the file, safe to print: control characters, NULs and invalid bytes shown escaped,
 *  and long names cut, so a garbled table never puts raw bytes into an error or a terminal. */
export function printable(text: string, max = 80): string {
  const escaped = JSON.stringify(text).slice(1, -1).replace(/[\u007f-\u009f\ufffd\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
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
      throw new ModelFileError(`${this.path} is truncated: the GGUF header ends early (reading ${printable(what)} at byte ${this.pos}, the file has ${this.fileSize} bytes)`, 'truncated');
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
    if (v > BigInt(this.fileSize) * 8n + 1_000_000n) throw new ModelFileError(`${this.path} is not a valid GGUF: ${printable(what)} is ${v}, larger than the file could hold`, 'invalid');
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
    default: throw new ModelFileError(`${path} is not a valid GGUF: key "${printable(key)}" has unknown value type ${type}`, 'invalid');
  }
}

/** ggml types llama.cpp still reads (0..39, without the removed Q4_2/Q4_3/Q4_0_4_4… slots it rejects). */
const REMOVED_TYPES = new Set([4, 5, 31, 32, 33, 36, 37, 38]);

/**
 * The tensor table, checked the way llama.cpp's gguf loader checks it (it aborts or reads out of bounds
 * otherwise): every name is non-empty, printable UTF-8 and unique; every type is a ggml type; every
 * dimension is positive and the element count fits; every offset is aligned, inside the file, and the
 * tensors do not overlap. The first problem is named, with its tensor's index and (escaped) name.
 */
export function validateTensorTable(path: string, tensors: GgufTensorInfo[], alignment: number, dataOffset: number, fileSize: number): void {
  const seen = new Set<string>();
  const bad = (i: number, t: GgufTensorInfo, what: string): ModelFileError => new ModelFileError(`${path} has a corrupt tensor table: tensor ${i} ("${printable(t.name)}") ${what}`, 'invalid');
  const spans: Array<[number, number, number]> = [];
  for (const [i, t] of tensors.entries()) {
    if (t.name.length === 0 || t.name.length > 256) throw bad(i, t, `has a name of ${t.name.length} characters`);
    if (/[\u0000-\u001f\u007f\ufffd]/.test(t.name)) throw bad(i, t, 'has a name with control characters or invalid UTF-8');
    if (seen.has(t.name)) throw bad(i, t, 'appears twice');
    seen.add(t.name);
    if (!(t.type in GGML_TYPE_SIZE) || REMOVED_TYPES.has(t.type)) throw bad(i, t, `has unknown ggml type ${t.type}`);
    if (t.dims.some((d) => !Number.isSafeInteger(d) || d < 1)) throw bad(i, t, `has shape [${t.dims.join(', ')}] (every dimension must be at least 1)`);
    const elements = t.dims.reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(elements) || elements > fileSize * 64) throw bad(i, t, `has shape [${t.dims.join(', ')}], more elements than the file could hold`);
    const [, blockElems] = GGML_TYPE_SIZE[t.type]!;
    if (t.dims[0]! % blockElems !== 0) throw bad(i, t, `has a first dimension of ${t.dims[0]}, not a multiple of its type's block size ${blockElems}`);
    if (t.offset % alignment !== 0) throw bad(i, t, `has offset ${t.offset}, not a multiple of the alignment ${alignment}`);
    const bytes = tensorByteSize(t)!;
    if (dataOffset + t.offset > fileSize) throw bad(i, t, `starts at byte ${dataOffset + t.offset}, past the end of the ${fileSize}-byte file`);
    spans.push([t.offset, t.offset + bytes, i]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let k = 1; k < spans.length; k++) {
    const [start, , i] = spans[k]!;
    const [, prevEnd, j] = spans[k - 1]!;
    if (start < prevEnd) throw bad(i, tensors[i]!, `overlaps tensor ${j} ("${printable(tensors[j]!.name)}")`);
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
      const name = r.str(`tensor ${i} name`);
      const label = `tensor ${i} ("${printable(name)}")`;
      const nDims = r.u32(`${label} dims`);
      if (nDims < 1 || nDims > 4) throw new ModelFileError(`${path} is not a valid GGUF: ${label} has ${nDims} dimensions (1 to 4 are valid)`, 'invalid');
      const dims: number[] = [];
      for (let d = 0; d < nDims; d++) dims.push(r.size(`${label} dim`));
      tensors.push({ name, dims, type: r.u32(`${label} type`), offset: r.size(`${label} offset`) });
    }
    const alignment = typeof metadata['general.alignment'] === 'number' ? metadata['general.alignment'] : 32;
    if (!Number.isInteger(alignment) || alignment < 1 || (alignment & (alignment - 1)) !== 0) {
      throw new ModelFileError(`${path} is not a valid GGUF: general.alignment is ${alignment}, not a power of two`, 'invalid');
    }
    const dataOffset = Math.ceil(r.pos / alignment) * alignment;
    validateTensorTable(path, tensors, alignment, dataOffset, fileSize);
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
