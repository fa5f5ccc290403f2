// The agent's view of a workspace (ports.WorkspaceFiles) and the apply adapter over the edits engine.
// Reading only: nothing here writes a file.
import { join } from 'node:path';
import { applyBlocksToText, applyEdits, decodeFile, isBinary, readEditTarget, syntaxCheck, vcsRefusal } from '../edits';
import type { ApplyFailure, ApplyResult, EditBlock, FileChange, SyntaxErrorCounter } from '../edits';
import { walkWorkspace } from '../context/walk';
import { normalizeEditPath } from './editSchema';
import type { ApplyEditsFn, WorkspaceFiles } from './ports';

/** The workspace on disk, with the editors' unsaved text (overlays) winning over the files. */
export class DiskWorkspaceFiles implements WorkspaceFiles {
  private listing: Promise<string[]> | undefined;

  constructor(readonly root: string, readonly overlays: ReadonlyMap<string, string> = new Map()) {}

  async read(relPath: string): Promise<string | undefined> {
    const rel = normalizeEditPath(relPath);
    if (rel === undefined) return undefined;
    const overlay = this.overlays.get(rel);
    if (overlay !== undefined) return overlay;
    // Never blocks on a FIFO or reads a device: only regular files are read.
    const state = await readEditTarget(join(this.root, rel), rel).catch(() => undefined);
    if (state?.kind !== 'file' || isBinary(state.bytes)) return undefined;
    // Valid UTF-8 as it is; otherwise the lossy decoding, for reading only (an edit to such a file must
    // then match its bytes exactly, which the applier checks).
    const decoded = decodeFile(state.bytes);
    return decoded.encoding === 'utf8' ? decoded.text : state.bytes.toString('utf8');
  }

  list(signal?: AbortSignal): Promise<string[]> {
    // One walk per task: the loop asks several times and the tree does not change under it.
    this.listing ??= walkWorkspace(this.root, { signal }).then((r) => r.files.map((f) => f.rel).sort());
    return this.listing;
  }
}

/** A workspace held in memory (tests, and callers that already have the text). */
export class MemoryWorkspaceFiles implements WorkspaceFiles {
  readonly files: Map<string, string>;
  constructor(readonly root: string, files: Record<string, string> | Map<string, string>) {
    this.files = files instanceof Map ? new Map(files) : new Map(Object.entries(files));
  }
  async read(relPath: string): Promise<string | undefined> { return this.files.get(relPath); }
  async list(): Promise<string[]> { return [...this.files.keys()].sort(); }
}

/**
 * Applies edit blocks with the edits engine, in memory. On disk it is the engine's own applyEdits (path and
 * symlink checks, binary refusal, overlays); elsewhere the same text applier over the reader.
 */
export function createApplyEdits(countSyntaxErrors?: SyntaxErrorCounter): ApplyEditsFn {
  return async (blocks: EditBlock[], files: WorkspaceFiles): Promise<ApplyResult> => {
    if (files instanceof DiskWorkspaceFiles) {
      return applyEdits({ workspace: files.root, blocks, overlays: files.overlays, countSyntaxErrors });
    }
    const failures: ApplyFailure[] = [];
    const changes: FileChange[] = [];
    const byPath = new Map<string, number[]>();
    blocks.forEach((b, i) => {
      const p = b.path ? normalizeEditPath(b.path) : undefined;
      const vcs = p ? vcsRefusal(p) : undefined;
      if (!p) failures.push({ blockIndex: i, path: b.path, reason: 'outside-workspace', message: `block ${i + 1}: refused path ${JSON.stringify(b.path ?? '')}` });
      else if (vcs) failures.push({ blockIndex: i, path: b.path, reason: 'vcs-folder', message: `block ${i + 1}: ${vcs}` });
      else byPath.set(p, [...(byPath.get(p) ?? []), i]);
    });
    for (const [path, indexes] of byPath) {
      const before = await files.read(path);
      const r = applyBlocksToText(before, indexes.map((i) => blocks[i]), { path, indexes });
      if (!r.ok) { failures.push(...r.failures); continue; }
      if (countSyntaxErrors) {
        const f = await syntaxCheck(countSyntaxErrors, join(files.root, path), path, before, r.text, indexes);
        if (f) { failures.push(f); continue; }
      }
      changes.push({ path, before, after: r.text });
    }
    return failures.length ? { ok: false, failures: failures.sort((a, b) => a.blockIndex - b.blockIndex) } : { ok: true, changes };
  };
}
