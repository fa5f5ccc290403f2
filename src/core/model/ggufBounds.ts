// The one check node-llama-cpp's readGgufFileInfo lacks: every count and length in a GGUF header is checked
// against the bytes the file has, before the library reads it. Without this, a 64-byte file whose string length
// says 3 GiB aborts the whole Node process (a native assertion in fs.read), and a tensor, key or array count of
// 2^40 makes it read zeros past the end for good (15 s and 950 MiB, still growing, when we stopped it).
// This walks the header's structure only (no values are decoded) and names the first impossible field.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export class ModelFileError extends Error {
  constructor(message: string, readonly code: 'missing' | 'not-gguf' | 'truncated' | 'unsupported' | 'invalid') {
    super(message);
    this.name = 'ModelFileError';
  }
}

/** A name or key from the file, safe to print: control characters, NULs and invalid bytes shown escaped,
 *  and long names cut, so a garbled table never puts raw bytes into an error or a terminal. */
export function printable(text: string, max = 80): string {
  const escaped = JSON.stringify(text).slice(1, -1).replace(/[\u007f-\u009f\ufffd\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

export interface GgufBounds { version: number; fileSize: number; /** The byte after the tensor table. */ headerEnd: number }

/** Bytes of each GGUF value type, or its smallest size (a string is its u64 length, an array its type and count). */
const VALUE_BYTES = [1, 1, 2, 2, 4, 4, 4, 1, 8, 12, 8, 8, 8];
const STRING = 8;
const ARRAY = 9;

/** Reads the header in 1 MiB chunks on demand; a field past the end is a truncation named by what it was. */
class Cursor {
  private buf = Buffer.alloc(0);
  private bufStart = 0;
  pos = 0;
  constructor(private readonly fd: number, readonly fileSize: number, private readonly path: string) {}

  get left(): number { return this.fileSize - this.pos; }

  private bytes(n: number, what: string): number {
    if (n > this.left) throw new ModelFileError(`${this.path} is truncated: the GGUF header ends early (reading ${printable(what)} at byte ${this.pos}, the file has ${this.fileSize} bytes)`, 'truncated');
    if (this.pos + n > this.bufStart + this.buf.length) {
      this.buf = Buffer.alloc(Math.min(Math.max(n, 1 << 20), this.left));
      this.bufStart = this.pos;
      readSync(this.fd, this.buf, 0, this.buf.length, this.pos);
    }
    const at = this.pos - this.bufStart;
    this.pos += n;
    return at;
  }
  // bytes() may swap this.buf for the next chunk: take the offset first, then read from the buffer it is in
  // (`this.buf.readX(this.bytes(…))` would read the old chunk once a field straddles a 1 MiB boundary).
  u32(what: string): number { const at = this.bytes(4, what); return this.buf.readUInt32LE(at); }
  /** A u64 count of items of at least `itemBytes` each: more than the rest of the file holds is refused. */
  count(what: string, itemBytes: number): number {
    const at = this.pos;
    const offset = this.bytes(8, what);
    const v = this.buf.readBigUInt64LE(offset);
    const need = v * BigInt(itemBytes);
    if (need <= BigInt(this.left)) return Number(v);
    // Within reach of a bigger file it is a cut-off header; beyond it, garbage.
    if (need <= BigInt(this.fileSize) * 8n + 1_000_000n) {
      throw new ModelFileError(`${this.path} is truncated: the GGUF header ends early (${printable(what)} at byte ${at} is ${v}, and only ${this.left} bytes follow)`, 'truncated');
    }
    throw new ModelFileError(`${this.path} is not a valid GGUF: ${printable(what)} is ${v}, larger than the file could hold`, 'invalid');
  }
  skip(n: number, what: string): void { this.bytes(n, what); }
  string(what: string): string {
    const len = this.count(`${what} length`, 1);
    const at = this.bytes(len, what);
    return this.buf.toString('utf8', at, at + len);
  }
}

function skipValue(c: Cursor, type: number, key: string, path: string): void {
  if (type === STRING) return c.skip(c.count(`${key} length`, 1), key);
  if (type === ARRAY) {
    const itemType = c.u32(`${key} item type`);
    const itemBytes = VALUE_BYTES[itemType];
    if (itemBytes === undefined || itemType === ARRAY) throw new ModelFileError(`${path} is not a valid GGUF: key "${printable(key)}" is an array of unknown value type ${itemType}`, 'invalid');
    const n = c.count(`${key} count`, itemBytes);
    if (itemType !== STRING) return c.skip(n * itemBytes, key);
    for (let i = 0; i < n; i++) skipValue(c, STRING, key, path);
    return;
  }
  const bytes = VALUE_BYTES[type];
  if (bytes === undefined) throw new ModelFileError(`${path} is not a valid GGUF: key "${printable(key)}" has unknown value type ${type}`, 'invalid');
  c.skip(bytes, key);
}

/** Refuses a missing path, a directory, a file without the GGUF magic, versions other than 2 and 3, and any
 *  header field that does not fit in the file; reads only the header, even of a 20 GB model. */
export function checkGgufBounds(path: string): GgufBounds {
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
    const magic = Buffer.alloc(4);
    if (readSync(fd, magic, 0, 4, 0) < 4 || magic.toString('latin1') !== 'GGUF') {
      throw new ModelFileError(`${path} is not a GGUF model file (it does not start with the "GGUF" magic bytes)`, 'not-gguf');
    }
    const c = new Cursor(fd, st.size, path);
    c.skip(4, 'magic');
    const version = c.u32('version');
    if (version < 2 || version > 3) throw new ModelFileError(`${path} has GGUF version ${version}; only versions 2 and 3 are supported`, 'unsupported');
    // Smallest entries: a tensor is a name length, 1 dim, type and offset (32 bytes); a key/value is 13 bytes.
    const tensorCount = c.count('tensor count', 32);
    const kvCount = c.count('metadata count', 13);
    for (let i = 0; i < kvCount; i++) {
      const key = c.string('metadata key');
      skipValue(c, c.u32(`${key} type`), key, path);
    }
    for (let i = 0; i < tensorCount; i++) {
      const label = `tensor ${i} ("${printable(c.string(`tensor ${i} name`))}")`;
      const nDims = c.u32(`${label} dims`);
      if (nDims < 1 || nDims > 4) throw new ModelFileError(`${path} is not a valid GGUF: ${label} has ${nDims} dimensions (1 to 4 are valid)`, 'invalid');
      c.skip(8 * nDims + 4 + 8, label);
    }
    return { version, fileSize: st.size, headerEnd: c.pos };
  } finally {
    closeSync(fd);
  }
}
