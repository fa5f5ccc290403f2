// The reasoning panel's browser app. It renders what the extension sends and posts typed messages back.
import type { PanelSnapshot, ToExtension, ToWebview } from '../protocol/messages';

interface VsCodeApi {
  postMessage(msg: ToExtension): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function modelLine(s: PanelSnapshot): string {
  const m = s.model;
  switch (m.kind) {
    case 'not-configured': return 'No model configured';
    case 'not-downloaded': return `Model not downloaded: ${m.model}`;
    case 'downloading': return `Downloading ${m.model}: ${m.percent.toFixed(0)}%`;
    case 'loading': return `Loading ${m.model}…`;
    case 'ready': return `Ready: ${m.model}`;
    case 'busy': return `Busy: ${m.model}${m.tokensPerSecond ? ` (${m.tokensPerSecond.toFixed(1)} tok/s)` : ''}`;
    case 'error': return `Model error: ${m.message}`;
  }
}

function render(s: PanelSnapshot): void {
  const logButton = el('button', { className: 'link', textContent: 'Show Log' });
  logButton.addEventListener('click', () => vscode.postMessage({ type: 'runCommand', payload: { command: 'qwq.showLog' } }));
  app.replaceChildren(
    el('h2', { textContent: 'QwQ Reasoning' }),
    el('p', { className: 'model-state', textContent: modelLine(s) }),
    s.trusted
      ? el('p', { className: 'muted', textContent: 'Edits are shown only after your tests pass in a shadow copy of the workspace.' })
      : el('p', { className: 'warning', textContent: 'Restricted Mode: tests will not run, so edits cannot be verified. Trust this workspace to verify edits.' }),
    el('footer', { className: 'muted' }, `qwq-coder ${s.version} · `, logButton),
  );
  vscode.setState({ snapshot: s });
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const msg = event.data;
  if (msg?.type === 'snapshot') render(msg.payload);
});

// A reload restores the last state at once, before the extension answers `ready`.
const saved = vscode.getState() as { snapshot?: PanelSnapshot } | undefined;
if (saved?.snapshot) render(saved.snapshot);
vscode.postMessage({ type: 'ready', payload: {} });
