import * as vscode from 'vscode';
import { DisposableStore } from '../core/util/lifecycle';
import { createLog } from './log';
import { ReasoningPanelProvider, REASONING_VIEW_ID } from './reasoningPanel';
import type { PanelSnapshot } from '../protocol/messages';

/** What activate() returns: a small API, used by the integration tests and by other extensions. */
export interface QwqCoderApi {
  readonly panel: ReasoningPanelProvider;
  readonly log: vscode.LogOutputChannel;
}

let store: DisposableStore | undefined;

export function activate(context: vscode.ExtensionContext): QwqCoderApi {
  store = new DisposableStore();
  const log = store.add(createLog());
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const snapshot = (): PanelSnapshot => ({ model: { kind: 'not-configured' }, trusted: vscode.workspace.isTrusted, version });

  const panel = store.add(new ReasoningPanelProvider(context.extensionUri, snapshot, log));
  store.add(vscode.window.registerWebviewViewProvider(REASONING_VIEW_ID, panel, { webviewOptions: { retainContextWhenHidden: false } }));
  store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => panel.refresh()));

  store.add(vscode.commands.registerCommand('qwq.openPanel', async () => {
    await vscode.commands.executeCommand(`${REASONING_VIEW_ID}.focus`);
  }));
  store.add(vscode.commands.registerCommand('qwq.showLog', () => log.show(true)));

  log.info(`QwQ Coder ${version} activated (workspace trusted: ${vscode.workspace.isTrusted})`);
  context.subscriptions.push({ dispose: () => deactivate() });
  return { panel, log };
}

export function deactivate(): void {
  store?.dispose();
  store = undefined;
}
