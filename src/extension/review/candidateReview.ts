// The review of a candidate edit, wherever it happens: the panel's buttons, the palette, and the diff editor.
// The preview is VS Code's own diff editor: the user's file on the left, the proposed text on the right (a
// virtual qwq-candidate document), with Accept/Reject per hunk and per file as CodeLens on the proposed side.
// Rejecting a hunk takes it out of the proposed text at once, so the diff shows only what is still proposed.
// Accept applies one WorkspaceEdit, only onto the text that was verified (otherwise it verifies again); a partial
// choice of hunks is a text nobody tested and is verified before it applies; the panel's card then shows the diff
// that was applied; an undo or redo of an accepted edit shows in the panel. The task controller runs tasks and
// hands candidates here (onAgentEvent); verifying again goes through the reverifier (tasks/reverifier.ts), so
// this class needs no task controller (docs/architecture.md §7).
import * as vscode from 'vscode';
import { DisposableStore, Emitter, type IDisposable } from '../../core/util';
import type { AgentEvent } from '../../core/agent/events';
import { isVerified } from '../../core/verify/policy/verified';
import type { CandidateRef } from '../../protocol';
import { findCandidate, type Resolution } from '../../protocol';
import type { PanelStore } from '../panelStore';
import type { Notifier } from '../notifier';
import { l10n } from '../l10n';
import type { ReadRecord } from './candidatePatch';
import { applyHunks, decisionState, fileHunks, shownHunks, shownStarts, type HunkDecision } from './hunks';
import { unifiedDiff } from '../../core/edits';
import {
  buildReview, candidateUri, CANDIDATE_SCHEME, changesOf, parseCandidateUri, rebase, staleFiles, writeFiles,
  type Reverify, type ReviewCandidate, type ReviewFile,
} from './reviewFiles';

interface Applied { ref: CandidateRef; uri: string; before: string; after: string; resolution: Resolution }

const keyOf = (ref: CandidateRef): string => `${ref.taskId}/${ref.candidateId}`;

/** "verified: 3 passed" → "3 passed": the sentence around it already says whether it passed. */
function withoutVerdict(summary: string): string {
  return summary.replace(/^\s*(?:NOT\s+)?(?:verified|regressed|not-fixed|inconclusive|no-tests|error)\s*:\s*/i, '');
}

export class CandidateReview implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider, IDisposable {
  private readonly store = new DisposableStore();
  private readonly candidates = new Map<string, ReviewCandidate>();
  /** Per-hunk decisions of candidates under review, by candidate then path. */
  private readonly decisions = new Map<string, Map<string, Map<number, HunkDecision>>>();
  /** Accepted edits, newest last, so an undo or redo can be recognised (bounded). */
  private readonly applied: Applied[] = [];
  private readonly contentChanged = this.store.add(new Emitter<vscode.Uri>());
  readonly onDidChange = this.contentChanged.event;
  private readonly lensesChanged = this.store.add(new Emitter<void>());
  readonly onDidChangeCodeLenses = this.lensesChanged.event;

  constructor(
    private readonly panel: PanelStore,
    private readonly notifier: Notifier,
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
    private readonly reverify: Reverify,
  ) {
    this.store.add(vscode.workspace.registerTextDocumentContentProvider(CANDIDATE_SCHEME, this));
    this.store.add(vscode.languages.registerCodeLensProvider({ scheme: CANDIDATE_SCHEME }, this));
    this.store.add(vscode.window.tabGroups.onDidChangeTabs(() => this.updateContext()));
    this.store.add(vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()));
    this.store.add(vscode.workspace.onDidChangeTextDocument((e) => this.onDocumentChange(e)));
  }

  // ---- candidates ----

  /** Builds or updates a candidate's review from the agent's events. The verdict comes only from the candidate's own card. */
  onAgentEvent(e: AgentEvent, root: vscode.Uri, reads: ReadonlyMap<string, ReadRecord>): void {
    if (e.type === 'candidate') {
      if (e.candidate.diff.trim() === '' || e.candidate.applyError) return;
      const ref = { taskId: e.taskId, candidateId: e.candidate.id, task: e.candidate.task };
      const { candidate, problems } = buildReview(ref, e.candidate.diff, isVerified(e.candidate), root, reads);
      for (const p of problems) this.log.warn(`review ${candidate.candidateId}: ${p}`);
      this.add(candidate);
    } else if (e.type === 'verdict') {
      const c = this.get(e);
      if (c) this.add({ ...c, verified: isVerified(e) });
    }
  }

  add(c: ReviewCandidate): void { this.candidates.set(keyOf(c), c); }
  get(ref: CandidateRef): ReviewCandidate | undefined { return this.candidates.get(keyOf(ref)); }
  private forget(ref: CandidateRef): void { this.candidates.delete(keyOf(ref)); this.decisions.delete(keyOf(ref)); }
  /** The most recent verified candidate still under review (Accept/Reject Suggestion from the palette). */
  latestVerified(): ReviewCandidate | undefined { return [...this.candidates.values()].reverse().find((c) => c.verified); }
  latest(): ReviewCandidate | undefined { return [...this.candidates.values()].at(-1); }

  // ---- the diff editor ----

  /** The proposed text of one file: the candidate's, less the hunks the user rejected. */
  provideTextDocumentContent(uri: vscode.Uri): string {
    const at = parseCandidateUri(uri);
    const c = at && this.get(at);
    const f = c?.files.find((x) => x.path === at!.path);
    if (!c || !f) return '';
    if (f.created || f.deleted) return f.after;
    const hunks = fileHunks(f.base.text, f.after);
    return applyHunks(f.base.text, hunks, shownHunks(hunks, this.fileDecisions(c, f.path)));
  }

  /** Opens the real diff (the user's file ↔ the proposed text) for one file, the first when `path` is absent. */
  async openDiff(ref: CandidateRef, path?: string): Promise<boolean> {
    const c = this.get(ref);
    const f = c?.files.find((x) => path === undefined || x.path === path);
    if (!c || !f) return false;
    const index = c.files.indexOf(f);
    const left = f.created ? vscode.Uri.from({ scheme: CANDIDATE_SCHEME, path: `/${f.path}`, query: 'empty=1' }) : f.uri;
    const of = c.files.length > 1 ? ` (${index + 1}/${c.files.length})` : '';
    const title = c.verified ? l10n.t('{0} ↔ verified edit{1}', f.path, of) : l10n.t('{0} ↔ NOT verified edit{1}', f.path, of);
    await vscode.commands.executeCommand('vscode.diff', left, candidateUri(ref, f.path), title, { preview: true });
    return true;
  }

  /** Preview: the diff editor with Accept/Reject per hunk; the panel marks the candidate as previewed. */
  async preview(ref: CandidateRef, path?: string): Promise<boolean> {
    if (!(await this.openDiff(ref, path))) { this.notifier.show('info', l10n.t('This edit is no longer under review.')); return false; }
    this.panel.dispatch({ type: 'candidate-previewing', ...ref, previewing: true });
    this.updateContext();
    return true;
  }

  /** Closes the diff tabs that show this candidate (on Accept or Reject: the review is over). */
  private async closeDiffTabs(ref: CandidateRef): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
      const at = t.input instanceof vscode.TabInputTextDiff ? parseCandidateUri(t.input.modified) : undefined;
      return at !== undefined && keyOf(at) === keyOf(ref);
    });
    if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
  }

  /** Accept or Reject from the diff editor's title bar: the candidate the active tab or editor shows. */
  activeRef(): CandidateRef | undefined {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const fromTab = input instanceof vscode.TabInputTextDiff ? parseCandidateUri(input.modified) : undefined;
    const at = fromTab ?? (vscode.window.activeTextEditor ? parseCandidateUri(vscode.window.activeTextEditor.document.uri) : undefined);
    return at && this.get(at) ? { taskId: at.taskId, candidateId: at.candidateId } : undefined;
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', 'qwq.previewActive', this.activeRef() !== undefined);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const at = parseCandidateUri(doc.uri);
    const c = at && this.get(at);
    const f = c?.files.find((x) => x.path === at!.path);
    if (!c || !f) return [];
    const ref = { taskId: c.taskId, candidateId: c.candidateId };
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses: vscode.CodeLens[] = [
      new vscode.CodeLens(top, { title: c.verified ? l10n.t('$(check) Accept File') : l10n.t('$(warning) Not verified'), command: c.verified ? 'qwq.review.acceptFile' : '', arguments: [ref, f.path] }),
      new vscode.CodeLens(top, { title: l10n.t('$(close) Reject File'), command: 'qwq.review.rejectFile', arguments: [ref, f.path] }),
    ];
    if (c.files.length > 1 && c.verified) lenses.push(new vscode.CodeLens(top, { title: l10n.t('Accept All Files'), command: 'qwq.review.accept', arguments: [ref] }));
    if (f.created || f.deleted) return lenses;
    const hunks = fileHunks(f.base.text, f.after);
    const decisions = this.fileDecisions(c, f.path);
    const starts = shownStarts(hunks, decisions);
    const last = Math.max(0, doc.lineCount - 1);
    hunks.forEach((h, i) => {
      const line = Math.min(last, starts.get(h.index) ?? 0);
      const here = new vscode.Range(line, 0, line, 0);
      const d = decisions.get(h.index);
      const label = l10n.t('change {0} of {1}', i + 1, hunks.length);
      if (d) { lenses.push(new vscode.CodeLens(here, { title: `${label}: ${d === 'accepted' ? l10n.t('accepted (applies when every change is decided)') : l10n.t('rejected')}`, command: '' })); return; }
      if (c.verified) lenses.push(new vscode.CodeLens(here, { title: l10n.t('$(check) Accept'), tooltip: l10n.t('Accept this change ({0})', label), command: 'qwq.review.acceptHunk', arguments: [ref, f.path, h.index] }));
      lenses.push(new vscode.CodeLens(here, { title: l10n.t('$(close) Reject'), tooltip: l10n.t('Reject this change ({0})', label), command: 'qwq.review.rejectHunk', arguments: [ref, f.path, h.index] }));
    });
    return lenses;
  }

  /** The proposed text and its lenses changed (a decision): the diff editor redraws. */
  private redraw(c: CandidateRef, path?: string): void {
    const cand = this.get(c);
    for (const f of cand?.files ?? []) if (path === undefined || f.path === path) this.contentChanged.fire(candidateUri(c, f.path));
    this.lensesChanged.fire();
  }

  // ---- decisions ----

  private fileDecisions(ref: CandidateRef, path: string): Map<number, HunkDecision> {
    let byFile = this.decisions.get(keyOf(ref));
    if (!byFile) { byFile = new Map(); this.decisions.set(keyOf(ref), byFile); }
    let d = byFile.get(path);
    if (!d) { d = new Map(); byFile.set(path, d); }
    return d;
  }

  /** Accept or reject one hunk; once every hunk of every file is decided, the choice is applied. */
  async decideHunk(ref: CandidateRef, path: string, index: number, decision: HunkDecision): Promise<void> {
    if (!this.get(ref)) return;
    this.fileDecisions(ref, path).set(index, decision);
    this.redraw(ref, path);
    await this.settleIfDecided(ref);
  }

  async decideFile(ref: CandidateRef, path: string, decision: HunkDecision): Promise<void> {
    const f = this.get(ref)?.files.find((x) => x.path === path);
    if (!f) return;
    const d = this.fileDecisions(ref, path);
    for (const h of fileHunks(f.base.text, f.after)) d.set(h.index, decision);
    // A created or deleted file has no hunks: its file-level decision is recorded as hunk -1.
    if (f.created || f.deleted) d.set(-1, decision);
    this.redraw(ref, path);
    await this.settleIfDecided(ref);
  }

  private async settleIfDecided(ref: CandidateRef): Promise<void> {
    const c = this.get(ref);
    if (!c) return;
    const perFile = c.files.map((f) => {
      const d = this.fileDecisions(ref, f.path);
      if (f.created || f.deleted) {
        const whole = d.get(-1);
        return { f, complete: whole !== undefined, all: whole === 'accepted', none: whole !== 'accepted', after: f.after };
      }
      const hunks = fileHunks(f.base.text, f.after);
      const accepted = new Set(hunks.filter((h) => d.get(h.index) === 'accepted').map((h) => h.index));
      return { f, ...decisionState(hunks, d), after: applyHunks(f.base.text, hunks, accepted) };
    });
    if (!perFile.every((p) => p.complete)) return;
    if (perFile.every((p) => p.all)) { await this.accept(ref); return; }
    if (perFile.every((p) => p.none)) { await this.reject(ref); return; }
    await this.acceptPartial(ref, c, perFile.filter((p) => !p.none).map((p) => ({ ...p.f, after: p.after })));
  }

  // ---- whole-candidate decisions ----

  /**
   * Accept: only a verified candidate, only if no file changed since verification. A changed file means the
   * verdict no longer holds: verify again on the current text, and apply only if that passes.
   */
  async accept(ref: CandidateRef): Promise<boolean> {
    const c = this.get(ref);
    if (!c || !c.verified) {
      this.notifier.show('warning', l10n.t('QwQ Coder only applies edits that passed your tests; this one did not (or it is no longer under review). Use "Apply unverified…" to apply it anyway.'));
      return false;
    }
    let toWrite = c;
    const stale = await staleFiles(c);
    if (stale.length > 0) {
      this.log.warn(`review: ${stale.join(', ')} changed since verification; verifying again`);
      const rebased = await rebase(c);
      const again = rebased ? await this.reverify(rebased, changesOf(rebased)) : undefined;
      if (!rebased || !again?.verified) {
        const why = again ? l10n.t('Verified again on the current text: {0}', again.summary) : l10n.t('The edit no longer applies to the current text.');
        return this.endStale(ref, l10n.t('{0} changed since this edit was verified. {1} Nothing was applied.', stale.join(', '), why));
      }
      toWrite = rebased;
    }
    if (!(await this.write(toWrite))) return false;
    await this.finish(ref, toWrite, 'accepted', l10n.t('Applied. Undo restores the previous text in one step.'));
    return true;
  }

  async reject(ref: CandidateRef): Promise<void> {
    this.forget(ref);
    this.resolve(ref, 'rejected');
    await this.endPreview(ref);
  }

  /**
   * "Apply unverified…": a modal says why the edit is not verified; only an explicit confirmation applies it, and
   * only onto the text it was built on (the rule still holds: nothing is applied onto a file that moved on).
   */
  async applyUnverified(ref: CandidateRef, confirm: (reason: string) => Thenable<boolean> = (reason) => this.confirmUnverified(reason)): Promise<boolean> {
    const c = this.get(ref);
    if (!c) { this.notifier.show('info', l10n.t('This edit is no longer under review.')); return false; }
    const view = findCandidate(this.panel.state, ref.taskId, ref.candidateId);
    const reason = (view?.reasonSaid ? l10n.say(view.reasonSaid) : view?.reason ?? view?.verdictSummary) ?? l10n.t('it was not tested');
    if (!(await confirm(reason))) return false;
    const stale = await staleFiles(c);
    if (stale.length > 0) {
      this.notifier.show('warning', l10n.t('{0} changed since this edit was made; it was not applied.', stale.join(', ')));
      return false;
    }
    if (!(await this.write(c))) return false;
    await this.finish(ref, c, 'applied-unverified', l10n.t('Applied without verification, at your request. Undo restores the previous text.'));
    return true;
  }

  private async confirmUnverified(reason: string): Promise<boolean> {
    const apply = l10n.t('Apply Unverified');
    const answer = await vscode.window.showWarningMessage(
      l10n.t('This edit is NOT verified.'),
      { modal: true, detail: l10n.t('Why: {0}\n\nIt did not pass your tests in the shadow copy. Applying it changes your files anyway (one undo step).', reason) },
      apply,
    );
    return answer === apply;
  }

  /**
   * Some hunks accepted, some rejected: that text was never tested, so it is verified now (on a fresh shadow
   * copy), and applied as one WorkspaceEdit only if it passes and the files are still what was read. The panel's
   * card then shows the diff that was applied, not the one proposed.
   */
  private async acceptPartial(ref: CandidateRef, c: ReviewCandidate, files: ReviewFile[]): Promise<boolean> {
    let partial: ReviewCandidate = { ...c, files, diff: unifiedDiff(files.map((f) => ({ path: f.path, before: f.created ? undefined : f.base.text, after: f.after }))) };
    const stale = await staleFiles(partial);
    // The file moved on since it was verified: the chosen changes go onto its current text if they still apply
    // there (and are verified on it below, like any partial choice); otherwise nothing is applied.
    if (stale.length > 0) {
      const rebased = await rebase(partial);
      if (!rebased) return this.endStale(ref, l10n.t('{0} changed since this edit was verified. Nothing was applied.', stale.join(', ')));
      partial = rebased;
    }
    const result = await this.reverify(partial, changesOf(partial));
    if (!result.verified) {
      const message = l10n.t('The changes you chose did not pass your tests together ({0}). Nothing was applied.', withoutVerdict(result.summary));
      this.decisions.delete(keyOf(ref));
      this.redraw(ref);
      this.notifier.show('warning', message);
      this.resolve(ref, 'stale', message);
      return false;
    }
    if (!(await this.write(partial))) return false;
    await this.finish(ref, partial, 'partial', l10n.t('Applied the changes you accepted; your tests pass with them ({0}). Undo restores the previous text in one step.', withoutVerdict(result.summary)));
    return true;
  }

  // ---- endings ----

  private async write(c: ReviewCandidate): Promise<boolean> {
    const written = await writeFiles(c);
    if (!written.ok) { this.notifier.show('error', l10n.t('The edit could not be applied: {0}', written.message)); return false; }
    this.log.info(`review: applied ${keyOf(c)} (${c.files.map((f) => f.path).join(', ')})`);
    return true;
  }

  /** After a write: remember it for undo/redo, tell the panel (with the diff that was applied), end the review. */
  private async finish(ref: CandidateRef, written: ReviewCandidate, resolution: Resolution, message: string): Promise<void> {
    for (const f of written.files) {
      if (f.created || f.deleted) continue;
      this.applied.push({ ref, uri: f.uri.toString(), before: f.base.text, after: f.after, resolution });
    }
    while (this.applied.length > 50) this.applied.shift();
    this.forget(ref);
    this.panel.dispatch({
      type: 'candidate-resolved', ...ref, resolution, message,
      ...(resolution === 'partial' ? { diff: written.diff, files: written.files.map((f) => f.path) } : {}),
    });
    await this.endPreview(ref);
  }

  private async endStale(ref: CandidateRef, message: string): Promise<false> {
    this.resolve(ref, 'stale', message);
    await this.endPreview(ref);
    this.notifier.show('warning', message);
    return false;
  }

  private resolve(ref: CandidateRef, resolution: Resolution, message?: string): void {
    this.panel.dispatch({ type: 'candidate-resolved', ...ref, resolution, ...(message ? { message } : {}) });
  }

  /** The review is over: the lenses and the candidate's diff tabs go. */
  private async endPreview(ref: CandidateRef): Promise<void> {
    this.decisions.delete(keyOf(ref));
    this.panel.dispatch({ type: 'candidate-previewing', ...ref, previewing: false });
    this.lensesChanged.fire();
    await this.closeDiffTabs(ref);
    this.updateContext();
  }

  // ---- undo and redo of an accepted edit ----

  private onDocumentChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.reason !== vscode.TextDocumentChangeReason.Undo && e.reason !== vscode.TextDocumentChangeReason.Redo) return;
    const uri = e.document.uri.toString();
    const text = e.document.getText();
    const hit = [...this.applied].reverse().find((a) => a.uri === uri && (text === a.before || text === a.after));
    if (!hit) return;
    const view = findCandidate(this.panel.state, hit.ref.taskId, hit.ref.candidateId);
    if (text === hit.before && view?.resolution !== 'undone') {
      this.panel.dispatch({ type: 'candidate-resolved', ...hit.ref, resolution: 'undone', message: l10n.t('Undone in the editor: your file is as it was before the edit. Redo applies it again.') });
    } else if (text === hit.after && view?.resolution === 'undone') {
      this.panel.dispatch({ type: 'candidate-resolved', ...hit.ref, resolution: hit.resolution, message: l10n.t('Applied again (redo).') });
    }
  }

  dispose(): void {
    this.candidates.clear();
    this.store.dispose();
  }
}
