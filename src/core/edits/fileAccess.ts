// Reading and writing edit targets safely. Only regular files are edited: a FIFO would block the read (or the
// write) forever, a device like /dev/zero never ends, a directory or socket is not text. The type is checked
// with lstat/stat before opening, then again with fstat on the open descriptor (opened non-blocking), so a
// path swapped for a FIFO in between still cannot block. Writes are atomic (write-file-atomic: a temporary
// file beside the target, fsynced, then renamed over it, keeping the file's mode), so a full disk or a
// file-size limit leaves the original file as it was.
import { constants, type Stats } from 'node:fs';
import { lstat, open, stat, writeFile } from 'node:fs/promises';

export type TargetState =
  | { kind: 'missing' }
  | { kind: 'file'; bytes: Buffer; mode: number }
  | { kind: 'not-regular'; message: string }
  | { kind: 'unreadable'; message: string };

/** What a non-regular file is, in words; undefined for a regular file. */
export function nonRegularKind(s: Stats): string | undefined {
  if (s.isFile()) return undefined;
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

export function notRegularMessage(path: string, kind: string): string {
  return `refused: ${path} is ${kind}, not a regular file; edits are only applied to regular files`;
}

/**
 * Reads an edit target without ever blocking on it. A symlink is followed (callers check where it leads);
 * what it leads to must be a regular file.
 */
export async function readEditTarget(abs: string, shown = abs): Promise<TargetState> {
  let s: Stats;
  try {
    s = await stat(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      // A dangling symlink: writing would create its target, wherever that is.
      const l = await lstat(abs).catch(() => undefined);
      if (l?.isSymbolicLink()) return { kind: 'not-regular', message: `refused: ${shown} is a symbolic link to a file that does not exist` };
      return { kind: 'missing' };
    }
    if (code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'unreadable', message: `cannot read ${shown} (${code ?? (e as Error).message})` };
  }
  const kind = nonRegularKind(s);
  if (kind) return { kind: 'not-regular', message: notRegularMessage(shown, kind) };
  let fh;
  try {
    fh = await open(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', message: `cannot read ${shown} (${code ?? (e as Error).message})` };
  }
  try {
    const fs2 = await fh.stat();
    const kind2 = nonRegularKind(fs2);
    if (kind2) return { kind: 'not-regular', message: notRegularMessage(shown, kind2) };
    return { kind: 'file', bytes: await fh.readFile(), mode: fs2.mode };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { kind: 'unreadable', message: `cannot read ${shown} (${code ?? (e as Error).message})` };
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/**
 * Refuses to write over anything but a regular file (or nothing). Called right before a write: the
 * target may have changed since it was read.
 */
export async function checkWritable(abs: string, shown = abs): Promise<void> {
  const s = await stat(abs).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
    throw new Error(`cannot write ${shown} (${e.code ?? e.message})`);
  });
  if (s) {
    const kind = nonRegularKind(s);
    if (kind) throw new Error(notRegularMessage(shown, kind));
    // A file nobody may write was made so on purpose (a generated file, a lockfile, a checked-out
    // dependency): replacing it by rename would succeed, so the mode is checked here.
    if ((s.mode & 0o222) === 0) throw new Error(`refused: ${shown} is read-only (mode ${(s.mode & 0o777).toString(8).padStart(4, '0')}); make it writable to apply the edit`);
    return;
  }
  const l = await lstat(abs).catch(() => undefined);
  if (l?.isSymbolicLink()) throw new Error(`refused: ${shown} is a symbolic link to a file that does not exist`);
}

/**
 * Writes `data` atomically: into a temporary file beside `abs`, fsynced, renamed over `abs` (a symlink is
 * written through: its target is replaced, the link stays). The file's mode and owner are kept. On any
 * error (ENOSPC, EFBIG, EACCES…) the original is untouched and the temporary file is removed.
 */
export async function writeAtomic(abs: string, data: Buffer): Promise<void> {
  // write-file-atomic removes its temporary file on a fatal signal through signal-exit, which then re-raises
  // the signal when nobody else listens. SIGXFSZ (a write past the file-size limit) is ignored by Node and
  // must stay so: the write then fails with EFBIG and is reported, instead of the process dying.
  process.on('SIGXFSZ', ignoreSignal);
  try {
    await writeAtomicUnguarded(abs, data);
  } finally {
    process.off('SIGXFSZ', ignoreSignal);
  }
}

function ignoreSignal(): void { /* see writeAtomic */ }

async function writeAtomicUnguarded(abs: string, data: Buffer): Promise<void> {
  // write-file-atomic writes its buffer with one write(2) and does not check for a short write (a disk
  // that fills up returns one before ENOSPC): it would then rename a truncated file over the original.
  // So the data is written here, by Node's writeFile (which loops until done, or throws), into the
  // temporary file that write-file-atomic created, and it fsyncs and renames only when that succeeded.
  // Loaded with the first write: verify, which imports this module to read, never writes.
  const { default: writeFileAtomic } = await import('write-file-atomic');
  await writeFileAtomic(abs, Buffer.alloc(0), {
    tmpfileCreated: async (tmp: string) => { await writeFile(tmp, data); },
  });
}

/** The bytes of a file now, or undefined when it does not exist (no blocking: regular files only). */
export async function currentBytes(abs: string, shown = abs): Promise<Buffer | undefined> {
  const t = await readEditTarget(abs, shown);
  if (t.kind === 'missing') return undefined;
  if (t.kind === 'file') return t.bytes;
  throw new Error(t.message);
}
