// Typed messages between the extension (adapter) and the reasoning-panel webview.
// One definition per message; the direction is in the name (…ToWebview / …ToExtension), after GitLens'
// IpcNotification/IpcCommand and rust-analyzer's lsp_ext.ts. Comments on fields say why the field exists.

/** A message type: its `type` tag plus a typed payload. */
export interface MessageType<Tag extends string, Payload> {
  readonly type: Tag;
  /** Phantom field: carries the payload type for `is()` and `create()`; never set at run time. */
  readonly _payload?: Payload;
}

export function defineMessage<Payload>() {
  return <Tag extends string>(type: Tag): MessageType<Tag, Payload> => ({ type });
}

export type Message<M> = M extends MessageType<infer Tag, infer P> ? { type: Tag; payload: P } : never;

export function create<Tag extends string, P>(m: MessageType<Tag, P>, payload: P): { type: Tag; payload: P } {
  return { type: m.type, payload };
}

export function is<Tag extends string, P>(m: MessageType<Tag, P>, msg: unknown): msg is { type: Tag; payload: P } {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === m.type;
}

// ---- shared shapes ----

import type { ContextPill, PanelEvent, PanelState } from './panelState';
export type { ContextPill, PanelEvent, PanelState };

/** The active editor, for the composer's pills: its file, the selection and the word under the cursor. */
export interface EditorContext {
  file: string;
  /** 1-based inclusive lines; absent for an empty selection. */
  selection?: { startLine: number; endLine: number };
  symbol?: string;
}

export type ModelState =
  | { kind: 'not-configured' }
  | { kind: 'not-downloaded'; model: string }
  | { kind: 'missing-file'; model: string }
  /** Configured and on disk, not loaded yet: it loads on first use, so memory is not spent before. */
  | { kind: 'unloaded'; model: string }
  | { kind: 'downloading'; model: string; percent: number }
  | { kind: 'loading'; model: string }
  | { kind: 'ready'; model: string }
  | { kind: 'busy'; model: string; tokensPerSecond?: number }
  /** `retry: 'download'`: a download of `model` stopped, and downloading it again is the way on. */
  | { kind: 'error'; model?: string; message: string; retry?: 'download' };

export interface PanelSnapshot {
  /** Lets the webview show where the extension is even before any task ran. */
  model: ModelState;
  /** Restricted Mode: the panel explains why tests will not run instead of offering to verify. */
  trusted: boolean;
  /** Version of the extension that rendered the snapshot, shown in the panel footer. */
  version: string;
  /** What the composer offers as context pills; absent when no file editor is active. */
  editor?: EditorContext;
  /** The loaded l10n bundle (vscode.l10n.bundle): the webview translates its own strings with it. */
  l10n?: Record<string, string>;
}

/** The palette commands a panel button may ask for; a closed list, so the webview cannot run arbitrary commands. */
export type PanelCommand =
  | 'qwq.showLog' | 'qwq.openPanel' | 'qwq.downloadModel' | 'qwq.selectModel' | 'qwq.editSelection'
  | 'qwq.fixFailingTests' | 'qwq.implementFunction' | 'qwq.generateTests' | 'workbench.trust.manage';

export const PANEL_COMMANDS: readonly PanelCommand[] = [
  'qwq.showLog', 'qwq.openPanel', 'qwq.downloadModel', 'qwq.selectModel', 'qwq.editSelection', 'qwq.fixFailingTests',
  'qwq.implementFunction', 'qwq.generateTests', 'workbench.trust.manage',
];

/** Validates the composer's pills (untrusted input from the webview). */
export function isPills(p: unknown): p is ContextPill[] {
  return Array.isArray(p) && p.every((x) => typeof x === 'object' && x !== null && ['file', 'selection', 'symbol'].includes((x as ContextPill).kind)
    && ((x as ContextPill).path === undefined || typeof (x as ContextPill).path === 'string')
    && ((x as ContextPill).symbol === undefined || typeof (x as ContextPill).symbol === 'string'));
}

/**
 * Reads `#file:path` and `#symbol:name` out of an instruction: they become pills, the rest is the instruction.
 * Pure; the webview calls it on submit.
 */
export function parseMentions(text: string): { instruction: string; pills: ContextPill[] } {
  const pills: ContextPill[] = [];
  const instruction = text.replace(/(^|\s)#(file|symbol):(\S+)/g, (_m, pre: string, kind: string, value: string) => {
    pills.push(kind === 'file' ? { kind: 'file', path: value } : { kind: 'symbol', symbol: value });
    return pre;
  }).replace(/\s{2,}/g, ' ').trim();
  return { instruction, pills };
}

/** A completion for `#file:` or `#symbol:` in the composer: the value inserted, and where it is (a symbol's file). */
export interface MentionItem { value: string; detail?: string; path?: string }

/** The `#file:` or `#symbol:` being typed at the caret: what kind, the text typed so far, and where it starts. */
export function mentionAt(text: string, caret: number): { kind: 'file' | 'symbol'; query: string; start: number } | undefined {
  const m = /(^|\s)#(file|symbol):(\S*)$/.exec(text.slice(0, caret));
  if (!m) return undefined;
  return { kind: m[2] as 'file' | 'symbol', query: m[3], start: m.index + m[1].length };
}

/** Replaces the mention being typed at the caret by nothing: the chosen item becomes a pill instead. */
export function removeMentionAt(text: string, caret: number): { text: string; caret: number } {
  const at = mentionAt(text, caret);
  if (!at) return { text, caret };
  const before = text.slice(0, at.start).replace(/\s+$/, '');
  const after = text.slice(caret).replace(/^\s+/, '');
  const joined = before && after ? `${before} ${after}` : before || after;
  return { text: joined, caret: before ? before.length + (after ? 1 : 0) : 0 };
}

/** Identifies one candidate edit across the two sides. */
export interface CandidateRef {
  taskId: string;
  candidateId: string;
}

// ---- extension → webview ----

/**
 * The answer to a submit or a follow-up: `started` is true once the task runs or waits in the queue. The composer
 * keeps the typed text until then, so a refusal (no model, Restricted Mode, no folder) or an error loses nothing.
 */
export const SubmitResultToWebview = defineMessage<{ requestId: string; started: boolean }>()('submitResult');

/** Completions for the `#file:` / `#symbol:` being typed (answers CompleteMentionToExtension). */
export const MentionsToWebview = defineMessage<{ requestId: string; kind: 'file' | 'symbol'; query: string; items: MentionItem[] }>()('mentions');

/** Model state, trust and version, sent on ready and whenever one of them changes. */
export const SnapshotToWebview = defineMessage<PanelSnapshot>()('snapshot');

/**
 * The whole task history, sent when the webview (re)connects. The extension owns the authoritative copy,
 * because events that arrive while the view is hidden would otherwise be lost.
 */
export const StateToWebview = defineMessage<{ state: PanelState }>()('state');

/**
 * New events in order, batched (thought tokens arrive one by one; one message per token would flood the
 * webview). The webview applies them with the same reducer as the extension, so both copies agree.
 */
export const EventsToWebview = defineMessage<{ events: PanelEvent[] }>()('events');

// ---- webview → extension ----

/** Sent once the webview script has loaded, so the extension knows it can post. */
export const ReadyToExtension = defineMessage<Record<string, never>>()('ready');

/** A button in the panel that maps to a palette command (the panel never runs anything by itself). */
export const RunCommandToExtension = defineMessage<{ command: PanelCommand }>()('runCommand');

/** Accept: the extension re-checks that the candidate is verified and the documents unchanged before applying. */
export const AcceptCandidateToExtension = defineMessage<CandidateRef>()('acceptCandidate');

export const RejectCandidateToExtension = defineMessage<CandidateRef>()('rejectCandidate');

/** Opens vscode.diff for one file of a candidate; `file` absent means the first file (multi-file review goes file by file). */
export const OpenDiffToExtension = defineMessage<CandidateRef & { file?: string }>()('openDiff');

/** A context item was clicked: workspace-relative path and 1-based line, as the context engine reports them. */
export const OpenLocationToExtension = defineMessage<{ path: string; line: number; taskId?: string }>()('openLocation');

/** Opens the candidate as a preview in the editor (decorations, per-hunk and per-file Accept/Reject). */
export const PreviewCandidateToExtension = defineMessage<CandidateRef>()('previewCandidate');

/** "Apply unverified…": the extension asks again in a modal that says why the edit is not verified. */
export const ApplyUnverifiedToExtension = defineMessage<CandidateRef>()('applyUnverified');

/** The composer: an instruction with its context pills; `kind` absent means an edit (Explain has its own button). */
export const SubmitToExtension = defineMessage<{ instruction: string; kind?: 'edit-selection' | 'explain'; pills: ContextPill[]; requestId?: string }>()('submit');

/**
 * A follow-up in a thread's box: the next turn of the conversation. With `candidateId` it refines that pending
 * edit (the agent reads its text); without, it continues from the files as they are.
 */
export const FollowUpToExtension = defineMessage<{ taskId: string; candidateId?: string; text: string; requestId?: string }>()('followUp');

/** The composer asks for completions of a `#file:` or `#symbol:` being typed. */
export const CompleteMentionToExtension = defineMessage<{ requestId: string; kind: 'file' | 'symbol'; query: string }>()('completeMention');

/** Removes one finished task from the history. */
export const RemoveTaskToExtension = defineMessage<{ taskId: string }>()('removeTask');

/** Cancels a running task (the panel's Cancel button); the task id guards against cancelling a newer task. */
export const CancelTaskToExtension = defineMessage<{ taskId: string }>()('cancelTask');

export const ClearHistoryToExtension = defineMessage<Record<string, never>>()('clearHistory');

export type ToWebview = Message<typeof SnapshotToWebview> | Message<typeof StateToWebview> | Message<typeof EventsToWebview>
  | Message<typeof SubmitResultToWebview> | Message<typeof MentionsToWebview>;
export type ToExtension =
  | Message<typeof ReadyToExtension>
  | Message<typeof RunCommandToExtension>
  | Message<typeof AcceptCandidateToExtension>
  | Message<typeof RejectCandidateToExtension>
  | Message<typeof OpenDiffToExtension>
  | Message<typeof OpenLocationToExtension>
  | Message<typeof CancelTaskToExtension>
  | Message<typeof ClearHistoryToExtension>
  | Message<typeof PreviewCandidateToExtension>
  | Message<typeof ApplyUnverifiedToExtension>
  | Message<typeof SubmitToExtension>
  | Message<typeof FollowUpToExtension>
  | Message<typeof RemoveTaskToExtension>
  | Message<typeof CompleteMentionToExtension>;

/** Validates a candidate reference from the webview (untrusted input: it is a browser page). */
export function isCandidateRef(p: unknown): p is CandidateRef {
  const r = p as CandidateRef | undefined;
  return typeof r === 'object' && r !== null && typeof r.taskId === 'string' && typeof r.candidateId === 'string';
}
