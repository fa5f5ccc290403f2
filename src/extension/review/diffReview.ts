// The diff review: vscode.diff between the user's document and a virtual document holding the verified
// edit, and Accept/Reject. Accept applies a WorkspaceEdit (one undo step) only if every file is still what
// was verified; otherwise it verifies again first (docs/architecture.md §7).
import * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../../core/util';
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

/** Re-verification of a candidate against the files as they are now (the core's verifier). */
export type Reverify = (c: ReviewCandidate, files: { path: string; before: string | undefined; after: string }[]) => Promise<{ verified: boolean; summary: string }>;

export type AcceptOutcome =
  | { kind: 'applied' }
  | { kind: 'not-verified' }
  | { kind: 'stale'; files: string[]; reverified?: { verified: boolean; summary: string } }
  | { kind: 'failed'; message: string };

/** The user-facing refusal for a path Accept must never write; undefined when the path is fine. */
function refusal(path: string): string | undefined {
  const r = refusedPath(path);
  if (!r) return undefined;
  return r.kind === 'outside'
    ? l10n.t('{0}: refused, the path is outside the workspace', path)
    : l10n.t('{0}: refused, edits inside {1}/ (the version-control folder) are never applied', path, r.folder);
}

function candidateUri(ref: CandidateRef, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: CANDIDATE_SCHEME, path: `/${path}`, query: new URLSearchParams({ task: ref.taskId, candidate: ref.candidateId }).toString() });
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
  return { candidate: { ...ref, verified, files, diff }, problems };
}

export class DiffReview implements vscode.TextDocumentContentProvider, IDisposable {
  private readonly store = new DisposableStore();
  private readonly candidates = new Map<string, ReviewCandidate>();
  /** The candidate applied last, as applied (after a rebase, on the text it was rebased onto). */
  lastApplied: ReviewCandidate | undefined;

  constructor(
    private readonly reverify: Reverify,
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
  ) {
    this.store.add(vscode.workspace.registerTextDocumentContentProvider(CANDIDATE_SCHEME, this));
  }

  private key(ref: CandidateRef): string { return `${ref.taskId}/${ref.candidateId}`; }

  add(c: ReviewCandidate): void { this.candidates.set(this.key(c), c); }
  get(ref: CandidateRef): ReviewCandidate | undefined { return this.candidates.get(this.key(ref)); }
  forget(ref: CandidateRef): void { this.candidates.delete(this.key(ref)); }
  /** The most recent verified candidate still under review (Accept/Reject Suggestion from the palette). */
  latestVerified(): ReviewCandidate | undefined { return [...this.candidates.values()].reverse().find((c) => c.verified); }
  latest(): ReviewCandidate | undefined { return [...this.candidates.values()].at(-1); }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const q = new URLSearchParams(uri.query);
    const c = this.get({ taskId: q.get('task') ?? '', candidateId: q.get('candidate') ?? '' });
    const f = c?.files.find((x) => `/${x.path}` === uri.path);
    return f?.after ?? '';
  }

  /** Opens vscode.diff for one file (the first when `path` is absent): multi-file candidates go file by file. */
  async openDiff(ref: CandidateRef, path?: string): Promise<boolean> {
    const c = this.get(ref);
    const f = c?.files.find((x) => path === undefined || x.path === path);
    if (!c || !f) return false;
    const index = c.files.indexOf(f);
    const left = f.created ? vscode.Uri.from({ scheme: CANDIDATE_SCHEME, path: `/${f.path}`, query: 'empty=1' }) : f.uri;
    const title = c.verified
      ? l10n.t('{0} ↔ verified edit{1}', f.path, c.files.length > 1 ? ` (${index + 1}/${c.files.length})` : '')
      : l10n.t('{0} ↔ NOT verified edit{1}', f.path, c.files.length > 1 ? ` (${index + 1}/${c.files.length})` : '');
    await vscode.commands.executeCommand('vscode.diff', left, candidateUri(ref, f.path), title, { preview: true });
    return true;
  }

  /** Which files changed since they were verified. */
  async staleFiles(c: ReviewCandidate): Promise<string[]> {
    const stale: string[] = [];
    for (const f of c.files) {
      const now = await readCurrent(f.uri);
      if (f.created) { if (now !== undefined && now.text !== '') stale.push(f.path); continue; }
      if (now === undefined || !isUnchanged(f.base, now)) stale.push(f.path);
    }
    return stale;
  }

  /**
   * Accept: only a verified candidate, only if no file changed since verification. A changed file means the
   * verdict no longer holds: verify again on the current text, and apply only if that passes.
   */
  async accept(ref: CandidateRef): Promise<AcceptOutcome> {
    const c = this.get(ref);
    if (!c || !c.verified) return { kind: 'not-verified' };
    const stale = await this.staleFiles(c);
    if (stale.length > 0) {
      this.log.warn(`review: ${stale.join(', ')} changed since verification; verifying again`);
      const rebased = await this.rebase(c);
      if (!rebased) return { kind: 'stale', files: stale };
      const reverified = await this.reverify(rebased, rebased.files.map((f) => ({ path: f.path, before: f.created ? undefined : f.base.text, after: f.after })));
      if (!reverified.verified) return { kind: 'stale', files: stale, reverified };
      this.add(rebased);
      return this.applyFiles(rebased);
    }
    return this.applyFiles(c);
  }

  /** The same diff on the files' current text; undefined when it no longer applies. */
  async rebase(c: ReviewCandidate): Promise<ReviewCandidate | undefined> {
    const reads = new Map<string, ReadRecord>();
    for (const f of c.files) {
      const now = await readCurrent(f.uri);
      reads.set(f.path, now ?? { text: '' });
    }
    const root = vscode.workspace.getWorkspaceFolder(c.files[0]?.uri ?? vscode.Uri.file('/'))?.uri;
    if (!root) return undefined;
    const { candidate, problems } = buildReview(c, c.diff, true, root, reads);
    return problems.length === 0 ? candidate : undefined;
  }

  /** Applies the candidate's files as one WorkspaceEdit (one undo step); the caller has checked what may apply. */
  async applyFiles(c: ReviewCandidate): Promise<AcceptOutcome> {
    // Checked again here: a candidate is only ever written through this method.
    const refused = c.files.map((f) => refusal(f.path)).find((m) => m !== undefined);
    if (refused) return { kind: 'failed', message: refused };
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
    const ok = await vscode.workspace.applyEdit(edit);
    if (!ok) return { kind: 'failed', message: l10n.t('VS Code refused the edit') };
    this.log.info(`review: applied ${this.key(c)} (${c.files.map((f) => f.path).join(', ')})`);
    this.lastApplied = c;
    this.forget(c);
    return { kind: 'applied' };
  }

  /** Closes the diff tabs that show this candidate (on Accept or Reject: the review is over). */
  async closeDiffTabs(ref: CandidateRef): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
      const input = t.input;
      if (!(input instanceof vscode.TabInputTextDiff) || input.modified.scheme !== CANDIDATE_SCHEME) return false;
      const q = new URLSearchParams(input.modified.query);
      return q.get('task') === ref.taskId && q.get('candidate') === ref.candidateId;
    });
    if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
  }

  /** The candidate a qwq-candidate document belongs to (the diff editor's right side). */
  refOf(uri: vscode.Uri): CandidateRef | undefined {
    if (uri.scheme !== CANDIDATE_SCHEME) return undefined;
    const q = new URLSearchParams(uri.query);
    const taskId = q.get('task');
    const candidateId = q.get('candidate');
    return taskId && candidateId ? { taskId, candidateId } : undefined;
  }

  dispose(): void {
    this.candidates.clear();
    this.store.dispose();
  }
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
