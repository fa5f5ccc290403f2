// Writes accepted changes. Kept apart from applying, so nothing reaches the disk unless asked.
//
// Every path is checked first (inside the workspace, not in .git/, a regular file or nothing), and every
// file must still hold exactly the bytes the change was made from: a file edited, created or deleted since
// then is not overwritten. Each write is atomic (fileAccess.writeAtomic); when one fails (a full disk, a
// size limit), the files already written are put back, so a failed call changes nothing.
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkWritable, currentBytes, writeAtomic } from './fileAccess';
import { changeBytes, expectedBytes } from './fileText';
import { resolveInWorkspace } from './workspacePaths';
import type { FileChange } from './types';

export class WriteRefusedError extends Error {
  constructor(message: string, readonly path?: string) {
    super(message);
    this.name = 'WriteRefusedError';
  }
}

export interface WriteChangesOptions {
  /** Refuse a file that no longer holds the change's `before` (default true). */
  checkBefore?: boolean;
}

export async function writeChanges(workspace: string, changes: FileChange[], opts: WriteChangesOptions = {}): Promise<void> {
  const targets = changes.map((c) => {
    const r = resolveInWorkspace(workspace, c.path);
    if (!r.ok) throw new WriteRefusedError(`not written: ${r.message}`, c.path);
    return { c, abs: r.abs };
  });
  const originals: Array<Buffer | undefined> = [];
  for (const { c, abs } of targets) {
    let now: Buffer | undefined;
    try {
      now = await currentBytes(abs, c.path);
    } catch (e) {
      throw new WriteRefusedError(`not written: ${(e as Error).message}`, c.path);
    }
    if (opts.checkBefore !== false && !sameAsBefore(c, now)) {
      const what = now === undefined ? 'was deleted' : c.before === undefined ? 'was created' : 'changed';
      throw new WriteRefusedError(`not written: ${c.path} ${what} since the edit was made; nothing was written`, c.path);
    }
    originals.push(now);
  }
  const written: number[] = [];
  try {
    for (let i = 0; i < targets.length; i++) {
      const { c, abs } = targets[i];
      if (c.deleted) {
        await rm(abs, { force: true });
      } else {
        await mkdir(dirname(abs), { recursive: true });
        await checkWritable(abs, c.path);
        await writeAtomic(abs, changeBytes(c));
      }
      written.push(i);
    }
  } catch (e) {
    const failed = targets[written.length].c.path;
    const restored = await restore(targets, originals, written);
    const code = (e as NodeJS.ErrnoException).code;
    const why = (e as Error).message.replace(/^not written: /, '');
    const tail = written.length === 0 ? 'no file was changed' : restored ? 'the files already written were restored' : 'restoring the files already written failed too';
    throw new WriteRefusedError(`not written: ${failed}: ${code && !why.startsWith(code) ? `${code}: ` : ''}${why}; ${tail}`, failed);
  }
}

function sameAsBefore(c: FileChange, now: Buffer | undefined): boolean {
  const expected = expectedBytes(c);
  if (expected === undefined) return now === undefined || now.length === 0;
  return now !== undefined && now.equals(expected);
}

async function restore(targets: Array<{ c: FileChange; abs: string }>, originals: Array<Buffer | undefined>, written: number[]): Promise<boolean> {
  let ok = true;
  for (const i of [...written].reverse()) {
    const { abs } = targets[i];
    const was = originals[i];
    try {
      if (was === undefined) await rm(abs, { force: true });
      else await writeAtomic(abs, was);
    } catch {
      ok = false;
    }
  }
  return ok;
}
