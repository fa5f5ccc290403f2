// The models feature: the reasoning model and the ghost-text model (each its own ModelService and child
// process), the status bar item, and loading again when a setting that needs it changes or trust is granted.
import * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../../core/util';
import { defaultModelsDir } from '../../core/model';
import type { ExtensionCtx } from '../extensionContext';
import type { PlatformFeature } from '../platform/platformFeature';
import { reloadSettings, RESTRICTED_SETTINGS, type ReloadClass } from '../settings';
import { ModelStatusBar } from '../statusBar';
import { createCoreModelBackend } from './coreModelBackend';
import { inlineModelChoice, reasoningModelChoice } from './modelChoice';
import { ModelService, type WithProgress } from './modelService';
import { createRuntimeInChildProcess } from './runtimeFactory';
import { createServerRuntime, serverSecretKey } from './serverRuntime';

export interface ModelsFeature extends IDisposable {
  /** The reasoning model (QwQ-32B, or a server). */
  readonly models: ModelService;
  /** The separate ghost-text model (its own process), configured by qwq.inline.model. */
  readonly inlineModels: ModelService;
}

/** withProgress as a cancellable notification, converted to an AbortSignal at the boundary. */
function notificationProgress(): WithProgress {
  return (title, task) => Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    return task((message, increment) => progress.report({ message, increment }), abort.signal).finally(() => sub.dispose());
  }));
}

/** Ghost text loads quietly (a status bar item, no notification). */
const quietProgress: WithProgress = (_title, task) => task(() => {}, new AbortController().signal);

/** The restricted settings that choose what a role loads: Restricted Mode checks exactly these. */
const restrictedFor = (role: ReloadClass): string[] => reloadSettings(role).filter((k) => RESTRICTED_SETTINGS.includes(k));

export function registerModels(ctx: ExtensionCtx, platform: PlatformFeature): ModelsFeature {
  const store = new DisposableStore();
  const { log } = ctx;
  const backend = createCoreModelBackend({
    modelsDir: defaultModelsDir(), workspaceRoot: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    createRuntime: createRuntimeInChildProcess(ctx.extension.extensionUri.fsPath, (line) => log.info(`model: ${line}`)),
    createServerRuntime,
  });
  const apiKey = (url: string) => Promise.resolve(ctx.extension.secrets.get(serverSecretKey(url)));
  const models = store.add(new ModelService({
    backend, withProgress: notificationProgress(), apiKey, log,
    settings: () => reasoningModelChoice(ctx.settings(), platform.blockedBy(restrictedFor('model'))),
  }));
  const inlineModels = store.add(new ModelService({
    backend, withProgress: quietProgress, apiKey, log, role: 'inline model',
    settings: () => inlineModelChoice(ctx.settings(), platform.blockedBy(restrictedFor('inline'))),
  }));
  store.add(new ModelStatusBar(models));
  // Settings that need a reload drop the loaded model (it loads again on next use), or, while it works,
  // when the work ends; the log says which.
  store.add(vscode.workspace.onDidChangeConfiguration((e) => {
    if (reloadSettings('model').some((k) => e.affectsConfiguration(k))) void models.refresh();
    if (reloadSettings('inline').some((k) => e.affectsConfiguration(k))) void inlineModels.refresh();
  }));
  store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => { void models.refresh(); void inlineModels.refresh(); }));
  void models.refresh();
  void inlineModels.refresh();
  return { models, inlineModels, dispose: () => store.dispose() };
}
