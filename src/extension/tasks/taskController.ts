// Runs tasks: checks the model and trust first, turns the editor (or the composer's instruction and pills, or
// a follow-up) into an AgentTask, forwards the agent's events to the panel with test output made readable,
// and hands every candidate to the review controller, which owns what happens to it after.
import * as vscode from 'vscode';
import { Emitter, MutableDisposable, type IDisposable } from '../../core/util/lifecycle';
import { newTaskId, taskWritesCode, type AgentTask, type Attachment, type ConversationTurn, type TaskKind } from '../../core/agent/task';
import type { AgentEvent, CandidateSummary } from '../../core/agent/events';
import { unifiedDiff } from '../../core/edits/unifiedDiff';
import type { ContextPill, MentionItem } from '../../protocol/messages';
import { findCandidate, threadIdOf, threadTasks } from '../../protocol/panelState';
import type { PanelStore } from '../panelStore';
import { ModelUnavailableError, type ModelService } from '../model/modelService';
import { applyFilePatch, splitPatchByFile } from '../review/candidatePatch';
import type { CandidateReview } from '../review/candidateReview';
import { requireTrustForTests } from '../trust';
import type { Notifier } from '../notifier';
import type { AgentPort } from './agentPort';
import { EditorWorkspaceFiles, toRelativePath } from './editorFiles';
import { readableOutput, TestOutputFilter } from './testOutputFilter';
import { locateTest, testFilesOf } from './testLocations';
import { l10n } from '../l10n';
import { TaskQueue } from './taskQueue';
import { threadHistory } from './threadHistory';
import { noVerifiedEditNotice } from './notices';
import { errorMessage } from '../../core/util/errors';
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
  /** The conversation this task continues (a follow-up): its thread and earlier turns. */
  threadId?: string;
  history?: ConversationTurn[];
  /** Called once the task is accepted (it runs, or waits in the queue): the composer may clear its text then. */
  onAccepted?: () => void;
}

/** `#file:` / `#symbol:`: completions while typing, and the attached code a task gets (tasks/mentions.ts). */
export interface MentionSource {
  complete(kind: 'file' | 'symbol', query: string): Promise<MentionItem[]>;
  resolve(folder: vscode.WorkspaceFolder, pills: readonly ContextPill[], files: EditorWorkspaceFiles): Promise<Attachment[]>;
}

/** Converts an editor's selection to the core's 1-based inclusive lines (an empty selection means its line). */
export function selectionToLines(sel: Pick<vscode.Selection, 'start' | 'end' | 'isEmpty'>): { startLine: number; endLine: number } {
  const startLine = sel.start.line + 1;
  // A selection ending at column 0 of a line does not include that line.
  const endLine = !sel.isEmpty && sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line : sel.end.line + 1;
  return { startLine, endLine };
}

/**
 * Files the agent reads through a follow-up's overlay: the candidate's texts instead of the user's. The shadow
 * copy keeps the user's text, so the baseline is the user's code and the verdict covers both edits together.
 */
class OverlayFiles extends EditorWorkspaceFiles {
  constructor(folder: vscode.Uri, private readonly overlay: ReadonlyMap<string, string>) { super(folder); }
  override async read(relPath: string): Promise<string | undefined> {
    const o = this.overlay.get(relPath);
    if (o === undefined) return super.read(relPath);
    // What Accept checks against stays the user's own text: record that read, hand the agent the overlay.
    await super.read(relPath);
    return o;
  }
}

export class TaskController implements IDisposable {
  private readonly running = new MutableDisposable<Running>();
  /** One task at a time; a new one waits in line (shown in the panel as queued, cancellable), never cancels. */
  private readonly queue = new TaskQueue();
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
    readonly mentions?: MentionSource,
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
    const pillFile = req.pills?.find((p) => p.kind === 'selection' || p.kind === 'file')?.path;
    const file = req.editor && !req.pills ? toRelativePath(folder.uri, req.editor.document.uri) : pillFile;
    const selPill = req.pills?.find((p) => p.kind === 'selection' && p.path === file && p.startLine && p.endLine);
    const selection = selPill ? { startLine: selPill.startLine!, endLine: selPill.endLine! } : req.editor && !req.pills && file !== undefined ? selectionToLines(req.editor.selection) : undefined;
    // The symbol the task is about: the editor's, else one the person named when nothing else names a place.
    const symbol = req.symbol ?? (file === undefined ? req.pills?.find((p) => p.kind === 'symbol')?.symbol : undefined);
    const id = newTaskId();
    this.folders.set(id, folder);
    const title = req.title ?? req.instruction;
    // One task at a time: a new one waits for the running one, shown in the panel, and never cancels it.
    if (this.queue.busy) {
      this.store.dispatch({ type: 'task-queued', taskId: id, kind: req.kind, title: title || describe(req.kind), files: file ? [file] : [], ...(req.threadId ? { threadId: req.threadId } : {}) });
      this.log.info(`task ${id}: queued behind ${this.queue.running}`);
      this.notifier.show('info', l10n.t('QwQ: this task waits for the running one to finish. You can cancel it in the panel.'), {
        [l10n.t('Show in Panel')]: () => vscode.commands.executeCommand('qwq.openPanel'),
      });
    }
    req.onAccepted?.();
    if (!(await this.queue.turn(id))) {
      this.store.dispatch({ type: 'queue-removed', taskId: id });
      this.log.info(`task ${id}: removed from the queue`);
      return undefined;
    }
    try {
      return await this.run(req, id, folder, file, selection, symbol);
    } finally {
      this.queue.release(id);
    }
  }

  private async run(req: TaskRequest, id: string, folder: vscode.WorkspaceFolder, file: string | undefined, selection: { startLine: number; endLine: number } | undefined, symbol: string | undefined): Promise<string> {
    const files = req.overlay ? new OverlayFiles(folder.uri, req.overlay) : new EditorWorkspaceFiles(folder.uri);
    const task = await this.taskFor(req, id, folder, { file, selection, symbol }, files);
    const abort = new AbortController();
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
      if (req.overlay && next.diff.trim() !== '') next = { ...next, diff: this.diffAgainstUser(next, files, req.overlay) };
      return next;
    };
    const onEvent = (e: AgentEvent): void => {
      if (filterTestOutput(outputFilters, mapping, e, (x) => this.store.dispatch(x))) return;
      const shown: AgentEvent = e.type === 'candidate' ? { ...e, candidate: readable(e.candidate) }
        : e.type === 'task-finished' && e.best ? { ...e, best: readable(e.best) } : e;
      this.store.dispatch(shown);
      if (e.type === 'task-started' && (req.parentTaskId || req.pills)) {
        this.store.dispatch({
          type: 'task-meta', taskId: e.taskId, title: req.title ?? req.instruction, ...(req.parentTaskId ? { parentTaskId: req.parentTaskId } : {}),
          ...(req.pills ? { pills: req.pills } : {}), ...(req.threadId ? { threadId: req.threadId } : {}),
        });
      }
      this.review.onAgentEvent(shown, folder.uri, files.reads);
      if (shown.type === 'candidate' && (shown.candidate.newlyFailing?.length || shown.candidate.newlyPassing?.length)) {
        void this.locateTests(shown.taskId, [...(shown.candidate.newlyFailing ?? []), ...(shown.candidate.newlyPassing ?? [])], files);
      }
      this.track(shown, busy);
      if (e.type === 'task-finished') finished = true;
    };
    try {
      await this.agent.run({ task, files, trusted: vscode.workspace.isTrusted, signal: abort.signal, onEvent });
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

  /** The core's task: the request's place, the conversation so far, and the code the person attached. */
  private async taskFor(req: TaskRequest, id: string, folder: vscode.WorkspaceFolder, at: { file?: string; selection?: { startLine: number; endLine: number }; symbol?: string }, files: EditorWorkspaceFiles): Promise<AgentTask> {
    const { file, selection, symbol } = at;
    // What the person attached (#file:, #symbol:) goes first in the prompt; the task's own file is there anyway.
    const mentioned = (req.pills ?? []).filter((p) => (p.kind === 'file' && p.path !== file) || (p.kind === 'symbol' && p.symbol !== symbol));
    const attachments = mentioned.length && this.mentions ? await this.mentions.resolve(folder, mentioned, files).catch((e: unknown) => { this.log.warn(`could not read the attached context: ${errorMessage(e)}`); return []; }) : [];
    return {
      id, kind: req.kind, instruction: req.instruction, workspace: folder.uri.fsPath,
      ...(file !== undefined ? { file } : {}),
      ...(selection ? { selection } : {}),
      ...(symbol ? { symbol } : {}),
      ...(req.history?.length ? { history: req.history } : {}),
      ...(attachments.length ? { attachments } : {}),
      ...(req.carried?.length ? { carried: req.carried } : {}),
    };
  }

  /** A follow-up's candidate as a diff from the user's text (what was read) to the candidate's result. */
  private diffAgainstUser(c: CandidateSummary, files: EditorWorkspaceFiles, overlay: ReadonlyMap<string, string>): string {
    // The agent's diff is overlay → result; rebuild it as the user's read text → the same result.
    const changes: { path: string; before: string | undefined; after: string }[] = [];
    for (const fp of splitPatchByFile(c.diff)) {
      const user = files.reads.get(fp.path)?.text;
      const after = applyFilePatch(overlay.get(fp.path) ?? user ?? '', fp);
      if (after === undefined) return c.diff;
      changes.push({ path: fp.path, before: fp.created && user === undefined ? undefined : user ?? '', after });
    }
    // Files the earlier candidate changed and this one left alone still differ from the user's text.
    for (const [path, text] of overlay) {
      if (changes.some((ch) => ch.path === path)) continue;
      changes.push({ path, before: files.reads.get(path)?.text, after: text });
    }
    return unifiedDiff(changes.filter((ch) => ch.before !== ch.after));
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

  /**
   * Starts a task for the panel. Resolves true once it runs or waits in the queue, false when it was refused
   * (the composer then keeps the text); the task itself goes on in the background.
   */
  submit(req: TaskRequest): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      this.start({ ...req, onAccepted: () => { req.onAccepted?.(); resolve(true); } })
        .then((id) => resolve(id !== undefined), (e: unknown) => { this.log.error(`task failed to start: ${errorMessage(e)}`); resolve(false); });
    });
  }

  /**
   * The next turn of a conversation. A pending edit (`candidateId`) is refined in place: the agent reads its
   * text. Otherwise (an explanation, or an edit that was accepted, undone or rejected) the turn starts from the
   * files as they are now. Either way the earlier turns go to the model as history (final answers only).
   */
  followUp(parentTaskId: string, text: string, candidateId?: string): Promise<boolean> {
    const parent = this.store.state.tasks.find((t) => t.taskId === parentTaskId);
    if (!parent) { this.notifier.show('info', l10n.t('That conversation is no longer in the history.')); return Promise.resolve(false); }
    const threadId = threadIdOf(parent);
    const turns = threadTasks(this.store.state, threadId);
    const folder = this.folders.get(parentTaskId) ?? vscode.workspace.workspaceFolders?.[0];
    const pills = parent.pills ?? parent.files.map((f): ContextPill => ({ kind: 'file', path: f }));
    const base = { title: text, pills, parentTaskId, threadId, folder };
    if (parent.kind === 'explain') {
      return this.submit({ ...base, kind: 'explain', instruction: text, history: threadHistory(turns) });
    }
    const c = candidateId ? findCandidate(this.store.state, parentTaskId, candidateId) : undefined;
    const review = candidateId ? this.review.get({ taskId: parentTaskId, candidateId }) : undefined;
    // Only a pending edit still under review is refined from its own text; anything else continues from the files.
    const refine = c && review && c.resolution === undefined ? review : undefined;
    const parentKind = review?.task && review.task.kind !== 'explain' ? review.task.kind : parent.kind === 'explain' ? 'edit-selection' : parent.kind as TaskKind;
    const history = threadHistory(turns, refine ? candidateId : undefined);
    if (!refine) return this.submit({ ...base, kind: parentKind, instruction: text, history, ...(review?.task?.symbol ? { symbol: review.task.symbol } : {}) });
    const overlay = new Map(refine.files.map((f) => [f.path, f.after]));
    // The refinement is held to the task the candidate was written for (a fix keeps fixing), and verified with
    // the candidate's own changes: the user's text is the baseline, as for the first attempt.
    const carried = refine.files.map((f) => ({ path: f.path, before: f.created ? undefined : f.base.text, after: f.after, ...(f.deleted ? { deleted: true } : {}) }));
    return this.submit({ ...base, kind: parentKind, symbol: refine.task?.symbol, instruction: text, history, overlay, carried });
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
          this.notifier.show('warning', noVerifiedEditNotice(e), {
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
    // A queued task leaves the line; the running one goes on.
    if (taskId !== undefined && this.queue.cancel(taskId)) { this.log.info(`task ${taskId}: cancelled while queued`); return true; }
    const r = this.running.value;
    if (!r || (taskId !== undefined && r.taskId !== taskId)) return false;
    this.log.info(`task ${r.taskId}: cancelled by the user`);
    r.abort.abort();
    return true;
  }

  dispose(): void {
    this.queue.clear();
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
function describe(kind: TaskKind): string {
  switch (kind) {
    case 'edit-selection': return l10n.t('Edit Selection');
    case 'fix-failing-tests': return l10n.t('Fix Failing Tests');
    case 'implement-function': return l10n.t('Implement Function');
    case 'generate-tests': return l10n.t('Generate Tests');
    case 'explain': return l10n.t('Explain Selection');
  }
}
