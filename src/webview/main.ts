// The reasoning panel's browser app: it keeps the state the extension sends, applies event batches with the
// shared reducer, renders, and posts typed messages back. It survives a reload through getState/setState.
import type { MessageHandlers, PanelSnapshot, ToExtension } from '../protocol';
import { create, dispatch, emptyPanelState, parse, ReadyToExtension, reduceAll, TO_WEBVIEW, type PanelState } from '../protocol';
import { l10n } from './l10n';
import { applyMentions, applySubmitResult, emptyViewState, renderPanel, type ViewState } from './render';

interface VsCodeApi {
  postMessage(msg: ToExtension): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface Saved {
  snapshot?: PanelSnapshot;
  state?: PanelState;
  /** <details> the user opened or closed by hand, by key, so a re-render or a reload keeps them. */
  open?: Record<string, boolean>;
  view?: ViewState;
  focusTaskId?: string;
}

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const saved = (vscode.getState() as Saved | undefined) ?? {};
let snapshot: PanelSnapshot | undefined = saved.snapshot;
let state: PanelState = saved.state ?? emptyPanelState();
const open: Record<string, boolean> = saved.open ?? {};
// Completions and unanswered sends belong to the page that asked: a reload starts without them.
const view: ViewState = { ...emptyViewState(), ...saved.view, mention: undefined, pending: undefined };
let focusTaskId: string | undefined = saved.focusTaskId;
let editorKey = JSON.stringify(snapshot?.editor ?? null);
let scheduled = false;

// The panel's focus moves only when a task starts (the newest thread is then shown in full): a send that is
// refused leaves the person where they were, with their text.
const post = (msg: ToExtension): void => { vscode.postMessage(msg); };

function render(): void {
  if (!snapshot) return;
  l10n.config(snapshot.l10n);
  // Keep focus (and the caret in a text field) across the re-render.
  const active = document.activeElement as HTMLInputElement | HTMLTextAreaElement | null;
  const focusedKey = active?.dataset?.key;
  const caret = active && 'selectionStart' in active ? [active.selectionStart, active.selectionEnd] as const : undefined;
  const scrollY = window.scrollY;
  renderPanel(app, snapshot, state, post, {
    now: Date.now(), view, focusTaskId,
    onChange: () => { persist(); scheduleRender(); },
    focusTask: (id) => { focusTaskId = id; persist(); scheduleRender(); window.scrollTo(0, 0); },
  });
  app.querySelectorAll<HTMLDetailsElement>('details[data-key]').forEach((d) => {
    const k = d.dataset.key!;
    if (k in open) d.open = open[k];
    // Only a person's toggle is remembered (a click, or Enter/Space, on the summary); the 'toggle' event
    // also fires for the default state set at render time, which must not stick.
    d.querySelector(':scope > summary')?.addEventListener('click', () => { open[k] = !d.open; persist(); });
  });
  if (focusedKey) {
    const again = app.querySelector<HTMLInputElement>(`[data-key="${CSS.escape(focusedKey)}"]`);
    again?.focus();
    if (again && caret && 'setSelectionRange' in again && caret[0] !== null) again.setSelectionRange(caret[0], caret[1]);
  }
  window.scrollTo(0, scrollY);
  persist();
}

function persist(): void {
  vscode.setState({ snapshot, state, open, view, focusTaskId } satisfies Saved);
}

/** Thought tokens arrive in bursts: render at most once per animation frame. */
function scheduleRender(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => { scheduled = false; render(); });
}

/** What each message from the extension changes; `false`: nothing to render. */
const handlers: MessageHandlers<typeof TO_WEBVIEW, boolean | void> = {
  snapshot: (next) => {
    snapshot = next;
    // A different file or selection brings its pills back.
    const key = JSON.stringify(snapshot.editor ?? null);
    if (key !== editorKey) { editorKey = key; view.removedPills = []; }
  },
  state: (p) => { state = p.state; },
  events: ({ events }) => {
    state = reduceAll(state, events);
    if (events.some((e) => e.type === 'task-started')) focusTaskId = undefined;
  },
  submitResult: ({ requestId, started }) => { applySubmitResult(view, requestId, started); },
  mentions: ({ requestId, items }) => applyMentions(view, requestId, items),
};

// The page checks what it is sent too (the frame of each payload): a message it cannot read is dropped whole.
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = parse(TO_WEBVIEW, event.data);
  if (!parsed.ok) { console.error(`qwq panel: dropped a message from the extension: ${parsed.error}`); return; }
  if (dispatch(handlers, parsed.message) !== false) scheduleRender();
});

// Live labels ("thinking 1,240 tokens · 38 s") tick while a task runs.
setInterval(() => { if (state.tasks.some((t) => t.outcome === 'running')) scheduleRender(); }, 1000);

// A reload restores the last state at once, before the extension answers `ready`.
render();
post(create(ReadyToExtension, {}));
