// Typed messages between the extension (adapter) and the reasoning-panel webview.
// One definition per message; the direction is in the name (…ToWebview / …ToExtension), after GitLens'
// IpcNotification/IpcCommand and rust-analyzer's lsp_ext.ts. Comments on fields say why the field exists.
// Each carries the schema of its payload (define.ts): the extension parses what the webview sends in full
// (untrusted input), the webview checks the frame of what the extension sends (cheap).
import * as v from 'valibot';
import { defineMessage, framed, type Message } from './define';
import type { ContextPill, PanelEvent, PanelState } from './panelState';
export type { ContextPill, PanelEvent, PanelState };

// ---- shared shapes ----

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
export const PANEL_COMMANDS = [
  'qwq.showLog', 'qwq.openPanel', 'qwq.downloadModel', 'qwq.selectModel', 'qwq.editSelection', 'qwq.fixFailingTests',
  'qwq.implementFunction', 'qwq.generateTests', 'workbench.trust.manage',
] as const;
export type PanelCommand = typeof PANEL_COMMANDS[number];

/** A composer pill as the webview sends it (untrusted input). */
const ContextPillSchema = v.object({
  kind: v.picklist(['file', 'selection', 'symbol']),
  path: v.optional(v.string()),
  startLine: v.optional(v.number()),
  endLine: v.optional(v.number()),
  symbol: v.optional(v.string()),
}) satisfies v.GenericSchema<unknown, ContextPill>;

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
const CandidateRefSchema = v.object({ taskId: v.string(), candidateId: v.string() });
export type CandidateRef = v.InferOutput<typeof CandidateRefSchema>;

/** Validates a candidate reference from outside the extension (a webview, a chat link): untrusted input. */
export function isCandidateRef(p: unknown): p is CandidateRef {
  return v.is(CandidateRefSchema, p);
}

/** Text the person typed: a string with something in it besides spaces. */
const Typed = v.pipe(v.string(), v.check((s) => s.trim() !== '', 'is empty'));
const MentionKind = v.picklist(['file', 'symbol']);
/** A workspace-relative path: the webview must not name a file outside the workspace. */
const RelativePath = v.pipe(v.string(), v.check((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'is not workspace-relative'));
/** A signal without data. */
const Empty = v.object({});

// ---- extension → webview ----

/**
 * The answer to a submit or a follow-up: `started` is true once the task runs or waits in the queue. The composer
 * keeps the typed text until then, so a refusal (no model, Restricted Mode, no folder) or an error loses nothing.
 */
export const SubmitResultToWebview = defineMessage('submitResult', v.object({ requestId: v.string(), started: v.boolean() }));

/** Completions for the `#file:` / `#symbol:` being typed (answers CompleteMentionToExtension). */
export const MentionsToWebview = defineMessage('mentions', v.object({
  requestId: v.string(),
  kind: MentionKind,
  query: v.string(),
  items: v.array(v.object({ value: v.string(), detail: v.optional(v.string()), path: v.optional(v.string()) }) satisfies v.GenericSchema<unknown, MentionItem>),
}));

/** Model state, trust and version, sent on ready and whenever one of them changes. */
export const SnapshotToWebview = defineMessage('snapshot', framed<PanelSnapshot>('a panel snapshot', v.object({
  model: v.object({ kind: v.string() }),
  trusted: v.boolean(),
  version: v.string(),
  editor: v.optional(v.object({ file: v.string() })),
  l10n: v.optional(v.record(v.string(), v.string())),
})));

/**
 * The whole task history, sent when the webview (re)connects. The extension owns the authoritative copy,
 * because events that arrive while the view is hidden would otherwise be lost.
 */
export const StateToWebview = defineMessage('state', v.object({
  state: framed<PanelState>('a panel state', v.object({ tasks: v.array(v.object({ taskId: v.string() })), queue: v.optional(v.array(v.object({ taskId: v.string() }))) })),
}));

/**
 * New events in order, batched (thought tokens arrive one by one; one message per token would flood the
 * webview). The webview applies them with the same reducer as the extension, so both copies agree.
 */
export const EventsToWebview = defineMessage('events', v.object({
  events: framed<PanelEvent[]>('a list of panel events', v.array(v.object({ type: v.string() }))),
}));

/** What the webview accepts; its handler table (src/webview/main.ts) must name each. */
export const TO_WEBVIEW = [SubmitResultToWebview, MentionsToWebview, SnapshotToWebview, StateToWebview, EventsToWebview] as const;

// ---- webview → extension ----

/** Sent once the webview script has loaded, so the extension knows it can post. */
export const ReadyToExtension = defineMessage('ready', Empty);

/** A button in the panel that maps to a palette command (the panel never runs anything by itself). */
export const RunCommandToExtension = defineMessage('runCommand', v.object({ command: v.picklist(PANEL_COMMANDS) }));

/** Accept: the extension re-checks that the candidate is verified and the documents unchanged before applying. */
export const AcceptCandidateToExtension = defineMessage('acceptCandidate', CandidateRefSchema);

export const RejectCandidateToExtension = defineMessage('rejectCandidate', CandidateRefSchema);

/** Opens vscode.diff for one file of a candidate; `file` absent means the first file (multi-file review goes file by file). */
export const OpenDiffToExtension = defineMessage('openDiff', v.object({ ...CandidateRefSchema.entries, file: v.optional(v.string()) }));

/** A context item was clicked: workspace-relative path and 1-based line, as the context engine reports them. */
export const OpenLocationToExtension = defineMessage('openLocation', v.object({ path: RelativePath, line: v.pipe(v.number(), v.integer()), taskId: v.optional(v.string()) }));

/** Opens the candidate as a preview in the editor (decorations, per-hunk and per-file Accept/Reject). */
export const PreviewCandidateToExtension = defineMessage('previewCandidate', CandidateRefSchema);

/** "Apply unverified…": the extension asks again in a modal that says why the edit is not verified. */
export const ApplyUnverifiedToExtension = defineMessage('applyUnverified', CandidateRefSchema);

/** The composer: an instruction with its context pills; `kind` absent means an edit (Explain has its own button). */
export const SubmitToExtension = defineMessage('submit', v.object({
  instruction: Typed,
  kind: v.optional(v.picklist(['edit-selection', 'explain'])),
  pills: v.array(ContextPillSchema),
  /** Names the answer (SubmitResultToWebview); absent: no answer is wanted. */
  requestId: v.optional(v.string()),
}));

/**
 * A follow-up in a thread's box: the next turn of the conversation. With `candidateId` it refines that pending
 * edit (the agent reads its text); without, it continues from the files as they are.
 */
export const FollowUpToExtension = defineMessage('followUp', v.object({ taskId: v.string(), candidateId: v.optional(v.string()), text: Typed, requestId: v.optional(v.string()) }));

/** The composer asks for completions of a `#file:` or `#symbol:` being typed. */
export const CompleteMentionToExtension = defineMessage('completeMention', v.object({ requestId: v.string(), kind: MentionKind, query: v.string() }));

/** Removes one finished task from the history. */
export const RemoveTaskToExtension = defineMessage('removeTask', v.object({ taskId: v.string() }));

/** Cancels a running task (the panel's Cancel button); the task id guards against cancelling a newer task. */
export const CancelTaskToExtension = defineMessage('cancelTask', v.object({ taskId: v.string() }));

export const ClearHistoryToExtension = defineMessage('clearHistory', Empty);

/** What the extension accepts; its handler table (ReasoningPanelProvider) must name each. */
export const TO_EXTENSION = [
  ReadyToExtension, RunCommandToExtension, AcceptCandidateToExtension, RejectCandidateToExtension, OpenDiffToExtension,
  OpenLocationToExtension, CancelTaskToExtension, ClearHistoryToExtension, PreviewCandidateToExtension,
  ApplyUnverifiedToExtension, SubmitToExtension, FollowUpToExtension, RemoveTaskToExtension, CompleteMentionToExtension,
] as const;

export type ToWebview = Message<typeof TO_WEBVIEW[number]>;
export type ToExtension = Message<typeof TO_EXTENSION[number]>;
