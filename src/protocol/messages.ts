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

import type { PanelEvent, PanelState } from './panelState';
export type { PanelEvent, PanelState };

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
  | { kind: 'error'; model?: string; message: string };

export interface PanelSnapshot {
  /** Lets the webview show where the extension is even before any task ran. */
  model: ModelState;
  /** Restricted Mode: the panel explains why tests will not run instead of offering to verify. */
  trusted: boolean;
  /** Version of the extension that rendered the snapshot, shown in the panel footer. */
  version: string;
}

/** The palette commands a panel button may ask for; a closed list, so the webview cannot run arbitrary commands. */
export type PanelCommand =
  | 'qwq.showLog' | 'qwq.openPanel' | 'qwq.downloadModel' | 'qwq.selectModel' | 'qwq.editSelection'
  | 'qwq.fixFailingTests' | 'workbench.trust.manage';

export const PANEL_COMMANDS: readonly PanelCommand[] = [
  'qwq.showLog', 'qwq.openPanel', 'qwq.downloadModel', 'qwq.selectModel', 'qwq.editSelection', 'qwq.fixFailingTests', 'workbench.trust.manage',
];

/** Identifies one candidate edit across the two sides. */
export interface CandidateRef {
  taskId: string;
  candidateId: string;
}

// ---- extension → webview ----

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
export const OpenLocationToExtension = defineMessage<{ path: string; line: number }>()('openLocation');

/** Cancels a running task (the panel's Cancel button); the task id guards against cancelling a newer task. */
export const CancelTaskToExtension = defineMessage<{ taskId: string }>()('cancelTask');

export const ClearHistoryToExtension = defineMessage<Record<string, never>>()('clearHistory');

export type ToWebview = Message<typeof SnapshotToWebview> | Message<typeof StateToWebview> | Message<typeof EventsToWebview>;
export type ToExtension =
  | Message<typeof ReadyToExtension>
  | Message<typeof RunCommandToExtension>
  | Message<typeof AcceptCandidateToExtension>
  | Message<typeof RejectCandidateToExtension>
  | Message<typeof OpenDiffToExtension>
  | Message<typeof OpenLocationToExtension>
  | Message<typeof CancelTaskToExtension>
  | Message<typeof ClearHistoryToExtension>;

/** Validates a candidate reference from the webview (untrusted input: it is a browser page). */
export function isCandidateRef(p: unknown): p is CandidateRef {
  const r = p as CandidateRef | undefined;
  return typeof r === 'object' && r !== null && typeof r.taskId === 'string' && typeof r.candidateId === 'string';
}
