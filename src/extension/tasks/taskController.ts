// Runs tasks: checks the model and trust first, turns the editor (or the composer's instruction and pills, or
// a follow-up) into an AgentTask, forwards the agent's events to the panel with test output made readable,
// and hands every candidate to the review controller, which owns what happens to it after.
import * as vscode from 'vscode';
import { Emitter, MutableDisposable, type IDisposable } from '../../core/util';
import { newTaskId, taskWritesCode, type AgentTask, type TaskKind } from '../../core/agent';
import type { AgentEvent, CandidateSummary } from '../../core/agent';
import { diffAgainstUser } from '../../core/agent';
import type { ContextPill } from '../../protocol';
import { findCandidate, type TaskView } from '../../protocol';
import type { PanelStore } from '../panelStore';
import { ModelUnavailableError, type ModelService } from '../model/modelService';
import type { CandidateReview } from '../review/candidateReview';
import { requireTrustForTests } from '../trust';
import type { Notifier } from '../notifier';
import type { AgentPort } from './agentPort';
import { EditorWorkspaceFiles, toRelativePath } from './editorFiles';
import { readableOutput, TestOutputFilter } from './testOutputFilter';
import { locateTest, testFilesOf } from './testLocations';
import { l10n } from '../l10n';
import { errorMessage } from '../../core/util';
import type { FileChange } from '../../core/edits/types';

interface Running extends IDisposable { taskId: string; abort: AbortController; files: EditorWorkspaceFiles; task: AgentTask }

type Finished = Extract<AgentEvent, { type: 'task-finished' }>;

export interface TaskRequest {
  kind: TaskKind;
  instruction: string;
  editor?: vscode.TextEditor;
  symbol?: string;
  /** The composer's context (files, selection, symbols); the editor's own selection when absent. */
  pills?: ContextPill[];
  /** A follow-up: the task it continues, and texts to start from (a candidate's files). */
  parentTaskId?: string;
  overlay?: ReadonlyMap<string, string>;
  folder?: vscode.WorkspaceFolder;
  /** The title the panel shows when the instruction says more than the person typed (follow-ups). */
  title?: string;
  /** A follow-up of an edit: that candidate's changes against the user's text (verified with the new edit). */
  carried?: FileChange[];
}

/** Converts an editor's selection to the core's 1-based inclusive lines (an empty selection means its line). */
export function selectionToLines(sel: Pick<vscode.Selection, 'start' | 'end' | 'isEmpty'>): { startLine: number; endLine: number } {
  const startLine = sel.start.line + 1;
  // A selection ending at column 0 of a line does not include that line.
  const endLine = !sel.isEmpty && sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line : sel.end.line + 1;
  return { startLine, endLine };
}

/**
 * The instruction of a follow-up: the conversation so far in plain words, then the new request. The agent sees
 * the earlier edit already applied to the files it reads (an overlay), so it refines that edit.
 */
export function followUpInstruction(parent: Pick<TaskView, 'instruction' | 'kind' | 'explanation' | 'plan' | 'title'>, text: string, candidateDiff?: string): string {
  const parts = [`Earlier request: ${parent.title ?? (parent.instruction || parent.kind)}`];
  if (parent.kind === 'explain' && parent.explanation) parts.push(`Your explanation:\n${parent.explanation.slice(0, 4000)}`);
  if (candidateDiff) parts.push(`Your edit for it is already applied to the files you see (this diff):\n${candidateDiff.slice(0, 4000)}`);
  parts.push(`Follow-up: ${text}`);
  return parts.join('\n\n');
}

export class TaskController implements IDisposable {
  private readonly running = new MutableDisposable<Running>();
  private readonly finished = new Emitter<Finished>();
  /** Fires once per task, after the panel has its outcome. */
  readonly onDidFinishTask = this.finished.event;
  /** Each task's workspace folder, so a link in its output opens the right folder's file (multi-root). */
  private readonly folders = new Map<string, vscode.WorkspaceFolder>();

  constructor(
    private readonly agent: AgentPort,
    private readonly store: PanelStore,
    private readonly models: ModelService,
    private readonly review: CandidateReview,
    private readonly log: vscode.LogOutputChannel,
    private readonly notifier: Notifier,
  ) {}

  get runningTaskId(): string | undefined { return this.running.value?.taskId; }

  folderOf(taskId: string | undefined): vscode.WorkspaceFolder | undefined {
    return taskId ? this.folders.get(taskId) : undefined;
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

  /** The folder a task runs in: the editor's, the pills' file's, else the only one, else the one the user picks. */
  private async folderFor(req: TaskRequest): Promise<vscode.WorkspaceFolder | undefined> {
    if (req.folder) return req.folder;
    if (req.editor) { const f = vscode.workspace.getWorkspaceFolder(req.editor.document.uri); if (f) return f; }
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length <= 1) return folders[0];
    const named = req.pills?.find((p) => p.path)?.path;
    if (named) {
      // In a multi-root workspace the composer's paths are relative to one of the folders: find the one that has it.
      for (const f of folders) {
        try { await vscode.workspace.fs.stat(vscode.Uri.joinPath(f.uri, named)); return f; } catch { /* not in this folder */ }
      }
    }
    return vscode.window.showWorkspaceFolderPick({ placeHolder: l10n.t('Which folder should QwQ Coder work in? Its tests verify the edit.') });
  }

  /** Starts a task; resolves when it has finished (the panel shows it meanwhile). Returns undefined when it did not start. */
  async start(req: TaskRequest): Promise<string | undefined> {
    if (!(await this.preflight(req.kind))) return undefined;
    const folder = await this.folderFor(req);
    if (!folder) {
      this.notifier.show('error', l10n.t("QwQ Coder needs an open folder: the edit is verified by running the folder's tests."));
      return undefined;
    }
    const task = taskFor(req, folder);
    const file = task.file;
    this.running.clear(); // one task at a time: a new one cancels the old
    this.folders.set(task.id, folder);
    const abort = new AbortController();
    const files = new EditorWorkspaceFiles(folder.uri);
    const busy = this.models.beginWork();
    this.running.value = { taskId: task.id, abort, files, task, dispose: () => { abort.abort(); busy.dispose(); } };
    this.log.info(`task ${task.id}: ${task.kind}${file ? ` in ${file}` : ''}: ${req.instruction || '(no instruction)'}`);
    void vscode.commands.executeCommand('qwq.openPanel');

    let finished = false;
    const mapping = { roots: [folder.uri.fsPath] };
    const outputFilters = new Map<string, TestOutputFilter>();
    const readable = (c: CandidateSummary): CandidateSummary => {
      let next = c.failureOutput ? { ...c, failureOutput: readableOutput(c.failureOutput, mapping) } : c;
      // A follow-up's diff is against the earlier candidate's text: show and review it against the user's own.
      if (req.overlay && next.diff.trim() !== '') next = { ...next, diff: diffAgainstUser(next.diff, (path) => files.reads.get(path)?.text, req.overlay) };
      return next;
    };
    const onEvent = (e: AgentEvent): void => {
      if (filterTestOutput(outputFilters, mapping, e, (x) => this.store.dispatch(x))) return;
      const shown: AgentEvent = e.type === 'candidate' ? { ...e, candidate: readable(e.candidate) }
        : e.type === 'task-finished' && e.best ? { ...e, best: readable(e.best) } : e;
      this.store.dispatch(shown);
      if (e.type === 'task-started' && (req.parentTaskId || req.pills)) {
        this.store.dispatch({ type: 'task-meta', taskId: e.taskId, title: req.title ?? req.instruction, ...(req.parentTaskId ? { parentTaskId: req.parentTaskId } : {}), ...(req.pills ? { pills: req.pills } : {}) });
      }
      this.review.onAgentEvent(shown, folder.uri, files.reads);
      if (shown.type === 'candidate' && (shown.candidate.newlyFailing?.length || shown.candidate.newlyPassing?.length)) {
        void this.locateTests(shown.taskId, [...(shown.candidate.newlyFailing ?? []), ...(shown.candidate.newlyPassing ?? [])], files);
      }
      this.track(shown, busy);
      if (e.type === 'task-finished') finished = true;
    };
    try {
      await this.agent.run({ task, files, trusted: vscode.workspace.isTrusted, signal: abort.signal, onEvent, ...(req.overlay ? { overlay: req.overlay } : {}) });
      if (!finished) onEvent({ type: 'task-finished', taskId: task.id, outcome: abort.signal.aborted ? 'cancelled' : 'failed', message: abort.signal.aborted ? l10n.t('Cancelled.') : l10n.t('The task ended without a result.') });
    } catch (e) {
      const message = e instanceof ModelUnavailableError ? e.message : l10n.t('The task failed: {0}', errorMessage(e));
      this.log.error(`task ${task.id}: ${message}`);
      if (!finished) {
        // The panel shows a task only once it started: a failure before that still gets its own entry.
        if (!this.store.state.tasks.some((t) => t.taskId === task.id)) this.store.dispatch({ type: 'task-started', taskId: task.id, kind: task.kind, instruction: req.instruction, files: file ? [file] : [] });
        onEvent({ type: 'task-finished', taskId: task.id, outcome: abort.signal.aborted ? 'cancelled' : 'failed', message });
      }
      if (e instanceof ModelUnavailableError) void this.ensureModel();
    } finally {
      if (this.running.value?.taskId === task.id) this.running.clear();
      else busy.dispose();
    }
    return task.id;
  }

  /** Finds where the named tests are defined (the user's own test files) and tells the panel, for links. */
  private async locateTests(taskId: string, ids: string[], files: EditorWorkspaceFiles): Promise<void> {
    try {
      const known = this.store.state.tasks.find((t) => t.taskId === taskId)?.testLocations ?? {};
      const wanted = ids.filter((id) => !(id in known));
      if (wanted.length === 0) return;
      const texts: { path: string; text: string }[] = [];
      for (const path of testFilesOf(await files.list())) {
        const text = await files.read(path);
        if (text !== undefined) texts.push({ path, text });
      }
      const locations: Record<string, { path: string; line: number }> = {};
      for (const id of wanted) { const at = locateTest(id, texts); if (at) locations[id] = at; }
      if (Object.keys(locations).length) this.store.dispatch({ type: 'test-locations', taskId, locations });
    } catch (e) {
      this.log.warn(`could not locate tests: ${errorMessage(e)}`);
    }
  }

  /** A follow-up: refine a candidate (a new round from its text and the conversation) or continue an explanation. */
  async followUp(parentTaskId: string, text: string, candidateId?: string): Promise<string | undefined> {
    const parent = this.store.state.tasks.find((t) => t.taskId === parentTaskId);
    if (!parent) { this.notifier.show('info', l10n.t('That task is no longer in the history.')); return undefined; }
    const folder = this.folders.get(parentTaskId) ?? vscode.workspace.workspaceFolders?.[0];
    const pills = parent.pills ?? parent.files.map((f): ContextPill => ({ kind: 'file', path: f }));
    if (parent.kind === 'explain' || candidateId === undefined) {
      return this.start({ kind: 'explain', instruction: followUpInstruction(parent, text), title: text, pills, parentTaskId, folder });
    }
    const c = findCandidate(this.store.state, parentTaskId, candidateId);
    const review = this.review.get({ taskId: parentTaskId, candidateId });
    if (!c || !review) { this.notifier.show('info', l10n.t('This edit is no longer under review, so it cannot be refined. Start a new instruction instead.')); return undefined; }
    const overlay = new Map(review.files.map((f) => [f.path, f.after]));
    // The refinement is held to the task the candidate was written for (a fix keeps fixing), and verified with
    // the candidate's own changes: the user's text is the baseline, as for the first attempt.
    const carried = review.files.map((f) => ({ path: f.path, before: f.created ? undefined : f.base.text, after: f.after, ...(f.deleted ? { deleted: true } : {}) }));
    const kind = review.task && review.task.kind !== 'explain' ? review.task.kind : 'edit-selection';
    return this.start({ kind, symbol: review.task?.symbol, instruction: followUpInstruction(parent, text, c.diff), title: text, pills, parentTaskId, overlay, folder, carried });
  }

  private track(e: AgentEvent, busy: { report(tps: number): void }): void {
    switch (e.type) {
      case 'verdict':
        this.log.info(`verify: candidate ${e.candidateId} ${e.verdict}: ${e.summary}`);
        return;
      case 'stats':
        busy.report(e.stats.tokensPerSecond);
        if (e.stats.predictions) this.log.info(`${e.call ?? 'model'}: ${e.stats.completionTokens} tokens at ${e.stats.tokensPerSecond.toFixed(1)} tok/s; speculative predictions ${e.stats.predictions.validated} validated, ${e.stats.predictions.refuted} refuted`);
        return;
      case 'phase':
        this.log.info(`${e.phase}: task ${e.taskId} round ${e.round}`);
        return;
      case 'task-finished': {
        this.log.info(`done: task ${e.taskId} ${e.outcome}: ${e.message}`);
        const kind = this.store.state.tasks.find((t) => t.taskId === e.taskId)?.kind;
        const short = e.message.split('\n')[0].slice(0, 160);
        if (e.outcome === 'failed') {
          // A failed task says so where the user is looking, with the way to the details.
          this.notifier.show('error', l10n.t('QwQ task failed: {0}', short), {
            [l10n.t('Show in Panel')]: () => vscode.commands.executeCommand('qwq.openPanel'),
            [l10n.t('Show Log')]: () => vscode.commands.executeCommand('qwq.showLog'),
          });
        } else if ((e.outcome === 'no-edit' || e.outcome === 'unverified') && kind !== undefined && kind !== 'explain') {
          this.notifier.show('warning', l10n.t('QwQ found no verified edit: {0}', short.replace(/^no verified edit:\s*/i, '')), {
            [l10n.t('Show in Panel')]: () => vscode.commands.executeCommand('qwq.openPanel'),
          });
        }
        this.finished.fire(e);
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

  dispose(): void {
    this.running.dispose();
    this.finished.dispose();
  }
}

/**
 * Test output made readable per candidate (paths mapped to the user's files), dispatched as it comes; a
 * verdict flushes what its candidate's filter still holds. Returns true when the event was test output.
 */
function filterTestOutput(filters: Map<string, TestOutputFilter>, mapping: { roots: string[] }, e: AgentEvent, dispatch: (e: AgentEvent) => void): boolean {
  if (e.type === 'test-output') {
    const key = e.candidateId ?? '';
    const filter = filters.get(key) ?? filters.set(key, new TestOutputFilter(mapping)).get(key)!;
    const text = filter.push(e.text);
    if (text !== '') dispatch({ ...e, text });
    return true;
  }
  if (e.type === 'verdict') {
    const rest = filters.get(e.candidateId)?.flush();
    if (rest) dispatch({ type: 'test-output', taskId: e.taskId, candidateId: e.candidateId, stream: 'stdout', text: rest });
  }
  return false;
}

/** The core's task for a request: the editor's file and selection, or the composer's pills. */
function taskFor(req: TaskRequest, folder: vscode.WorkspaceFolder): AgentTask {
  const pillFile = req.pills?.find((p) => p.kind === 'selection' || p.kind === 'file')?.path;
  const file = req.editor && !req.pills ? toRelativePath(folder.uri, req.editor.document.uri) : pillFile;
  const selPill = req.pills?.find((p) => p.kind === 'selection' && p.path === file && p.startLine && p.endLine);
  const selection = selPill ? { startLine: selPill.startLine!, endLine: selPill.endLine! } : req.editor && !req.pills && file !== undefined ? selectionToLines(req.editor.selection) : undefined;
  const symbol = req.symbol ?? req.pills?.find((p) => p.kind === 'symbol')?.symbol;
  const extraFiles = (req.pills ?? []).filter((p) => p.kind === 'file' && p.path && p.path !== file).map((p) => p.path!);
  const instruction = extraFiles.length ? `${req.instruction}\n\nAlso look at: ${extraFiles.join(', ')}` : req.instruction;
  return {
    id: newTaskId(), kind: req.kind, instruction, workspace: folder.uri.fsPath,
    ...(file !== undefined ? { file } : {}),
    ...(selection ? { selection } : {}),
    ...(symbol ? { symbol } : {}),
    ...(req.carried?.length ? { carried: req.carried } : {}),
  };
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
