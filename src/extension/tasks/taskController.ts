// Runs palette tasks: checks the model and trust first, turns the editor into an AgentTask, forwards the
// agent's events to the panel, and keeps each candidate's review (what was read, what would change).
import * as vscode from 'vscode';
import { MutableDisposable, toDisposable, type IDisposable } from '../../core/util/lifecycle';
import { newTaskId, taskWritesCode, type AgentTask, type TaskKind } from '../../core/agent/task';
import type { AgentEvent } from '../../core/agent/events';
import type { CandidateRef } from '../../protocol/messages';
import type { PanelStore } from '../panelStore';
import { ModelUnavailableError, type ModelService } from '../model/modelService';
import { buildReview, type DiffReview, type ReviewCandidate } from '../review/diffReview';
import { requireTrustForTests } from '../trust';
import type { Notifier } from '../notifier';
import type { AgentPort } from './agentPort';
import { EditorWorkspaceFiles, toRelativePath } from './editorFiles';
import { TestOutputFilter } from './testOutputFilter';
import { l10n } from '../l10n';


interface Running extends IDisposable { taskId: string; abort: AbortController; files: EditorWorkspaceFiles; task: AgentTask }

export interface TaskRequest {
  kind: TaskKind;
  instruction: string;
  editor?: vscode.TextEditor;
  symbol?: string;
}

/** Converts an editor's selection to the core's 1-based inclusive lines (an empty selection means its line). */
export function selectionToLines(sel: Pick<vscode.Selection, 'start' | 'end' | 'isEmpty'>): { startLine: number; endLine: number } {
  const startLine = sel.start.line + 1;
  // A selection ending at column 0 of a line does not include that line.
  const endLine = !sel.isEmpty && sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line : sel.end.line + 1;
  return { startLine, endLine };
}

export class TaskController implements IDisposable {
  private readonly running = new MutableDisposable<Running>();
  /** How many times Accept had to verify again (a file changed after verification); the tests check it. */
  reverifications = 0;
  /** The last task's outcome, for tests and the walkthrough. */
  lastOutcome: Extract<AgentEvent, { type: 'task-finished' }> | undefined;
  private finishedListeners = new Set<(e: Extract<AgentEvent, { type: 'task-finished' }>) => void>();

  constructor(
    private readonly agent: AgentPort,
    private readonly store: PanelStore,
    private readonly models: ModelService,
    private readonly review: DiffReview,
    private readonly log: vscode.LogOutputChannel,
    private readonly notifier: Notifier,
  ) {}

  get runningTaskId(): string | undefined { return this.running.value?.taskId; }

  onDidFinishTask(fn: (e: Extract<AgentEvent, { type: 'task-finished' }>) => void): IDisposable {
    this.finishedListeners.add(fn);
    return toDisposable(() => this.finishedListeners.delete(fn));
  }

  /** Shows why the model cannot run, with Download and Select actions. Returns false when it cannot. */
  async ensureModel(): Promise<boolean> {
    const state = await this.models.refresh();
    const message = this.models.unavailableReason(state);
    if (message === undefined) return true;
    this.notifier.show('error', message, {
      [l10n.t('Download Model')]: () => vscode.commands.executeCommand('qwq.downloadModel'),
      [l10n.t('Select Model…')]: () => vscode.commands.executeCommand('qwq.selectModel'),
    });
    return false;
  }

  /**
   * What must hold before a task of this kind can run: trust (for anything that writes code, since it is
   * verified by running tests) and a usable model. Explains what is missing; runs nothing.
   */
  async preflight(kind: TaskKind): Promise<boolean> {
    if (taskWritesCode(kind) && !requireTrustForTests(vscode.workspace, this.notifier, vscode.commands, describe(kind))) return false;
    return this.ensureModel();
  }

  /** Starts a task; resolves when it has finished (the panel shows it meanwhile). Returns undefined when it did not start. */
  async start(req: TaskRequest): Promise<string | undefined> {
    if (!(await this.preflight(req.kind))) return undefined;
    const folder = (req.editor && vscode.workspace.getWorkspaceFolder(req.editor.document.uri)) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      this.notifier.show('error', l10n.t("QwQ Coder needs an open folder: the edit is verified by running the folder's tests."));
      return undefined;
    }
    const file = req.editor ? toRelativePath(folder.uri, req.editor.document.uri) : undefined;
    const task: AgentTask = {
      id: newTaskId(), kind: req.kind, instruction: req.instruction, workspace: folder.uri.fsPath,
      ...(file !== undefined ? { file } : {}),
      ...(file !== undefined && req.editor ? { selection: selectionToLines(req.editor.selection) } : {}),
      ...(req.symbol ? { symbol: req.symbol } : {}),
    };
    this.running.clear(); // one task at a time: a new one cancels the old
    const abort = new AbortController();
    const files = new EditorWorkspaceFiles(folder.uri);
    const busy = this.models.beginWork();
    this.running.value = { taskId: task.id, abort, files, task, dispose: () => { abort.abort(); busy.dispose(); } };
    this.log.info(`task ${task.id}: ${task.kind}${file ? ` in ${file}` : ''}: ${task.instruction || '(no instruction)'}`);
    void vscode.commands.executeCommand('qwq.openPanel');

    let finished = false;
    const outputFilters = new Map<string, TestOutputFilter>();
    const onEvent = (e: AgentEvent): void => {
      if (e.type === 'test-output') {
        const key = e.candidateId ?? '';
        const filter = outputFilters.get(key) ?? outputFilters.set(key, new TestOutputFilter()).get(key)!;
        const text = filter.push(e.text);
        if (text !== '') this.store.dispatch({ ...e, text });
        return;
      }
      if (e.type === 'verdict') {
        const rest = outputFilters.get(e.candidateId)?.flush();
        if (rest) this.store.dispatch({ type: 'test-output', taskId: e.taskId, candidateId: e.candidateId, stream: 'stdout', text: rest });
      }
      this.store.dispatch(e);
      this.track(e, folder.uri, files, busy);
      if (e.type === 'task-finished') finished = true;
    };
    try {
      await this.agent.run({ task, files, trusted: vscode.workspace.isTrusted, signal: abort.signal, onEvent });
      if (!finished) onEvent({ type: 'task-finished', taskId: task.id, outcome: abort.signal.aborted ? 'cancelled' : 'failed', message: abort.signal.aborted ? l10n.t('Cancelled.') : l10n.t('The task ended without a result.') });
    } catch (e) {
      const message = e instanceof ModelUnavailableError ? e.message : l10n.t('The task failed: {0}', e instanceof Error ? e.message : String(e));
      this.log.error(`task ${task.id}: ${message}`);
      if (!finished) onEvent({ type: 'task-finished', taskId: task.id, outcome: abort.signal.aborted ? 'cancelled' : 'failed', message });
      if (e instanceof ModelUnavailableError) void this.ensureModel();
    } finally {
      if (this.running.value?.taskId === task.id) this.running.clear();
      else busy.dispose();
    }
    return task.id;
  }

  private track(e: AgentEvent, root: vscode.Uri, files: EditorWorkspaceFiles, busy: { report(tps: number): void }): void {
    switch (e.type) {
      case 'candidate': {
        if (e.candidate.diff.trim() === '') return;
        const { candidate, problems } = buildReview({ taskId: e.taskId, candidateId: e.candidate.id }, e.candidate.diff, e.candidate.verdict === 'verified', root, files.reads);
        for (const p of problems) this.log.warn(`review ${candidate.candidateId}: ${p}`);
        this.review.add(candidate);
        return;
      }
      case 'verdict': {
        const c = this.review.get(e);
        if (c) this.review.add({ ...c, verified: e.verdict === 'verified' });
        this.log.info(`verify: candidate ${e.candidateId} ${e.verdict}: ${e.summary}`);
        return;
      }
      case 'stats':
        busy.report(e.stats.tokensPerSecond);
        return;
      case 'phase':
        this.log.info(`${e.phase}: task ${e.taskId} round ${e.round}`);
        return;
      case 'task-finished': {
        this.lastOutcome = e;
        this.log.info(`done: task ${e.taskId} ${e.outcome}: ${e.message}`);
        for (const l of this.finishedListeners) l(e);
        if (e.best && e.best.verdict === 'verified') {
          const c = this.review.get({ taskId: e.taskId, candidateId: e.best.id });
          if (c) this.review.add({ ...c, verified: true });
        }
        return;
      }
      default:
        return;
    }
  }

  cancel(taskId?: string): boolean {
    const r = this.running.value;
    if (!r || (taskId !== undefined && r.taskId !== taskId)) return false;
    this.log.info(`task ${r.taskId}: cancelled by the user`);
    r.abort.abort();
    return true;
  }

  /** Accept from the panel or the palette: applies only a verified, unchanged candidate (or re-verifies). */
  async accept(ref: CandidateRef): Promise<boolean> {
    const outcome = await this.review.accept(ref);
    switch (outcome.kind) {
      case 'applied':
        this.store.dispatch({ type: 'candidate-resolved', ...ref, resolution: 'accepted', message: l10n.t('Applied. Undo restores the previous text in one step.') });
        return true;
      case 'not-verified':
        this.notifier.show('warning', l10n.t('QwQ Coder only applies edits that passed your tests; this one did not (or it is no longer under review).'));
        return false;
      case 'stale': {
        const why = outcome.reverified
          ? l10n.t('Verified again on the current text: {0}', outcome.reverified.summary)
          : l10n.t('The edit no longer applies to the current text.');
        const message = l10n.t('{0} changed since this edit was verified. {1} Nothing was applied.', outcome.files.join(', '), why);
        this.store.dispatch({ type: 'candidate-resolved', ...ref, resolution: 'stale', message });
        this.notifier.show('warning', message);
        return false;
      }
      case 'failed':
        this.notifier.show('error', l10n.t('The edit could not be applied: {0}', outcome.message));
        return false;
    }
  }

  async reject(ref: CandidateRef): Promise<void> {
    this.review.forget(ref);
    this.store.dispatch({ type: 'candidate-resolved', ...ref, resolution: 'rejected' });
  }

  /** Re-verification for DiffReview.accept on files that changed (the verifier runs on the current text). */
  async reverify(c: ReviewCandidate, changes: { path: string; before: string | undefined; after: string }[]): Promise<{ verified: boolean; summary: string }> {
    this.reverifications++;
    if (!vscode.workspace.isTrusted) return { verified: false, summary: l10n.t('Restricted Mode: tests cannot run.') };
    const folder = vscode.workspace.getWorkspaceFolder(c.files[0].uri);
    if (!folder) return { verified: false, summary: l10n.t('the file is outside the workspace') };
    const task: AgentTask = { id: c.taskId, kind: 'edit-selection', instruction: 're-verify', workspace: folder.uri.fsPath };
    const abort = new AbortController();
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: l10n.t('QwQ: verifying the edit again on the changed file…'), cancellable: true }, (_p, token) => {
      token.onCancellationRequested(() => abort.abort());
      return this.agent.reverify(task, new EditorWorkspaceFiles(folder.uri), changes, abort.signal);
    });
  }

  dispose(): void {
    this.running.dispose();
    this.finishedListeners.clear();
  }
}

function describe(kind: TaskKind): string {
  switch (kind) {
    case 'edit-selection': return l10n.t('Edit Selection');
    case 'fix-failing-tests': return l10n.t('Fix Failing Tests');
    case 'implement-function': return l10n.t('Implement Function');
    case 'generate-tests': return l10n.t('Generate Tests');
    case 'explain': return l10n.t('Explain Selection');
  }
}
