// A file's bytes as text for the applier, and back, without changing a byte outside the edited lines.
//
// Valid UTF-8 (a BOM included) decodes and re-encodes exactly. A file that is not valid UTF-8 (Latin-1,
// Windows-1252, a stray byte) is handled in "byte space": each byte becomes one char (latin1), the blocks'
// text is encoded to UTF-8 and mapped the same way, and only an exact match is applied, so every byte of
// the file outside the replaced lines is written back as it was. Decoding such a file as UTF-8 would turn
// each invalid byte into U+FFFD, anywhere in the file.
import { isUtf8 } from 'node:buffer';
import { applyBlocksToText } from './applyToText';
import { isBinary } from './binary';
import type { ApplyFailure, FileChange, MatchLevel, ParsedEditBlock } from './types';

export type DecodedFile =
  | { encoding: 'utf8'; text: string }
  /** latin1: one char per byte; `invalidAt` is the offset of the first byte that is not UTF-8. */
  | { encoding: 'bytes'; text: string; invalidAt: number };


function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodeFile(bytes: Uint8Array): DecodedFile {
  const buf = asBuffer(bytes);
  // isUtf8 (native, strict: no surrogates, no overlongs) then toString, which keeps a BOM as U+FEFF.
  if (isUtf8(buf)) return { encoding: 'utf8', text: buf.toString('utf8') };
  return { encoding: 'bytes', text: buf.toString('latin1'), invalidAt: firstInvalidUtf8(buf) };
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence; -1 when all do. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) { n = 2; if (c === 0xe0) lo = 0xa0; if (c === 0xed) hi = 0x9f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; if (c === 0xf0) lo = 0x90; if (c === 0xf4) hi = 0x8f; }
    else return i;
    if (i + n >= b.length) return i; // truncated sequence at the end
    const second = b[i + 1];
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= n; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return i;
    i += n + 1;
  }
  return -1;
}

/** A JS string as UTF-8 bytes, one char per byte: how block text is compared with a non-UTF-8 file. */
export function toByteSpace(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

export type FileApplyResult =
  | { ok: true; change: Omit<FileChange, 'path'>; levels: MatchLevel[] }
  | { ok: false; failures: ApplyFailure[] };

export interface FileApplyOptions {
  /** Workspace-relative path (or the file's name), for messages and the failures' path. */
  path: string;
  /** The blocks' indexes in the whole reply, for messages ("block 3"). */
  indexes: number[];
}

/**
 * Applies `blocks` to a file given as bytes (undefined: it does not exist). The change's `before`/`after`
 * are for display and diffs; when the file is not UTF-8, `beforeBytes`/`afterBytes` hold what is on disk
 * and what must be written, and writers must use them.
 */
export function applyBlocksToBytes(bytes: Uint8Array | undefined, blocks: ParsedEditBlock[], opts: FileApplyOptions): FileApplyResult {
  const { path, indexes } = opts;
  if (bytes === undefined) {
    const r = applyBlocksToText(undefined, blocks, { path, indexes });
    return r.ok ? { ok: true, change: { before: undefined, after: r.text }, levels: r.levels } : r;
  }
  if (isBinary(bytes)) {
    return { ok: false, failures: indexes.map((i) => ({ blockIndex: i, path, reason: 'binary', message: `block ${i + 1} in ${path}: it is a binary file; text edits are refused on binary files` })) };
  }
  const decoded = decodeFile(bytes);
  if (decoded.encoding === 'utf8') {
    const r = applyBlocksToText(decoded.text, blocks, { path, indexes });
    return r.ok ? { ok: true, change: { before: decoded.text, after: r.text }, levels: r.levels } : r;
  }
  const inBytes = blocks.map((b) => ({ ...b, search: toByteSpace(b.search), replace: toByteSpace(b.replace) }));
  const r = applyBlocksToText(decoded.text, inBytes, { path, indexes, exactOnly: true });
  if (!r.ok) {
    const where = describeOffset(bytes, decoded.invalidAt);
    return {
      ok: false,
      failures: r.failures.map((f) => {
        if (f.reason !== 'not-found') return f;
        const k = indexes.indexOf(f.blockIndex);
        const replaced = (blocks[k >= 0 ? k : 0]?.search ?? '').includes('\ufffd');
        const hint = replaced
          ? 'Its SEARCH text contains \ufffd, which stands for a byte that is not UTF-8 and never matches it: choose SEARCH lines without such characters'
          : 'Copy the lines exactly (no re-indenting or whitespace changes are tolerated here), or convert the file to UTF-8 first';
        return {
          ...f,
          reason: 'not-utf8' as const,
          message: `block ${f.blockIndex + 1} in ${path}: the file is not valid UTF-8 (${where}), so an edit applies only where its SEARCH text matches the file's bytes exactly, and this one does not. ${hint}`,
        };
      }),
    };
  }
  const afterBytes = Buffer.from(r.text, 'latin1');
  const beforeBytes = asBuffer(bytes);
  return {
    ok: true,
    change: { before: beforeBytes.toString('utf8'), after: afterBytes.toString('utf8'), beforeBytes, afterBytes },
    levels: r.levels,
  };
}

function describeOffset(bytes: Uint8Array, at: number): string {
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 10) line++;
  return `byte 0x${bytes[at].toString(16).toUpperCase().padStart(2, '0')} at line ${line}`;
}

/** The exact bytes a change writes. */
export function changeBytes(c: Pick<FileChange, 'after' | 'afterBytes'>): Buffer {
  return c.afterBytes ? asBuffer(c.afterBytes) : Buffer.from(c.after, 'utf8');
}

/** The exact bytes a change expects on disk before it is written (undefined: the file must not exist). */
export function expectedBytes(c: Pick<FileChange, 'before' | 'beforeBytes'>): Buffer | undefined {
  if (c.beforeBytes) return asBuffer(c.beforeBytes);
  return c.before === undefined ? undefined : Buffer.from(c.before, 'utf8');
}
