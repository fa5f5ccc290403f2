// Writes accepted changes. Kept apart from applying, so nothing reaches the disk unless asked.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveInWorkspace } from './workspacePaths';
import type { FileChange } from './types';

export async function writeChanges(workspace: string, changes: FileChange[]): Promise<void> {
  // Check every path first: a refusal must not leave half of the changes written.
  const targets = changes.map((c) => {
    const r = resolveInWorkspace(workspace, c.path);
    if (!r.ok) throw new Error(r.message);
    return { c, abs: r.abs };
  });
  for (const { c, abs } of targets) {
    if (c.deleted) { await rm(abs, { force: true }); continue; }
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, c.after);
  }
}
