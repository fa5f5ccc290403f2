// A candidate's files as the review sees them: built from the diff and the texts the agent read, compared with
// the files as they are now, and written as one WorkspaceEdit (one undo step). Functions over vscode's file and
// edit API; the review controller (candidateReview.ts) decides when each runs (docs/architecture.md §7).
import * as vscode from 'vscode';
import type { CandidateRef } from '../../protocol';
import type { AcceptanceTask } from '../../core/verify';
import { applyFilePatch, isUnchanged, minimalReplacement, refusedPath, splitPatchByFile, type ReadRecord } from './candidatePatch';
import { l10n } from '../l10n';

export const CANDIDATE_SCHEME = 'qwq-candidate';

/** One file of a candidate, ready for review. */
export interface ReviewFile {
  path: string;
  uri: vscode.Uri;
  /** What was verified: the text the agent read (and its document version, if it was open). */
  base: ReadRecord;
  after: string;
  created: boolean;
  deleted: boolean;
}

export interface ReviewCandidate extends CandidateRef {
  verified: boolean;
  /** The task the edit was written for: re-verification holds the edit to it (never a weaker edit-selection). */
  task?: AcceptanceTask;
  files: ReviewFile[];
  diff: string;
}

/** Re-verification of a candidate against the files as they are now (the core's verifier, tasks/reverifier.ts). */
export type Reverify = (c: ReviewCandidate, files: { path: string; before: string | undefined; after: string }[]) => Promise<{ verified: boolean; summary: string }>;

/** The changes of a candidate as the verifier takes them. */
export function changesOf(c: ReviewCandidate): { path: string; before: string | undefined; after: string }[] {
  return c.files.map((f) => ({ path: f.path, before: f.created ? undefined : f.base.text, after: f.after }));
}

/** The user-facing refusal for a path Accept must never write; undefined when the path is fine. */
export function refusal(path: string): string | undefined {
  const r = refusedPath(path);
  if (!r) return undefined;
  return r.kind === 'outside'
    ? l10n.t('{0}: refused, the path is outside the workspace', path)
    : l10n.t('{0}: refused, edits inside {1}/ (the version-control folder) are never applied', path, r.folder);
}

/** The virtual document that holds a candidate's version of one file (the diff editor's right side). */
export function candidateUri(ref: CandidateRef, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: CANDIDATE_SCHEME, path: `/${path}`, query: new URLSearchParams({ task: ref.taskId, candidate: ref.candidateId }).toString() });
}

/** The candidate a qwq-candidate document belongs to, and the file it shows. */
export function parseCandidateUri(uri: vscode.Uri): (CandidateRef & { path: string }) | undefined {
  if (uri.scheme !== CANDIDATE_SCHEME) return undefined;
  const q = new URLSearchParams(uri.query);
  const taskId = q.get('task');
  const candidateId = q.get('candidate');
  return taskId && candidateId ? { taskId, candidateId, path: uri.path.replace(/^\//, '') } : undefined;
}

/** Builds the review for a candidate's diff from the texts the agent read; files whose patch no longer applies are reported. */
export function buildReview(
  ref: CandidateRef & { task?: AcceptanceTask }, diff: string, verified: boolean, root: vscode.Uri, reads: ReadonlyMap<string, ReadRecord>,
): { candidate: ReviewCandidate; problems: string[] } {
  const files: ReviewFile[] = [];
  const problems: string[] = [];
  for (const fp of splitPatchByFile(diff)) {
    const refused = refusal(fp.path);
    if (refused) { problems.push(refused); continue; }
    const base = reads.get(fp.path) ?? { text: '' };
    const after = applyFilePatch(base.text, fp);
    if (after === undefined) { problems.push(l10n.t('{0}: the diff does not apply to the text that was read', fp.path)); continue; }
    files.push({ path: fp.path, uri: vscode.Uri.joinPath(root, fp.path), base, after, created: fp.created, deleted: fp.deleted });
  }
  return { candidate: { taskId: ref.taskId, candidateId: ref.candidateId, verified, ...(ref.task ? { task: ref.task } : {}), files, diff }, problems };
}

/** The file's text now: the open document's (unsaved edits included) or the disk's; undefined when absent. */
export async function readCurrent(uri: vscode.Uri): Promise<{ text: string; version?: number } | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { text: open.getText(), version: open.version };
  try {
    return { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
  } catch {
    return undefined;
  }
}

/** Which files changed since they were verified. */
export async function staleFiles(c: ReviewCandidate): Promise<string[]> {
  const stale: string[] = [];
  for (const f of c.files) {
    const now = await readCurrent(f.uri);
    if (f.created) { if (now !== undefined && now.text !== '') stale.push(f.path); continue; }
    if (now === undefined || !isUnchanged(f.base, now)) stale.push(f.path);
  }
  return stale;
}

/** The same diff on the files' current text; undefined when it no longer applies. */
export async function rebase(c: ReviewCandidate): Promise<ReviewCandidate | undefined> {
  const reads = new Map<string, ReadRecord>();
  for (const f of c.files) reads.set(f.path, (await readCurrent(f.uri)) ?? { text: '' });
  const root = vscode.workspace.getWorkspaceFolder(c.files[0]?.uri ?? vscode.Uri.file('/'))?.uri;
  if (!root) return undefined;
  const { candidate, problems } = buildReview(c, c.diff, true, root, reads);
  return problems.length === 0 ? candidate : undefined;
}

/** Writes the candidate's files as one WorkspaceEdit (one undo step); the caller has checked what may apply. */
export async function writeFiles(c: ReviewCandidate): Promise<{ ok: true } | { ok: false; message: string }> {
  // Checked again here: a candidate is only ever written through this function.
  const refused = c.files.map((f) => refusal(f.path)).find((m) => m !== undefined);
  if (refused) return { ok: false, message: refused };
  const edit = new vscode.WorkspaceEdit();
  for (const f of c.files) {
    if (f.deleted) { edit.deleteFile(f.uri, { ignoreIfNotExists: true }); continue; }
    if (f.created) {
      edit.createFile(f.uri, { ignoreIfExists: true });
      edit.insert(f.uri, new vscode.Position(0, 0), f.after);
      continue;
    }
    const doc = await vscode.workspace.openTextDocument(f.uri);
    const r = minimalReplacement(doc.getText(), f.after);
    edit.replace(f.uri, new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)), r.text);
  }
  return (await vscode.workspace.applyEdit(edit)) ? { ok: true } : { ok: false, message: l10n.t('VS Code refused the edit') };
}
