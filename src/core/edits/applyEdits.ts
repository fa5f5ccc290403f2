// Applies parsed edit blocks across a workspace, in memory: the result is the list of file changes, or
// every failure. Nothing is written here (writeChanges does that, only for accepted changes).
import { readFile } from 'node:fs/promises';
import { applyBlocksToText } from './applyToText';
import { isBinary } from './binary';
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

type FileState = { kind: 'text'; text: string | undefined } | { kind: 'binary' } | { kind: 'unreadable'; message: string };

async function readState(abs: string, rel: string, overlays?: ReadonlyMap<string, string>): Promise<FileState> {
  const overlay = overlays?.get(rel);
  if (overlay !== undefined) return { kind: 'text', text: overlay };
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'text', text: undefined };
    return { kind: 'unreadable', message: `cannot read it (${code ?? (e as Error).message})` };
  }
  if (isBinary(bytes)) return { kind: 'binary' };
  return { kind: 'text', text: bytes.toString('utf8') };
}

export async function applyEdits(opts: ApplyEditsOptions): Promise<ApplyResult> {
  const failures: ApplyFailure[] = [];
  const byPath = new Map<string, { abs: string; indexes: number[] }>();
  opts.blocks.forEach((b, i) => {
    if (!b.path) {
      failures.push({ blockIndex: i, reason: 'malformed', message: `block ${i + 1}: no file path line above '<<<<<<< SEARCH'; write the file's workspace-relative path on the line before the block` });
      return;
    }
    const r = resolveInWorkspace(opts.workspace, b.path);
    if (!r.ok) {
      failures.push({ blockIndex: i, path: b.path, reason: 'outside-workspace', message: `block ${i + 1}: ${r.message}` });
      return;
    }
    const entry = byPath.get(r.rel) ?? { abs: r.abs, indexes: [] };
    entry.indexes.push(i);
    byPath.set(r.rel, entry);
  });

  const changes: FileChange[] = [];
  for (const [rel, { abs, indexes }] of byPath) {
    const state = await readState(abs, rel, opts.overlays);
    if (state.kind !== 'text') {
      const reason = state.kind === 'binary' ? 'binary' : 'not-found';
      const why = state.kind === 'binary' ? 'it is a binary file; text edits are refused on binary files' : state.message;
      for (const i of indexes) failures.push({ blockIndex: i, path: rel, reason, message: `block ${i + 1} in ${rel}: ${why}` });
      continue;
    }
    const blocks = indexes.map((i) => opts.blocks[i]);
    if (blocks.some((b) => b.deleteFile)) {
      if (state.text === undefined) {
        failures.push({ blockIndex: indexes[0], path: rel, reason: 'not-found', message: `block ${indexes[0] + 1}: cannot delete ${rel}: it does not exist` });
      } else {
        changes.push({ path: rel, before: state.text, after: '', deleted: true });
      }
      continue;
    }
    const r = applyBlocksToText(state.text, blocks, { path: rel, indexes });
    if (!r.ok) { failures.push(...r.failures); continue; }
    if (opts.countSyntaxErrors) {
      const failure = await syntaxCheck(opts.countSyntaxErrors, abs, rel, state.text, r.text, indexes);
      if (failure) { failures.push(failure); continue; }
    }
    changes.push({ path: rel, before: state.text, after: r.text });
  }
  if (failures.length > 0) return { ok: false, failures: failures.sort((a, b) => a.blockIndex - b.blockIndex) };
  return { ok: true, changes };
}

/** Rejects the file's edits when they add syntax errors; errors that were already there are not blamed. */
export async function syntaxCheck(count: SyntaxErrorCounter, abs: string, rel: string, before: string | undefined, after: string, indexes: number[]): Promise<ApplyFailure | undefined> {
  const [was, now] = await Promise.all([before === undefined ? Promise.resolve(0) : count(abs, before), count(abs, after)]);
  if (was === undefined || now === undefined || now <= was) return undefined;
  const which = indexes.length === 1 ? `block ${indexes[0] + 1}` : `blocks ${indexes.map((i) => i + 1).join(', ')}`;
  return {
    blockIndex: indexes[0],
    path: rel,
    reason: 'syntax-error',
    message: `${which} in ${rel}: the edit adds syntax errors (tree-sitter finds ${now} after it, ${was} before); check brackets, quotes and indentation in REPLACE`,
  };
}
