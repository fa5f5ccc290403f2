import * as vscode from 'vscode';
import { DisposableStore, toDisposable } from '../core/util/lifecycle';
import { defaultModelsDir } from '../core/model/modelSource';
import { createLog } from './log';
import { readSettings } from './config';
import { ReasoningPanelProvider, REASONING_VIEW_ID, type PanelActions } from './reasoningPanel';
import { PanelStore } from './panelStore';
import { ModelService, type WithProgress } from './model/modelService';
import { createCoreModelBackend } from './model/coreModelBackend';
import { createRuntimeInChildProcess } from './model/runtimeFactory';
import { ModelStatusBar } from './statusBar';
import { DiffReview } from './review/diffReview';
import { TaskController } from './tasks/taskController';
import { CoreAgent } from './tasks/coreAgent';
import { toRelativePath } from './tasks/editorFiles';
import { registerCommands } from './commands';
import { trackContextKeys } from './contextKeys';
import { Notifier } from './notifier';
import { registerInline, type InlineFeature } from './inline/inlineFeature';
import { createVerifierFactory } from './tasks/verifierFactory';
import type { PanelSnapshot } from '../protocol/messages';
import { l10n } from './l10n';
import { registerContextServices, type ContextServices } from './context/contextServices';

/** What activate() returns: a small API, used by the integration tests and by other extensions. */
export interface QwqCoderApi {
  readonly panel: ReasoningPanelProvider;
  readonly log: vscode.LogOutputChannel;
  readonly models: ModelService;
  readonly tasks: TaskController;
  readonly review: DiffReview;
  readonly store: PanelStore;
  readonly inline: InlineFeature;
  /** What the user was told recently (integration tests check it). */
  readonly notifier: Notifier;
  /** The code context at a position, sharpened by the language servers; its indexes follow file changes. */
  readonly context: ContextServices;
}

let store: DisposableStore | undefined;

/** withProgress as a cancellable notification, converted to an AbortSignal at the boundary. */
function notificationProgress(): WithProgress {
  return (title, task) => Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    return task((message, increment) => progress.report({ message, increment }), abort.signal).finally(() => sub.dispose());
  }));
}

export function activate(context: vscode.ExtensionContext): QwqCoderApi {
  l10n.use(vscode.l10n.t);
  store = new DisposableStore();
  const log = store.add(createLog());
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const settings = () => readSettings(vscode.workspace);
  const workspaceRoot = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;

  const models = store.add(new ModelService({
    backend: createCoreModelBackend({ modelsDir: defaultModelsDir(), workspaceRoot, createRuntime: createRuntimeInChildProcess(context.extensionUri.fsPath) }),
    withProgress: notificationProgress(),
    settings: () => { const s = settings(); return { model: s.model, threads: s.threads, contextSize: s.contextSize, speculative: s.speculative }; },
    log,
  }));
  store.add(new ModelStatusBar(models));

  const notifier = new Notifier(vscode.window);
  const tasksStore = store.add(new PanelStore());
  const review = store.add(new DiffReview((c, files) => tasks.reverify(c, files), log));
  const agent = store.add(new CoreAgent({
    acquireModel: () => models.acquire(),
    openVerifier: createVerifierFactory((command) => log.info(`tests: starting ${command} in a shadow copy`)),
    settings: () => { const s = settings(); return { maxRounds: s.maxRounds, thoughtBudget: s.thoughtBudget, testsCommand: s.testsCommand, testsTimeoutSeconds: s.testsTimeoutSeconds }; },
  }));
  const tasks: TaskController = store.add(new TaskController(agent, tasksStore, models, review, log, notifier));
  const contextServices = store.add(registerContextServices({ engineFor: (root) => agent.engineFor(root) }));

  const snapshot = (): PanelSnapshot => ({ model: models.state, trusted: vscode.workspace.isTrusted, version });
  const actions: PanelActions = {
    accept: async (ref) => { await tasks.accept(ref); },
    reject: (ref) => tasks.reject(ref),
    openDiff: async (ref, file) => {
      if (!(await review.openDiff(ref, file))) notifier.show('info', l10n.t('This edit is no longer under review.'));
    },
    openLocation: async (path, line) => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) return;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, path));
      const pos = new vscode.Position(Math.max(0, line - 1), 0);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
    },
    cancel: (taskId) => { tasks.cancel(taskId); },
    clearHistory: () => tasksStore.dispatch({ type: 'clear-history' }),
  };
  const panel = store.add(new ReasoningPanelProvider(context.extensionUri, snapshot, log, tasksStore, actions));
  store.add(vscode.window.registerWebviewViewProvider(REASONING_VIEW_ID, panel, { webviewOptions: { retainContextWhenHidden: false } }));
  store.add(models.onDidChangeState(() => panel.refresh()));
  store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => panel.refresh()));
  store.add(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('qwq.model')) void models.refresh();
  }));

  const inline = store.add(registerInline({
    models, settings, log,
    relativePath: (uri) => {
      const f = vscode.workspace.getWorkspaceFolder(uri);
      return f ? toRelativePath(f.uri, uri) : undefined;
    },
    contextEngine: (uri) => {
      const f = vscode.workspace.getWorkspaceFolder(uri);
      return f ? agent.engineFor(f.uri.fsPath) : undefined;
    },
    isTaskRunning: () => tasks.runningTaskId !== undefined,
    reverify: (task, files, changes, signal) => agent.reverify(task, files, changes, signal),
  }));

  store.add(registerCommands({
    tasks, models, review, log, notifier,
    openPanel: async () => { await vscode.commands.executeCommand(`${REASONING_VIEW_ID}.focus`); },
  }));

  store.add(trackContextKeys(tasksStore, models, review, tasks));
  void models.refresh();
  log.info(`QwQ Coder ${version} activated (workspace trusted: ${vscode.workspace.isTrusted})`);
  context.subscriptions.push(toDisposable(() => deactivate()));
  return { panel, log, models, tasks, review, store: tasksStore, inline, notifier, context: contextServices };
}

export function deactivate(): void {
  store?.dispose();
  store = undefined;
}
