import * as vscode from 'vscode';
import { createNonce } from './nonce';
import { DisposableStore } from '../core/util/lifecycle';
import { create, is, PanelSnapshot, ReadyToExtension, RunCommandToExtension, SnapshotToWebview, ToWebview } from '../protocol/messages';

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
  private resolvedOnce: (() => void) | undefined;
  /** Resolves once the view has been resolved at least once (integration tests wait on it). */
  readonly resolved = new Promise<void>((r) => { this.resolvedOnce = r; });

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly snapshot: () => PanelSnapshot,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewStore.clear();
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] };
    view.webview.html = renderPanelHtml(view.webview, this.extensionUri, createNonce());
    this.viewStore.add(view.webview.onDidReceiveMessage((msg: unknown) => this.onMessage(msg)));
    this.viewStore.add(view.onDidDispose(() => { this.view = undefined; this.viewStore.clear(); }));
    this.log.info('reasoning panel resolved');
    this.resolvedOnce?.();
  }

  get isVisible(): boolean { return this.view?.visible ?? false; }

  /** Pushes the current state to the webview, if it is open. */
  refresh(): void {
    void this.post(create(SnapshotToWebview, this.snapshot()));
  }

  private post(msg: ToWebview): Thenable<boolean> | undefined {
    return this.view?.webview.postMessage(msg);
  }

  private onMessage(msg: unknown): void {
    if (is(ReadyToExtension, msg)) {
      this.refresh();
    } else if (is(RunCommandToExtension, msg)) {
      void vscode.commands.executeCommand(msg.payload.command);
    } else {
      this.log.warn(`panel: ignored unknown message ${JSON.stringify(msg).slice(0, 200)}`);
    }
  }

  dispose(): void {
    this.viewStore.dispose();
    this.view = undefined;
  }
}
