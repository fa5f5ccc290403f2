// The reasoning panel's browser app: it keeps the state the extension sends, applies event batches with the
// shared reducer, renders, and posts typed messages back. It survives a reload through getState/setState.
import type { MessageHandlers, PanelSnapshot, ToExtension } from '../protocol';
import { create, dispatch, emptyPanelState, parse, ReadyToExtension, reduceAll, TO_WEBVIEW, type PanelState } from '../protocol';
import { l10n } from './l10n';
import { renderPanel } from './render';
import { applyMentions, applySubmitResult, emptyViewState, type ViewState } from './viewState';

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

let placeholderCleared = false;

function render(): void {
  if (!snapshot) return;
  l10n.config(snapshot.l10n);
  // lit-html renders after what a container already holds: the page's "starting…" line goes before the first render.
  if (!placeholderCleared) { app.replaceChildren(); placeholderCleared = true; }
  // lit-html keeps the nodes between renders: focus, the caret, a selection and the scroll position stay as they are.
  renderPanel(app, snapshot, state, post, {
    now: Date.now(), view, open, focusTaskId,
    onChange: () => { persist(); scheduleRender(); },
    onToggle: persist,
    focusTask: (id) => { focusTaskId = id; persist(); scheduleRender(); window.scrollTo(0, 0); },
  });
  persistSoon();
}

let persistTimer: ReturnType<typeof setTimeout> | undefined;
function persist(): void {
  if (persistTimer !== undefined) { clearTimeout(persistTimer); persistTimer = undefined; }
  vscode.setState({ snapshot, state, open, view, focusTaskId } satisfies Saved);
}

/**
 * Renders come once per frame while thoughts stream, and setState copies the whole state each time: save at most
 * twice a second then. What the person does is saved at once (persist); the extension re-sends the rest on `ready`.
 */
function persistSoon(): void {
  persistTimer ??= setTimeout(persist, 500);
}
window.addEventListener('pagehide', persist);

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
    answered = true;
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
// A message posted to a webview that is still loading can be lost: until the extension's snapshot arrives, ask
// again (its answer to `ready` is idempotent: the snapshot and the whole state).
let answered = false;
let asks = 0;
const askAgain = setInterval(() => {
  if (answered || ++asks > 15) { clearInterval(askAgain); return; }
  post(create(ReadyToExtension, {}));
}, 2000);
