// `@qwq` in VS Code's chat view (docs/architecture.md, "Other agents"): a chat participant that runs the
// extension's own plan → edit → verify loop (the TaskController the palette and the panel use, so the panel shows
// the same task and the same verdict) and answers with the verdict in words, the diff, the files, and buttons to
// review the edit in the editor or open the panel. /fix, /explain and /tests mirror the palette's actions; a
// follow-up continues the thread (the previous answer's task, through TaskController.followUp).
import * as vscode from 'vscode';
import { inferTaskKind, taskWritesCode, type TaskKind } from '../../core/agent/task';
import { DisposableStore, type IDisposable } from '../../core/util/lifecycle';
import type { ContextPill, PanelState } from '../../protocol/panelState';
import { isCandidateRef, type CandidateRef } from '../../protocol/messages';
import type { TaskController } from '../tasks/taskController';
import type { ModelService } from '../model/modelService';
import { toRelativePath } from '../tasks/editorFiles';
import { manageTrustLabel } from '../trust';
import { l10n } from '../l10n';
import { COMMAND_KINDS, followUpPrompts, participantAnswer, type ParticipantAnswer, type ParticipantCommand } from './participantAnswer';

export const PARTICIPANT_ID = 'qwq-coder.qwq';
/** The "Review in Editor" button's command (registered here, not in the palette: it takes a candidate). */
export const REVIEW_COMMAND = 'qwq.chat.reviewInEditor';

/** What a finished answer remembers, so a follow-up continues the same task. */
export interface QwqChatMetadata { taskId?: string; candidateId?: string; verdict?: string; kind?: string; refused?: 'untrusted' | 'model' }

export interface ParticipantDeps {
  tasks: Pick<TaskController, 'start' | 'followUp' | 'cancel' | 'onDidFinishTask' | 'folderOf'>;
  store: { readonly state: PanelState; readonly onBatch: (listener: () => void) => IDisposable };
  models: Pick<ModelService, 'refresh' | 'unavailableReason'>;
  preview(ref: CandidateRef): Promise<unknown>;
}

/** The response stream's slice the handler writes to (a recorded fake in the integration test). */
export type AnswerStream = Pick<vscode.ChatResponseStream, 'markdown' | 'button' | 'reference' | 'progress'>;

const PHASE_WORDS: Record<string, () => string> = {
  context: () => l10n.t('Reading the code…'),
  plan: () => l10n.t('Thinking…'),
  edit: () => l10n.t('Writing the edit…'),
  verify: () => l10n.t('Running your tests on the edit in a sandboxed copy…'),
  repair: () => l10n.t('The tests disagreed; trying again…'),
};

/** The palette's default instruction for a slash command with no words of its own. */
function defaultInstruction(kind: TaskKind, symbol: string | undefined): string {
  switch (kind) {
    case 'generate-tests': return `Write tests for ${symbol ?? 'the selected code'}`;
    case 'explain': return 'Explain what the selected code does and why';
    default: return '';
  }
}

/** The longest run of backticks in the text, plus one: a fence the diff cannot close. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/** The previous answer of this participant that ran a task (the thread a follow-up continues). */
export function previousTask(history: ReadonlyArray<vscode.ChatRequestTurn | vscode.ChatResponseTurn>): QwqChatMetadata | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i] as Partial<vscode.ChatResponseTurn>;
    const meta = turn.result?.metadata as QwqChatMetadata | undefined;
    if (turn.participant === PARTICIPANT_ID && meta?.taskId) return meta;
  }
  return undefined;
}

/** Files and selections the person attached (#file, a selection) as the composer's pills. */
function pillsOf(request: Pick<vscode.ChatRequest, 'references'>): ContextPill[] | undefined {
  const pills: ContextPill[] = [];
  for (const r of request.references ?? []) {
    const v = r.value;
    const uri = v instanceof vscode.Uri ? v : v instanceof vscode.Location ? v.uri : undefined;
    if (!uri) continue;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const path = folder ? toRelativePath(folder.uri, uri) : undefined;
    if (!path) continue;
    if (v instanceof vscode.Location) pills.push({ kind: 'selection', path, startLine: v.range.start.line + 1, endLine: v.range.end.line + 1 });
    else pills.push({ kind: 'file', path });
  }
  return pills.length ? pills : undefined;
}

/** The answer into the chat: the verdict in words, the details, the diff, the files, and the buttons. */
function writeAnswer(stream: AnswerStream, answer: ParticipantAnswer, taskId: string, folder: vscode.WorkspaceFolder | undefined): void {
  if (answer.explanation) stream.markdown(answer.explanation);
  if (answer.headline) stream.markdown(`${answer.headline}\n\n`);
  if (answer.details.length) stream.markdown(`${answer.details.join('\n\n')}\n\n`);
  if (answer.diff) {
    const fence = fenceFor(answer.diff);
    stream.markdown(`${fence}diff\n${answer.diff.replace(/\n$/, '')}\n${fence}\n`);
  }
  if (folder) for (const f of answer.files) stream.reference(vscode.Uri.joinPath(folder.uri, f));
  if (answer.review && answer.candidateId) stream.button({ command: REVIEW_COMMAND, title: l10n.t('Review in Editor'), arguments: [{ taskId, candidateId: answer.candidateId } satisfies CandidateRef] });
  stream.button({ command: 'qwq.openPanel', title: l10n.t('Open QwQ Panel') });
}

/** What stops a request before anything runs (no words, Restricted Mode, no model), said in the chat. */
async function refusal(deps: ParticipantDeps, stream: AnswerStream, kind: TaskKind, empty: boolean): Promise<vscode.ChatResult | undefined> {
  if (empty) {
    stream.markdown(l10n.t('Tell me what to change, or use /fix (make the failing tests pass), /explain, or /tests. I show an edit only after your own tests passed with it.'));
    return { metadata: {} satisfies QwqChatMetadata };
  }
  // Say what is missing here, in the chat, before anything runs.
  if (taskWritesCode(kind) && !vscode.workspace.isTrusted) {
    stream.markdown(l10n.t("This workspace is in Restricted Mode: QwQ Coder never runs a workspace's tests or commands until you trust it, so it cannot verify an edit. Nothing was run."));
    stream.button({ command: 'workbench.trust.manage', title: manageTrustLabel() });
    return { metadata: { refused: 'untrusted' } satisfies QwqChatMetadata };
  }
  const why = deps.models.unavailableReason(await deps.models.refresh());
  if (why !== undefined) {
    stream.markdown(why);
    stream.button({ command: 'qwq.selectModel', title: l10n.t('Select Model…') });
    stream.button({ command: 'qwq.downloadModel', title: l10n.t('Download Model') });
    return { metadata: { refused: 'model' } satisfies QwqChatMetadata };
  }
  return undefined;
}

export function createHandler(deps: ParticipantDeps): (request: vscode.ChatRequest, context: vscode.ChatContext, stream: AnswerStream, token: vscode.CancellationToken) => Promise<vscode.ChatResult> {
  return async (request, context, stream, token) => {
    const command = request.command && request.command in COMMAND_KINDS ? (request.command as ParticipantCommand) : undefined;
    const words = request.prompt.trim();
    const previous = command ? undefined : previousTask(context.history);
    const continues = previous?.taskId !== undefined && deps.store.state.tasks.some((t) => t.taskId === previous.taskId) && words !== '';
    const kind: TaskKind = command ? COMMAND_KINDS[command] : continues ? (previous!.kind as TaskKind | undefined) ?? 'edit-selection' : inferTaskKind(words);
    const refused = await refusal(deps, stream, kind, !command && words === '');
    if (refused) return refused;

    const store = new DisposableStore();
    let shownPhase = '';
    let running: string | undefined;
    store.add(deps.store.onBatch(() => {
      const t = running ? deps.store.state.tasks.find((x) => x.taskId === running) : deps.store.state.tasks[deps.store.state.tasks.length - 1];
      if (!t || t.outcome !== 'running') return;
      running = t.taskId;
      const label = `${t.phase}:${t.round}`;
      if (label !== shownPhase && PHASE_WORDS[t.phase]) { shownPhase = label; stream.progress(PHASE_WORDS[t.phase]()); }
    }));
    store.add(token.onCancellationRequested(() => { deps.tasks.cancel(running); }));
    // The candidate the task ended with (its summary names it), so the answer is about the same candidate as the panel's.
    const bestOf = new Map<string, string | undefined>();
    store.add(deps.tasks.onDidFinishTask((e) => { bestOf.set(e.taskId, e.best?.id); }));
    let taskId: string | undefined;
    try {
      const editor = vscode.window.activeTextEditor;
      taskId = continues
        ? await deps.tasks.followUp(previous!.taskId!, words, previous!.candidateId)
        : await deps.tasks.start({ kind, instruction: words || defaultInstruction(kind, undefined), editor, pills: pillsOf(request) });
    } finally {
      store.dispose();
    }
    const task = taskId ? deps.store.state.tasks.find((t) => t.taskId === taskId) : undefined;
    if (!taskId || !task) {
      stream.markdown(l10n.t('The task did not start (see the notification).'));
      return { metadata: {} satisfies QwqChatMetadata };
    }
    const answer = participantAnswer(task, bestOf.get(taskId));
    writeAnswer(stream, answer, taskId, deps.tasks.folderOf(taskId) ?? vscode.workspace.workspaceFolders?.[0]);
    return { metadata: { taskId, candidateId: answer.candidateId, verdict: answer.verdict, kind: task.kind } satisfies QwqChatMetadata };
  };
}

export function registerParticipant(deps: ParticipantDeps, extensionUri: vscode.Uri): IDisposable & { handler: ReturnType<typeof createHandler> } {
  const store = new DisposableStore();
  const handler = createHandler(deps);
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, (request, context, stream, token) => handler(request, context, stream, token));
  store.add(participant);
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'qwq.svg');
  participant.followupProvider = {
    provideFollowups: (result) => {
      const meta = result.metadata as QwqChatMetadata | undefined;
      return meta?.taskId ? followUpPrompts(meta.verdict, meta.kind ?? '') : [];
    },
  };
  store.add(vscode.commands.registerCommand(REVIEW_COMMAND, (ref: unknown) => (isCandidateRef(ref) ? deps.preview(ref) : undefined)));
  return { handler, dispose: () => store.dispose() };
}
