// The review of a candidate, wherever it happens: the panel's buttons, the diff editor's title bar, and the
// preview in the user's own file (removed lines and the added text decorated, Accept/Reject per hunk and per
// file as CodeLens). It owns what the user decided and what happened after: Accept applies one WorkspaceEdit
// only onto the text that was verified (otherwise it verifies again), a partial choice of hunks is a text
// nobody tested and is verified before it applies, and an undo or redo of an accepted edit shows in the panel.
// The task controller owns running tasks; this class owns everything after a candidate exists.
import * as vscode from 'vscode';
import { DisposableStore, Emitter, type IDisposable } from '../../core/util';
import type { AgentEvent } from '../../core/agent/events';
import { isVerified } from '../../core/verify';
import type { CandidateRef } from '../../protocol';
import { findCandidate, type Resolution } from '../../protocol';
import type { PanelStore } from '../panelStore';
import type { Notifier } from '../notifier';
import { l10n } from '../l10n';
import { buildReview, readCurrent, type DiffReview, type ReviewCandidate, type ReviewFile } from './diffReview';
import type { ReadRecord } from './candidatePatch';
import { applyHunks, decisionState, fileHunks, type Hunk, type HunkDecision } from './hunks';
import { unifiedDiff } from '../../core/edits';

export type Reverify = (c: ReviewCandidate, files: { path: string; before: string | undefined; after: string }[]) => Promise<{ verified: boolean; summary: string }>;

interface Preview {
  ref: CandidateRef;
  file: ReviewFile;
  hunks: Hunk[];
  decisions: Map<number, HunkDecision>;
}

interface Applied {
  ref: CandidateRef;
  uri: string;
  before: string;
  after: string;
  resolution: Resolution;
}

const keyOf = (ref: CandidateRef): string => `${ref.taskId}/${ref.candidateId}`;

export class ReviewController implements vscode.CodeLensProvider, IDisposable {
  private readonly store = new DisposableStore();
  /** Previews by document uri: at most one candidate per file at a time. */
  private readonly previews = new Map<string, Preview>();
  /** Decisions of every file of a candidate under preview, by candidate then path. */
  private readonly decisions = new Map<string, Map<string, Map<number, HunkDecision>>>();
  /** Accepted edits, newest last, so an undo or redo can be recognised (bounded). */
  private readonly applied: Applied[] = [];
  private readonly lensesChanged = this.store.add(new Emitter<void>());
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly removedLine: vscode.TextEditorDecorationType;
  private readonly addedText: vscode.TextEditorDecorationType;
  private readonly decidedLine: vscode.TextEditorDecorationType;

  constructor(
    readonly diffs: DiffReview,
    private readonly panel: PanelStore,
    private readonly notifier: Notifier,
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
    private readonly reverifyFn: Reverify,
  ) {
    this.removedLine = this.store.add(vscode.window.createTextEditorDecorationType({
      isWholeLine: true, backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'), overviewRulerLane: vscode.OverviewRulerLane.Left,
    }));
    this.addedText = this.store.add(vscode.window.createTextEditorDecorationType({
      after: { color: new vscode.ThemeColor('gitDecoration.addedResourceForeground'), backgroundColor: new vscode.ThemeColor('diffEditor.insertedTextBackground'), margin: '0 0 0 1em' },
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'), overviewRulerLane: vscode.OverviewRulerLane.Left,
    }));
    this.decidedLine = this.store.add(vscode.window.createTextEditorDecorationType({
      isWholeLine: true, opacity: '0.6',
      after: { color: new vscode.ThemeColor('descriptionForeground'), margin: '0 0 0 1em' },
    }));
    this.store.add(vscode.languages.registerCodeLensProvider([{ scheme: 'file' }, { scheme: 'untitled' }], this));
    this.store.add(vscode.window.onDidChangeVisibleTextEditors(() => this.redraw()));
    this.store.add(vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()));
    this.store.add(vscode.workspace.onDidChangeTextDocument((e) => this.onDocumentChange(e)));
  }

  // ---- candidates from the agent ----

  /** Builds or updates a candidate's review from the agent's events. The verdict comes only from the candidate's own card. */
  onAgentEvent(e: AgentEvent, root: vscode.Uri, reads: ReadonlyMap<string, ReadRecord>): void {
    if (e.type === 'candidate') {
      if (e.candidate.diff.trim() === '' || e.candidate.applyError) return;
      const ref = { taskId: e.taskId, candidateId: e.candidate.id, task: e.candidate.task };
      const { candidate, problems } = buildReview(ref, e.candidate.diff, isVerified(e.candidate), root, reads);
      for (const p of problems) this.log.warn(`review ${candidate.candidateId}: ${p}`);
      this.diffs.add(candidate);
    } else if (e.type === 'verdict') {
      const c = this.diffs.get(e);
      if (c) this.diffs.add({ ...c, verified: isVerified(e) });
    }
  }

  // ---- whole-candidate decisions ----

  /** Accept: applies only a verified, unchanged candidate (or verifies again on the current text). */
  async accept(ref: CandidateRef): Promise<boolean> {
    const outcome = await this.diffs.accept(ref);
    switch (outcome.kind) {
      case 'applied':
        await this.finish(ref, 'accepted', l10n.t('Applied. Undo restores the previous text in one step.'));
        return true;
      case 'not-verified':
        this.notifier.show('warning', l10n.t('QwQ Coder only applies edits that passed your tests; this one did not (or it is no longer under review). Use "Apply unverified…" to apply it anyway.'));
        return false;
      case 'stale': {
        const why = outcome.reverified
          ? l10n.t('Verified again on the current text: {0}', outcome.reverified.summary)
          : l10n.t('The edit no longer applies to the current text.');
        const message = l10n.t('{0} changed since this edit was verified. {1} Nothing was applied.', outcome.files.join(', '), why);
        this.resolve(ref, 'stale', message);
        await this.endPreview(ref);
        this.notifier.show('warning', message);
        return false;
      }
      case 'failed':
        this.notifier.show('error', l10n.t('The edit could not be applied: {0}', outcome.message));
        return false;
    }
  }

  async reject(ref: CandidateRef): Promise<void> {
    this.diffs.forget(ref);
    await this.finish(ref, 'rejected');
  }

  /**
   * "Apply unverified…": a modal says why the edit is not verified; only an explicit confirmation applies it, and
   * only onto the text it was built on (the rule still holds: nothing is applied onto a file that moved on).
   */
  async applyUnverified(ref: CandidateRef, confirm: (reason: string) => Thenable<boolean> = (reason) => this.confirmUnverified(reason)): Promise<boolean> {
    const c = this.diffs.get(ref);
    if (!c) { this.notifier.show('info', l10n.t('This edit is no longer under review.')); return false; }
    const view = findCandidate(this.panel.state, ref.taskId, ref.candidateId);
    const reason = view?.reason ?? view?.verdictSummary ?? l10n.t('it was not tested');
    if (!(await confirm(reason))) return false;
    const stale = await this.diffs.staleFiles(c);
    if (stale.length > 0) {
      this.notifier.show('warning', l10n.t('{0} changed since this edit was made; it was not applied.', stale.join(', ')));
      return false;
    }
    const outcome = await this.diffs.applyFiles(c);
    if (outcome.kind !== 'applied') { this.notifier.show('error', l10n.t('The edit could not be applied: {0}', outcome.kind === 'failed' ? outcome.message : outcome.kind)); return false; }
    await this.finish(ref, 'applied-unverified', l10n.t('Applied without verification, at your request. Undo restores the previous text.'));
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

  /** Verifies a candidate again (a file moved on, or a partial choice). */
  reverify(c: ReviewCandidate, files: { path: string; before: string | undefined; after: string }[]): Promise<{ verified: boolean; summary: string }> {
    return this.reverifyFn(c, files);
  }

  // ---- the preview in the user's file ----

  /** Opens the candidate's first (or named) file with the change drawn in place and Accept/Reject per hunk. */
  async preview(ref: CandidateRef, path?: string): Promise<boolean> {
    const c = this.diffs.get(ref);
    const f = c?.files.find((x) => path === undefined || x.path === path);
    if (!c || !f) { this.notifier.show('info', l10n.t('This edit is no longer under review.')); return false; }
    if (f.created || f.deleted) return this.diffs.openDiff(ref, f.path); // a whole new or removed file reads best as a diff
    const now = await readCurrent(f.uri);
    if (!now || now.text !== f.base.text) {
      this.notifier.show('info', l10n.t('{0} changed since this edit was made: showing it as a diff. Accept verifies it again on the current text.', f.path));
      return this.diffs.openDiff(ref, f.path);
    }
    for (const [uri, p] of this.previews) if (keyOf(p.ref) !== keyOf(ref) && p.file.path === f.path) this.previews.delete(uri);
    const decisions = this.fileDecisions(ref, f.path);
    this.previews.set(f.uri.toString(), { ref, file: f, hunks: fileHunks(f.base.text, f.after), decisions });
    const doc = await vscode.workspace.openTextDocument(f.uri);
    const first = this.previews.get(f.uri.toString())!.hunks[0];
    const line = first ? Math.min(first.oldStart, Math.max(0, doc.lineCount - 1)) : 0;
    await vscode.window.showTextDocument(doc, { preview: false, selection: new vscode.Range(line, 0, line, 0) });
    this.panel.dispatch({ type: 'candidate-previewing', ...ref, previewing: true });
    this.redraw();
    return true;
  }

  private fileDecisions(ref: CandidateRef, path: string): Map<number, HunkDecision> {
    let byFile = this.decisions.get(keyOf(ref));
    if (!byFile) { byFile = new Map(); this.decisions.set(keyOf(ref), byFile); }
    let d = byFile.get(path);
    if (!d) { d = new Map(); byFile.set(path, d); }
    return d;
  }

  /** Accept or reject one hunk; once every hunk of every file is decided, the choice is applied. */
  async decideHunk(ref: CandidateRef, path: string, index: number, decision: HunkDecision): Promise<void> {
    this.fileDecisions(ref, path).set(index, decision);
    this.redraw();
    await this.settleIfDecided(ref);
  }

  async decideFile(ref: CandidateRef, path: string, decision: HunkDecision): Promise<void> {
    const c = this.diffs.get(ref);
    const f = c?.files.find((x) => x.path === path);
    if (!c || !f) return;
    const d = this.fileDecisions(ref, path);
    for (const h of fileHunks(f.base.text, f.after)) d.set(h.index, decision);
    this.redraw();
    await this.settleIfDecided(ref);
  }

  private async settleIfDecided(ref: CandidateRef): Promise<void> {
    const c = this.diffs.get(ref);
    if (!c) return;
    const perFile = c.files.map((f) => {
      const hunks = fileHunks(f.base.text, f.after);
      return { f, hunks, state: decisionState(hunks, this.fileDecisions(ref, f.path)), accepted: new Set(hunks.filter((h) => this.fileDecisions(ref, f.path).get(h.index) === 'accepted').map((h) => h.index)) };
    });
    // Files with no hunks (created/deleted) follow the file-level decision only; until then, wait.
    if (!perFile.every((p) => p.state.complete)) return;
    if (perFile.every((p) => p.state.all)) { await this.accept(ref); return; }
    if (perFile.every((p) => p.state.none)) { await this.reject(ref); return; }
    await this.acceptPartial(ref, c, perFile.filter((p) => !p.state.none).map((p) => ({ ...p.f, after: applyHunks(p.f.base.text, p.hunks, p.accepted) })));
  }

  /**
   * Some hunks accepted, some rejected: that text was never tested, so it is verified now (on a fresh shadow
   * copy), and applied as one WorkspaceEdit only if it passes and the files are still what was read.
   */
  private async acceptPartial(ref: CandidateRef, c: ReviewCandidate, files: ReviewFile[]): Promise<boolean> {
    let partial: ReviewCandidate = { ...c, files, diff: unifiedDiff(files.map((f) => ({ path: f.path, before: f.created ? undefined : f.base.text, after: f.after }))) };
    const stale = await this.diffs.staleFiles(partial);
    // The file moved on since it was verified: the chosen changes go onto its current text if they still apply
    // there (and are verified on it below, like any partial choice); otherwise nothing is applied.
    const rebased = stale.length > 0 ? await this.diffs.rebase(partial) : undefined;
    if (rebased) partial = rebased;
    if (stale.length > 0 && !rebased) {
      const message = l10n.t('{0} changed since this edit was verified. Nothing was applied.', stale.join(', '));
      this.resolve(ref, 'stale', message);
      await this.endPreview(ref);
      this.notifier.show('warning', message);
      return false;
    }
    const result = await this.reverify(partial, partial.files.map((f) => ({ path: f.path, before: f.created ? undefined : f.base.text, after: f.after })));
    if (!result.verified) {
      const message = l10n.t('The hunks you chose together did not pass your tests: {0}. Nothing was applied.', result.summary);
      this.decisions.delete(keyOf(ref));
      this.redraw();
      this.notifier.show('warning', message);
      this.panel.dispatch({ type: 'candidate-resolved', ...ref, resolution: 'stale', message });
      return false;
    }
    const outcome = await this.diffs.applyFiles(partial);
    if (outcome.kind !== 'applied') { this.notifier.show('error', l10n.t('The edit could not be applied: {0}', outcome.kind === 'failed' ? outcome.message : outcome.kind)); return false; }
    this.recordApplied(ref, partial, 'partial');
    await this.finish(ref, 'partial', l10n.t('Applied the hunks you accepted (verified together: {0}). Undo restores the previous text in one step.', result.summary), false);
    return true;
  }

  /** Accept or Reject from the diff editor's title bar or the previewed file: the candidate the active editor shows. */
  activeRef(): CandidateRef | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (!uri) return undefined;
    return this.diffs.refOf(uri) ?? this.previews.get(uri.toString())?.ref;
  }

  // ---- endings ----

  private async finish(ref: CandidateRef, resolution: Resolution, message?: string, record = true): Promise<void> {
    const c = this.diffs.lastApplied;
    if (record && resolution !== 'rejected' && c && keyOf(c) === keyOf(ref)) this.recordApplied(ref, c, resolution);
    this.resolve(ref, resolution, message);
    await this.endPreview(ref);
  }

  private resolve(ref: CandidateRef, resolution: Resolution, message?: string): void {
    this.panel.dispatch({ type: 'candidate-resolved', ...ref, resolution, ...(message ? { message } : {}) });
  }

  /** The review is over: decorations, lenses and the candidate's diff tabs go. */
  private async endPreview(ref: CandidateRef): Promise<void> {
    for (const [uri, p] of this.previews) if (keyOf(p.ref) === keyOf(ref)) this.previews.delete(uri);
    this.decisions.delete(keyOf(ref));
    this.panel.dispatch({ type: 'candidate-previewing', ...ref, previewing: false });
    this.redraw();
    await this.diffs.closeDiffTabs(ref);
  }

  // ---- undo and redo of an accepted edit ----

  private recordApplied(ref: CandidateRef, c: ReviewCandidate, resolution: Resolution): void {
    for (const f of c.files) {
      if (f.created || f.deleted) continue;
      this.applied.push({ ref, uri: f.uri.toString(), before: f.base.text, after: f.after, resolution });
    }
    while (this.applied.length > 50) this.applied.shift();
  }

  private onDocumentChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.reason !== vscode.TextDocumentChangeReason.Undo && e.reason !== vscode.TextDocumentChangeReason.Redo) {
      if (this.previews.has(e.document.uri.toString()) && e.contentChanges.length > 0) this.previewMovedOn(e.document);
      return;
    }
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

  /** The user typed in a previewed file: the drawn hunks no longer match it, so the preview ends (Accept re-verifies). */
  private previewMovedOn(doc: vscode.TextDocument): void {
    const p = this.previews.get(doc.uri.toString());
    if (!p || doc.getText() === p.file.base.text) return;
    this.previews.delete(doc.uri.toString());
    this.panel.dispatch({ type: 'candidate-previewing', ...p.ref, previewing: false });
    this.redraw();
  }

  // ---- drawing ----

  private redraw(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const p = this.previews.get(editor.document.uri.toString());
      if (!p) { editor.setDecorations(this.removedLine, []); editor.setDecorations(this.addedText, []); editor.setDecorations(this.decidedLine, []); continue; }
      const removed: vscode.DecorationOptions[] = [];
      const added: vscode.DecorationOptions[] = [];
      const decided: vscode.DecorationOptions[] = [];
      const last = editor.document.lineCount - 1;
      for (const h of p.hunks) {
        const d = p.decisions.get(h.index);
        const anchor = Math.min(last, h.oldLines > 0 ? h.oldStart + h.oldLines - 1 : Math.max(0, h.oldStart - 1));
        const range = new vscode.Range(anchor, Number.MAX_SAFE_INTEGER, anchor, Number.MAX_SAFE_INTEGER);
        if (d) {
          decided.push({ range: new vscode.Range(Math.min(h.oldStart, last), 0, anchor, 0), renderOptions: { after: { contentText: d === 'accepted' ? l10n.t('✓ hunk accepted (applies when every hunk is decided)') : l10n.t('✗ hunk rejected') } } });
          continue;
        }
        if (h.oldLines > 0) removed.push({ range: new vscode.Range(h.oldStart, 0, Math.min(last, h.oldStart + h.oldLines - 1), 0), hoverMessage: l10n.t('Removed by the edit') });
        if (h.added.length > 0) {
          const shown = h.added.map((l) => l.trim()).join('  ⏎  ');
          added.push({
            range,
            renderOptions: { after: { contentText: `+ ${shown.length > 160 ? `${shown.slice(0, 159)}…` : shown}` } },
            hoverMessage: new vscode.MarkdownString().appendCodeblock(h.added.join('\n'), editor.document.languageId),
          });
        }
      }
      editor.setDecorations(this.removedLine, removed);
      editor.setDecorations(this.addedText, added);
      editor.setDecorations(this.decidedLine, decided);
    }
    this.lensesChanged.fire();
    this.updateContext();
  }

  private updateContext(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    void vscode.commands.executeCommand('setContext', 'qwq.previewActive', uri !== undefined && this.previews.has(uri.toString()));
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const p = this.previews.get(doc.uri.toString());
    if (!p) return [];
    const c = this.diffs.get(p.ref);
    const verified = c?.verified ?? false;
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses: vscode.CodeLens[] = [
      new vscode.CodeLens(top, { title: verified ? l10n.t('$(check) Accept File') : l10n.t('$(warning) Not verified'), command: verified ? 'qwq.review.acceptFile' : '', arguments: [p.ref, p.file.path] }),
      new vscode.CodeLens(top, { title: l10n.t('$(close) Reject File'), command: 'qwq.review.rejectFile', arguments: [p.ref, p.file.path] }),
    ];
    if (c && c.files.length > 1 && verified) lenses.push(new vscode.CodeLens(top, { title: l10n.t('Accept All Files'), command: 'qwq.review.accept', arguments: [p.ref] }));
    const last = Math.max(0, doc.lineCount - 1);
    p.hunks.forEach((h, i) => {
      const line = Math.min(last, h.oldStart);
      const at = new vscode.Range(line, 0, line, 0);
      const d = p.decisions.get(h.index);
      const label = l10n.t('change {0} of {1}', i + 1, p.hunks.length);
      if (d) { lenses.push(new vscode.CodeLens(at, { title: `${label}: ${d === 'accepted' ? l10n.t('accepted') : l10n.t('rejected')}`, command: '' })); return; }
      if (verified) lenses.push(new vscode.CodeLens(at, { title: l10n.t('$(check) Accept'), tooltip: l10n.t('Accept this change ({0})', label), command: 'qwq.review.acceptHunk', arguments: [p.ref, p.file.path, h.index] }));
      lenses.push(new vscode.CodeLens(at, { title: l10n.t('$(close) Reject'), tooltip: l10n.t('Reject this change ({0})', label), command: 'qwq.review.rejectHunk', arguments: [p.ref, p.file.path, h.index] }));
    });
    return lenses;
  }

  dispose(): void {
    this.previews.clear();
    this.store.dispose();
  }
}
