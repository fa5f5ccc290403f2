// The reasoning panel's browser app: it keeps the state the extension sends, applies event batches with the
// shared reducer, renders, and posts typed messages back. It survives a reload through getState/setState.
import type { PanelSnapshot, ToExtension, ToWebview } from '../protocol/messages';
import { emptyPanelState, reduceAll, type PanelState } from '../protocol/panelState';
import { renderPanel } from './render';

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
}

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const saved = (vscode.getState() as Saved | undefined) ?? {};
let snapshot: PanelSnapshot | undefined = saved.snapshot;
let state: PanelState = saved.state ?? emptyPanelState();
const open: Record<string, boolean> = saved.open ?? {};
let scheduled = false;

const post = (msg: ToExtension): void => vscode.postMessage(msg);

function isNearBottom(e: Element): boolean {
  return e.scrollHeight - e.scrollTop - e.clientHeight < 24;
}

function render(): void {
  if (!snapshot) return;
  // Keep focus, and keep streaming <pre> blocks pinned to the bottom if they were.
  const focusedKey = (document.activeElement as HTMLElement | null)?.dataset?.key;
  const pinned = new Set<string>();
  app.querySelectorAll<HTMLElement>('details[data-key]').forEach((d) => {
    const pre = d.querySelector('pre');
    if (pre && isNearBottom(pre)) pinned.add(d.dataset.key!);
  });
  const scrollY = window.scrollY;
  renderPanel(app, snapshot, state, post);
  app.querySelectorAll<HTMLDetailsElement>('details[data-key]').forEach((d) => {
    const k = d.dataset.key!;
    if (k in open) d.open = open[k];
    // Only a person's toggle is remembered (a click, or Enter/Space, on the summary); the 'toggle' event
    // also fires for the default state set at render time, which must not stick.
    d.querySelector('summary')?.addEventListener('click', () => { open[k] = !d.open; persist(); });
    const pre = d.querySelector('pre');
    if (pre && pinned.has(k)) pre.scrollTop = pre.scrollHeight;
  });
  if (focusedKey) app.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
  window.scrollTo(0, scrollY);
  persist();
}

function persist(): void {
  vscode.setState({ snapshot, state, open } satisfies Saved);
}

/** Thought tokens arrive in bursts: render at most once per animation frame. */
function scheduleRender(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => { scheduled = false; render(); });
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const msg = event.data;
  switch (msg?.type) {
    case 'snapshot': snapshot = msg.payload; break;
    case 'state': state = msg.payload.state; break;
    case 'events': state = reduceAll(state, msg.payload.events); break;
    default: return;
  }
  scheduleRender();
});

// A reload restores the last state at once, before the extension answers `ready`.
render();
post({ type: 'ready', payload: {} });
