import * as vscode from 'vscode';
import { DisposableStore, toDisposable } from '../core/util/lifecycle';
import { defaultModelsDir } from '../core/model/modelSource';
import { createLog } from './log';
import { INLINE_RELOAD_KEYS, MODEL_RELOAD_KEYS, readSettings, workspaceSetRestrictedKeys } from './config';
import { ReasoningPanelProvider, REASONING_VIEW_ID, type PanelActions } from './reasoningPanel';
import { PanelStore } from './panelStore';
import { ModelService, type ModelChoice, type WithProgress } from './model/modelService';
import { createServerRuntime, serverSecretKey } from './model/serverRuntime';
import { createCoreModelBackend } from './model/coreModelBackend';
import { createRuntimeInChildProcess } from './model/runtimeFactory';
import { ModelStatusBar } from './statusBar';
import { DiffReview } from './review/diffReview';
import { ReviewController } from './review/reviewController';
import { Mentions } from './tasks/mentions';
import { TaskController } from './tasks/taskController';
import { CoreAgent } from './tasks/coreAgent';
import { toRelativePath } from './tasks/editorFiles';
import { selectionToLines } from './tasks/taskController';
import { registerCommands } from './commands';
import { trackContextKeys } from './contextKeys';
import { Notifier } from './notifier';
import { registerInline, type InlineFeature } from './inline/inlineFeature';
import { createVerifierFactory } from './tasks/verifierFactory';
import { sweepStaleRuns } from '../core/verify/staleRuns';
import type { PanelSnapshot } from '../protocol/messages';
import { l10n } from './l10n';
import { registerContextServices, type ContextServices } from './context/contextServices';

/** What activate() returns: a small API, used by the integration tests and by other extensions. */
export interface QwqCoderApi {
  readonly panel: ReasoningPanelProvider;
  readonly log: vscode.LogOutputChannel;
  readonly models: ModelService;
  /** The separate ghost-text model (its own process), configured by qwq.inline.model. */
  readonly inlineModels: ModelService;
  readonly tasks: TaskController;
  readonly review: DiffReview;
  /** Preview, Accept/Reject (whole, per file, per hunk), Apply unverified…, undo tracking. */
  readonly reviews: ReviewController;
  readonly store: PanelStore;
  readonly inline: InlineFeature;
  /** What the user was told recently (integration tests check it). */
  readonly notifier: Notifier;
  /** The code context at a position, sharpened by the language servers; its indexes follow file changes. */
  readonly context: ContextServices;
  /** `#file:` / `#symbol:` completions and the attached code a task gets. */
  readonly mentions: Mentions;
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
  // Shadow and results folders left by a killed run (their owner process is gone) are removed, off the activation path.
  setImmediate(() => {
    try {
      const swept = sweepStaleRuns();
      if (swept.removed.length) log.info(`removed ${swept.removed.length} temp folder(s) left by an earlier run that was killed`);
    } catch { /* best effort */ }
  });

  const backend = createCoreModelBackend({
    modelsDir: defaultModelsDir(), workspaceRoot,
    createRuntime: createRuntimeInChildProcess(context.extensionUri.fsPath, (line) => log.info(`model: ${line}`)),
    createServerRuntime,
  });
  const apiKey = (url: string) => Promise.resolve(context.secrets.get(serverSecretKey(url)));
  /** In Restricted Mode a model, server or command that the workspace's own settings name is never used. */
  const blockedBy = (keys: string[]): string | undefined => {
    if (vscode.workspace.isTrusted) return undefined;
    const set = workspaceSetRestrictedKeys(vscode.workspace.getConfiguration('qwq')).filter((k) => keys.includes(k));
    if (set.length === 0) return undefined;
    return l10n.t('Restricted Mode: this workspace\'s settings choose {0}. QwQ Coder does not load a model or contact a server that an untrusted workspace chose. Trust the workspace, or set the model in your user settings.', set.join(', '));
  };
  const mainChoice = (): ModelChoice => {
    const s = settings();
    const server = s.modelProvider === 'server' && s.server.url ? { url: s.server.url, model: s.server.model, headers: s.server.headers } : undefined;
    return {
      model: s.model, threads: s.threads, contextSize: s.contextSize, speculative: s.speculative, server,
      blocked: blockedBy(['qwq.model.provider', 'qwq.model.source', 'qwq.server.url', 'qwq.server.model', 'qwq.server.headers', 'qwq.speculative.draftModel']),
    };
  };
  const inlineChoice = (): ModelChoice => {
    const s = settings();
    const server = s.inlineServerModel && s.server.url ? { url: s.server.url, model: s.inlineServerModel, headers: s.server.headers } : undefined;
    // A small FIM model needs a small context: ghost text sends at most a few thousand tokens.
    return { model: server ? '' : s.inlineModel, threads: s.threads, contextSize: 8192, server, blocked: blockedBy(['qwq.inline.model', 'qwq.inline.serverModel', 'qwq.server.url', 'qwq.server.headers']) };
  };
  const models = store.add(new ModelService({ backend, withProgress: notificationProgress(), settings: mainChoice, apiKey, log }));
  // Ghost text loads quietly (a status bar item, no notification) in its own worker process.
  const quietProgress: WithProgress = (_title, task) => task(() => {}, new AbortController().signal);
  const inlineModels = store.add(new ModelService({ backend, withProgress: quietProgress, settings: inlineChoice, apiKey, log, role: 'inline model' }));
  store.add(new ModelStatusBar(models));

  const notifier = new Notifier(vscode.window);
  const tasksStore = store.add(new PanelStore());
  // Every second verification (a file moved on, a partial choice) goes through the review controller, which counts it.
  const review = store.add(new DiffReview((c, files) => reviews.reverify(c, files), log));
  const reviews: ReviewController = store.add(new ReviewController(review, tasksStore, notifier, log, (c, files) => tasks.reverify(c, files)));
  const agent = store.add(new CoreAgent({
    acquireModel: () => models.acquire(),
    openVerifier: createVerifierFactory((command) => log.info(`tests: starting ${command} in a shadow copy`), () => { const s = settings(); return { sandbox: s.testsSandbox, network: s.testsNetwork }; }),
    settings: () => { const s = settings(); return { maxRounds: s.maxRounds, thoughtBudget: s.thoughtBudget, testsCommand: s.testsCommand, testsTimeoutSeconds: s.testsTimeoutSeconds }; },
  }));
  const mentions = new Mentions({ engineFor: (root) => agent.engineFor(root) });
  const tasks: TaskController = store.add(new TaskController(agent, tasksStore, models, reviews, log, notifier, (folder, pills, files) => mentions.resolve(folder, pills, files)));
  const contextServices = store.add(registerContextServices({ engineFor: (root) => agent.engineFor(root) }));

  let downloadError: string | undefined;
  const editorContext = (): PanelSnapshot['editor'] => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || (editor.document.uri.scheme !== 'file' && editor.document.uri.scheme !== 'untitled')) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(editor.document.uri);
    const file = folder ? toRelativePath(folder.uri, editor.document.uri) : undefined;
    if (!file) return undefined;
    const sel = editor.selection;
    return { file, ...(sel.isEmpty ? {} : { selection: selectionToLines(sel) }) };
  };
  const snapshot = (): PanelSnapshot => ({
    model: downloadError && models.state.kind !== 'ready' && models.state.kind !== 'busy' && models.state.kind !== 'downloading' ? { kind: 'error', model: vscode.workspace.getConfiguration('qwq').get<string>('model.source'), message: downloadError } : models.state,
    trusted: vscode.workspace.isTrusted, version, editor: editorContext(), l10n: vscode.l10n.bundle,
  });
  /** A task's files are relative to its own folder (multi-root); context items of old tasks fall back to the first. */
  const resolveInFolder = async (path: string, taskId?: string): Promise<vscode.Uri | undefined> => {
    const own = tasks.folderOf(taskId);
    if (own) return vscode.Uri.joinPath(own.uri, path);
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(f.uri, path);
      try { await vscode.workspace.fs.stat(uri); return uri; } catch { /* try the next folder */ }
    }
    return undefined;
  };
  const actions: PanelActions = {
    accept: async (ref) => { await reviews.accept(ref); },
    reject: (ref) => reviews.reject(ref),
    openDiff: async (ref, file) => {
      if (!(await review.openDiff(ref, file))) notifier.show('info', l10n.t('This edit is no longer under review.'));
    },
    preview: async (ref) => { await reviews.preview(ref); },
    applyUnverified: async (ref) => { await reviews.applyUnverified(ref); },
    submit: (instruction, kind, pills) => tasks.submit({ kind, instruction, pills }),
    followUp: (taskId, text, candidateId) => tasks.followUp(taskId, text, candidateId),
    completeMention: (kind, query) => mentions.complete(kind, query),
    removeTask: (taskId) => tasksStore.dispatch({ type: 'remove-task', taskId }),
    openLocation: async (path, line, taskId) => {
      const uri = await resolveInFolder(path, taskId);
      if (!uri) { notifier.show('info', l10n.t('{0} is not in this workspace.', path)); return; }
      const doc = await vscode.workspace.openTextDocument(uri);
      const pos = new vscode.Position(Math.max(0, Math.min(line - 1, doc.lineCount - 1)), 0);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
    },
    cancel: (taskId) => { tasks.cancel(taskId); },
    clearHistory: () => tasksStore.dispatch({ type: 'clear-history' }),
  };
  const panel = store.add(new ReasoningPanelProvider(context.extensionUri, snapshot, log, tasksStore, actions));
  store.add(vscode.window.registerWebviewViewProvider(REASONING_VIEW_ID, panel, { webviewOptions: { retainContextWhenHidden: false } }));
  store.add(models.onDidChangeState(() => panel.refresh()));
  store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => panel.refresh()));
  // The composer's pills follow the active editor and its selection.
  let pillTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshSoon = (): void => { if (pillTimer) clearTimeout(pillTimer); pillTimer = setTimeout(() => panel.refresh(), 150); };
  store.add(vscode.window.onDidChangeActiveTextEditor(refreshSoon));
  store.add(vscode.window.onDidChangeTextEditorSelection(refreshSoon));
  store.add(toDisposable(() => { if (pillTimer) clearTimeout(pillTimer); }));
  store.add(vscode.workspace.onDidChangeConfiguration((e) => {
    // Settings that need a reload drop the loaded model (it loads again on next use), or, while it works,
    // when the work ends; the log says which.
    if (MODEL_RELOAD_KEYS.some((k) => e.affectsConfiguration(k))) void models.refresh();
    if (INLINE_RELOAD_KEYS.some((k) => e.affectsConfiguration(k))) void inlineModels.refresh();
  }));
  store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => { void models.refresh(); void inlineModels.refresh(); }));

  const inline = store.add(registerInline({
    models: inlineModels, settings, log,
    relativePath: (uri) => {
      const f = vscode.workspace.getWorkspaceFolder(uri);
      return f ? toRelativePath(f.uri, uri) : undefined;
    },
    contextEngine: (uri) => {
      const f = vscode.workspace.getWorkspaceFolder(uri);
      return f ? agent.engineFor(f.uri.fsPath) : undefined;
    },
    reverify: (task, files, changes, signal) => agent.reverify(task, files, changes, signal),
  }));

  store.add(registerCommands({
    tasks, models, inlineModels, review, reviews, log, notifier, secrets: context.secrets,
    onDownloadError: (message) => { downloadError = message; panel.refresh(); },
    openPanel: async () => { await vscode.commands.executeCommand(`${REASONING_VIEW_ID}.focus`); },
  }));

  store.add(trackContextKeys(tasksStore, models, review, tasks));
  openWalkthroughOnce(context);
  void models.refresh();
  void inlineModels.refresh();
  log.info(`QwQ Coder ${version} activated (workspace trusted: ${vscode.workspace.isTrusted})`);
  context.subscriptions.push(toDisposable(() => deactivate()));
  return { panel, log, models, inlineModels, tasks, review, reviews, store: tasksStore, inline, notifier, context: contextServices, mentions };
}

/**
 * The first activation opens the walkthrough, once (unless the user turned startup editors off). Its steps
 * complete themselves from context keys (trackContextKeys).
 */
function openWalkthroughOnce(context: vscode.ExtensionContext): void {
  const KEY = 'qwq.walkthroughShown';
  if (context.globalState.get<boolean>(KEY)) return;
  if (vscode.workspace.getConfiguration('workbench').get<string>('startupEditor') === 'none' && !process.env.QWQ_FIRST_RUN) return;
  void context.globalState.update(KEY, true);
  void vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#qwq.gettingStarted`, false);
}

export function deactivate(): void {
  store?.dispose();
  store = undefined;
}
