// What every feature module receives: the services they all share, built once by activate(). Features take
// this (and the other features they depend on) as parameters; there is no global to reach for.
import * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../core/util';
import { createLog } from './log';
import { Notifier } from './notifier';
import { PanelStore } from './panelStore';
import { readSettings, type QwqSettings } from './settings';

export interface ExtensionCtx extends IDisposable {
  readonly extension: vscode.ExtensionContext;
  readonly version: string;
  readonly log: vscode.LogOutputChannel;
  readonly notifier: Notifier;
  /** The task history: one source of truth for the panel, the status bar and the context keys. */
  readonly panelState: PanelStore;
  /** The qwq.* settings as they apply to a workspace folder (resource scope), or to the window. */
  settings(folder?: vscode.Uri): QwqSettings;
}

export function createExtensionCtx(extension: vscode.ExtensionContext): ExtensionCtx {
  const store = new DisposableStore();
  return {
    extension,
    version: String(extension.extension.packageJSON.version ?? '0.0.0'),
    log: store.add(createLog()),
    notifier: store.add(new Notifier(vscode.window)),
    panelState: store.add(new PanelStore()),
    settings: (folder) => readSettings(vscode.workspace, folder),
    dispose: () => store.dispose(),
  };
}
