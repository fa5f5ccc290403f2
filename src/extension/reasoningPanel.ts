import * as vscode from 'vscode';
import { createNonce } from './nonce';
import { DisposableStore, Emitter } from '../core/util';
import { create, EventsToWebview, SnapshotToWebview, type PanelSnapshot, type ToWebview } from '../protocol';
import { receiveFromWebview, webviewHandlers, type PanelActions, type WebviewHandlers } from './panel/webviewMessages';
import type { PanelStore } from './panelStore';

export const REASONING_VIEW_ID = 'qwq.reasoning';

/** Builds the webview's HTML: a strict CSP with a nonce; scripts and styles only from media/. */
export function renderPanelHtml(webview: Pick<vscode.Webview, 'cspSource' | 'asWebviewUri'>, extensionUri: vscode.Uri, nonce: string): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'));
  const csp = [
    `default-src 'none'`,
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>QwQ Reasoning</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">QwQ Coder is starting…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** The reasoning side panel (a webview view). It owns its webview's listeners. */
export class ReasoningPanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly viewStore = new DisposableStore();
  private readonly store = new DisposableStore();
  private readonly viewResolved = this.store.add(new Emitter<void>());
  /** Fires each time VS Code resolves the view (it does again after the view was closed). */
  readonly onDidResolveView = this.viewResolved.event;
  private readonly messages = this.store.add(new Emitter<unknown>());
  /** Every message the webview sends, before it is checked (the test API records them). */
  readonly onDidReceiveMessage = this.messages.event;
  private readonly handlers: WebviewHandlers;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly snapshot: () => PanelSnapshot,
    private readonly log: vscode.LogOutputChannel,
    tasks: PanelStore,
    actions: PanelActions,
  ) {
    this.store.add(tasks.onBatch((events) => { void this.post(create(EventsToWebview, { events })); }));
    this.handlers = webviewHandlers({
      actions, log,
      post: (msg) => { void this.post(msg); },
      snapshot,
      state: () => { tasks.flush(); return tasks.state; },
      runCommand: (command) => { void vscode.commands.executeCommand(command); },
    });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewStore.clear();
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] };
    view.webview.html = renderPanelHtml(view.webview, this.extensionUri, createNonce());
    this.viewStore.add(view.webview.onDidReceiveMessage((msg: unknown) => this.onMessage(msg)));
    this.viewStore.add(view.onDidDispose(() => { this.view = undefined; this.viewStore.clear(); }));
    this.log.info('reasoning panel resolved');
    this.viewResolved.fire();
  }

  get isVisible(): boolean { return this.view?.visible ?? false; }

  /** Pushes model state and trust to the webview, if it is open. */
  refresh(): void {
    void this.post(create(SnapshotToWebview, this.snapshot()));
  }

  private post(msg: ToWebview): Thenable<boolean> | undefined {
    return this.view?.webview.postMessage(msg);
  }

  /** Untrusted input: parsed against its definition, then handled by the table (panel/webviewMessages.ts). */
  private onMessage(msg: unknown): void {
    this.messages.fire(msg);
    receiveFromWebview(msg, this.handlers, this.log);
  }

  dispose(): void {
    this.store.dispose();
    this.viewStore.dispose();
    this.view = undefined;
  }
}
