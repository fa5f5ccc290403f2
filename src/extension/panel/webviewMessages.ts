// What the panel's webview may send, and what the extension does with each. The webview is untrusted input (a
// compromised page, or a stale one after an update): every message is parsed against its definition first
// (src/protocol/messages.ts), and one that fails is logged and dropped whole, never half-handled. Then one
// handler per message, a table the compiler holds complete. No `vscode` here, so node:test runs it as it is.
import { errorMessage } from '../../core/util';
import {
  create, dispatch, MentionsToWebview, parse, SnapshotToWebview, StateToWebview, SubmitResultToWebview, TO_EXTENSION,
  type CandidateRef, type ContextPill, type MentionItem, type MessageHandlers, type PanelCommand, type PanelSnapshot, type PanelState, type ToWebview,
} from '../../protocol';

/** What the panel's buttons do; the panel itself decides nothing (Accept re-checks everything). */
export interface PanelActions {
  accept(ref: CandidateRef): Promise<void>;
  reject(ref: CandidateRef): Promise<void>;
  openDiff(ref: CandidateRef, file?: string): Promise<void>;
  preview(ref: CandidateRef): Promise<void>;
  applyUnverified(ref: CandidateRef): Promise<void>;
  /** Resolves true once the task runs or waits in the queue; false when it was refused (the text is kept). */
  submit(instruction: string, kind: 'edit-selection' | 'explain', pills: ContextPill[]): Promise<boolean>;
  followUp(taskId: string, text: string, candidateId?: string): Promise<boolean>;
  /** Completions for `#file:` (workspace files) or `#symbol:` (the symbol index). */
  completeMention(kind: 'file' | 'symbol', query: string): Promise<MentionItem[]>;
  removeTask(taskId: string): void;
  openLocation(path: string, line: number, taskId?: string): Promise<void>;
  cancel(taskId: string): void;
  clearHistory(): void;
}

export interface WebviewMessageDeps {
  actions: PanelActions;
  post(msg: ToWebview): void;
  snapshot(): PanelSnapshot;
  /** The whole task history, with any batched events flushed into it first. */
  state(): PanelState;
  /** Runs a palette command (the list of those a panel may ask for is closed: PANEL_COMMANDS). */
  runCommand(command: PanelCommand): void;
  log: { error(message: string): void };
}

export type WebviewHandlers = MessageHandlers<typeof TO_EXTENSION, Promise<void> | void>;

/** The limits on what the person typed: the webview's own are not to be relied on. */
const MAX_TEXT = 8000;
const MAX_PILLS = 20;
const MAX_QUERY = 200;
const MAX_ITEMS = 50;
const MAX_REQUEST_ID = 100;

/** One handler per message the webview may send; the payloads are parsed already, lengths are capped here. */
export function webviewHandlers(d: WebviewMessageDeps): WebviewHandlers {
  const { actions } = d;
  /** Tells the composer whether its text became a task; an error is a refusal too (the text stays). */
  const answer = (requestId: string | undefined, started: Promise<boolean>): void => {
    const reply = (ok: boolean): void => { if (requestId !== undefined) d.post(create(SubmitResultToWebview, { requestId: requestId.slice(0, MAX_REQUEST_ID), started: ok })); };
    started.then(reply, (e) => { d.log.error(`panel action failed: ${errorMessage(e)}`); reply(false); });
  };
  return {
    ready: () => {
      const state = d.state(); // flushed first: anything pending is in the state we send
      d.post(create(SnapshotToWebview, d.snapshot()));
      d.post(create(StateToWebview, { state }));
    },
    runCommand: ({ command }) => d.runCommand(command),
    acceptCandidate: (ref) => actions.accept(ref),
    rejectCandidate: (ref) => actions.reject(ref),
    openDiff: ({ file, ...ref }) => actions.openDiff(ref, file),
    previewCandidate: (ref) => actions.preview(ref),
    applyUnverified: (ref) => actions.applyUnverified(ref),
    submit: ({ instruction, kind, pills, requestId }) => {
      answer(requestId, actions.submit(instruction.trim().slice(0, MAX_TEXT), kind ?? 'edit-selection', pills.slice(0, MAX_PILLS)));
    },
    followUp: ({ taskId, text, candidateId, requestId }) => {
      answer(requestId, actions.followUp(taskId, text.trim().slice(0, MAX_TEXT), candidateId));
    },
    completeMention: async ({ requestId, kind, query }) => {
      const capped = query.slice(0, MAX_QUERY);
      const items = await actions.completeMention(kind, capped);
      d.post(create(MentionsToWebview, { requestId, kind, query: capped, items: items.slice(0, MAX_ITEMS) }));
    },
    removeTask: ({ taskId }) => actions.removeTask(taskId),
    openLocation: ({ path, line, taskId }) => actions.openLocation(path, line, taskId),
    cancelTask: ({ taskId }) => actions.cancel(taskId),
    clearHistory: () => actions.clearHistory(),
  };
}

/** Parses one message from the webview and runs its handler; a message that fails, or a handler that throws, is logged. */
export function receiveFromWebview(msg: unknown, handlers: WebviewHandlers, log: WebviewMessageDeps['log']): void {
  const parsed = parse(TO_EXTENSION, msg);
  if (!parsed.ok) {
    log.error(`panel: dropped a message from the webview: ${parsed.error}`);
    return;
  }
  const failed = (e: unknown): void => log.error(`panel action failed: ${errorMessage(e)}`);
  try {
    Promise.resolve(dispatch(handlers, parsed.message)).catch(failed);
  } catch (e) {
    failed(e);
  }
}
