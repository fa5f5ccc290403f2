// Applies parsed edit blocks across a workspace, in memory: the result is the list of file changes, or
// every failure. Nothing is written here (writeChanges does that, only for accepted changes).
import { applyBlocksToText } from './applyToText';
import { readEditTarget } from './fileAccess';
import { applyBlocksToBytes, type FileApplyResult } from './fileText';
import { resolveInWorkspace } from './workspacePaths';
import type { ApplyFailure, ApplyResult, FileChange, ParsedEditBlock, SyntaxErrorCounter } from './types';

export interface ApplyEditsOptions {
  workspace: string;
  blocks: ParsedEditBlock[];
  /** Unsaved editor text by workspace-relative path: it wins over the file on disk. */
  overlays?: ReadonlyMap<string, string>;
  /** Tree-sitter check (the context engine's countSyntaxErrors): rejects edits that add syntax errors. */
  countSyntaxErrors?: SyntaxErrorCounter;
}

/** The blocks by the workspace-relative file they edit, and the blocks that name no file inside it. */
function blocksByPath(workspace: string, blocks: ParsedEditBlock[]): { byPath: Map<string, { abs: string; indexes: number[] }>; failures: ApplyFailure[] } {
  const failures: ApplyFailure[] = [];
  const byPath = new Map<string, { abs: string; indexes: number[] }>();
  blocks.forEach((b, i) => {
    if (!b.path) {
      failures.push({ blockIndex: i, reason: 'malformed', message: `block ${i + 1}: no file path line above '<<<<<<< SEARCH'; write the file's workspace-relative path on the line before the block` });
      return;
    }
    const r = resolveInWorkspace(workspace, b.path);
    if (!r.ok) {
      failures.push({ blockIndex: i, path: b.path, reason: r.reason, message: `block ${i + 1}: ${r.message}` });
      return;
    }
    const entry = byPath.get(r.rel) ?? { abs: r.abs, indexes: [] };
    entry.indexes.push(i);
    byPath.set(r.rel, entry);
  });
  return { byPath, failures };
}

export async function applyEdits(opts: ApplyEditsOptions): Promise<ApplyResult> {
  const { byPath, failures } = blocksByPath(opts.workspace, opts.blocks);

  const changes: FileChange[] = [];
  for (const [rel, { abs, indexes }] of byPath) {
    const blocks = indexes.map((i) => opts.blocks[i]);
    const fail = (reason: ApplyFailure['reason'], why: string) => {
      for (const i of indexes) failures.push({ blockIndex: i, path: rel, reason, message: `block ${i + 1} in ${rel}: ${why}` });
    };
    const overlay = opts.overlays?.get(rel);
    let r: FileApplyResult;
    if (overlay !== undefined) {
      if (blocks.some((b) => b.deleteFile)) { changes.push({ path: rel, before: overlay, after: '', deleted: true }); continue; }
      const t = applyBlocksToText(overlay, blocks, { path: rel, indexes });
      r = t.ok ? { ok: true, change: { before: overlay, after: t.text }, levels: t.levels } : t;
    } else {
      const state = await readEditTarget(abs, rel);
      if (state.kind === 'not-regular') { fail('not-regular-file', state.message); continue; }
      if (state.kind === 'unreadable') { fail('unreadable', state.message); continue; }
      const bytes = state.kind === 'file' ? state.bytes : undefined;
      if (blocks.some((b) => b.deleteFile)) {
        if (bytes === undefined) fail('not-found', `cannot delete ${rel}: it does not exist`);
        else changes.push({ path: rel, before: bytes.toString('utf8'), after: '', deleted: true, beforeBytes: bytes });
        continue;
      }
      r = applyBlocksToBytes(bytes, blocks, { path: rel, indexes });
    }
    if (!r.ok) { failures.push(...r.failures); continue; }
    if (opts.countSyntaxErrors) {
      const failure = await syntaxCheck(opts.countSyntaxErrors, abs, rel, r.change.before, r.change.after, indexes);
      if (failure) { failures.push(failure); continue; }
    }
    changes.push({ path: rel, ...r.change });
  }
  if (failures.length > 0) return { ok: false, failures: failures.sort((a, b) => a.blockIndex - b.blockIndex) };
  return { ok: true, changes };
}

/**
 * applyEdits' syntax check on its result, for a caller that checks later (verifyPatch: beside the baseline run):
 * the failures of the changes that add syntax errors, in block order.
 */
export async function syntaxFailures(workspace: string, blocks: ParsedEditBlock[], changes: FileChange[], count: SyntaxErrorCounter): Promise<ApplyFailure[]> {
  const { byPath } = blocksByPath(workspace, blocks);
  const found = await Promise.all(changes.filter((c) => !c.deleted).map((c) => {
    const at = byPath.get(c.path);
    return at ? syntaxCheck(count, at.abs, c.path, c.before, c.after, at.indexes) : undefined;
  }));
  return found.filter((f): f is ApplyFailure => f !== undefined).sort((a, b) => a.blockIndex - b.blockIndex);
}

/**
 * Rejects the file's edits when they add syntax errors; errors that were already there are not blamed. The text after
 * is counted first: when it has none (most edits) the text before need not be parsed at all.
 */
export async function syntaxCheck(count: SyntaxErrorCounter, abs: string, rel: string, before: string | undefined, after: string, indexes: number[]): Promise<ApplyFailure | undefined> {
  const now = await count(abs, after);
  if (now === undefined || now === 0) return undefined;
  const was = before === undefined ? 0 : await count(abs, before);
  if (was === undefined || now <= was) return undefined;
  const which = indexes.length === 1 ? `block ${indexes[0] + 1}` : `blocks ${indexes.map((i) => i + 1).join(', ')}`;
  return {
    blockIndex: indexes[0],
    path: rel,
    reason: 'syntax-error',
    message: `${which} in ${rel}: the edit adds syntax errors (tree-sitter finds ${now} after it, ${was} before); check brackets, quotes and indentation in REPLACE`,
  };
}
