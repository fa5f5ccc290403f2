// The reasoning panel feature: the webview view, the snapshot it shows (model state, trust, the editor's
// file and selection for the composer's pills), and when that snapshot is pushed again.
import * as vscode from 'vscode';
import { DisposableStore, toDisposable, type IDisposable } from '../../core/util';
import type { PanelSnapshot } from '../../protocol';
import type { ExtensionCtx } from '../extensionContext';
import type { ModelsFeature } from '../model/modelsFeature';
import { ReasoningPanelProvider, REASONING_VIEW_ID } from '../reasoningPanel';
import type { ReviewFeature } from '../review/reviewFeature';
import { toRelativePath } from '../tasks/editorFiles';
import { selectionToLines, type TaskController } from '../tasks/taskController';
import { createPanelActions } from './panelActions';

export interface PanelFeature extends IDisposable {
  readonly provider: ReasoningPanelProvider;
  open(): Promise<void>;
}

/** The active editor's file (relative to its folder) and selection, for the composer's pills. */
function editorContext(): PanelSnapshot['editor'] {
  const editor = vscode.window.activeTextEditor;
  if (!editor || (editor.document.uri.scheme !== 'file' && editor.document.uri.scheme !== 'untitled')) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(editor.document.uri);
  const file = folder ? toRelativePath(folder.uri, editor.document.uri) : undefined;
  if (!file) return undefined;
  const sel = editor.selection;
  return { file, ...(sel.isEmpty ? {} : { selection: selectionToLines(sel) }) };
}

export function registerPanel(ctx: ExtensionCtx, { models }: ModelsFeature, tasks: TaskController, review: ReviewFeature): PanelFeature {
  const store = new DisposableStore();
  // The one model state (a stopped download included): the status bar and the walkthrough read the same.
  const snapshot = (): PanelSnapshot => ({ model: models.state, trusted: vscode.workspace.isTrusted, version: ctx.version, editor: editorContext(), l10n: vscode.l10n.bundle });
  const provider = store.add(new ReasoningPanelProvider(ctx.extension.extensionUri, snapshot, ctx.log, ctx.panelState, createPanelActions(ctx, tasks, review)));
  store.add(vscode.window.registerWebviewViewProvider(REASONING_VIEW_ID, provider, { webviewOptions: { retainContextWhenHidden: false } }));
  store.add(models.onDidChangeState(() => provider.refresh()));
  store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()));
  // The composer's pills follow the active editor and its selection.
  let pillTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshSoon = (): void => { if (pillTimer) clearTimeout(pillTimer); pillTimer = setTimeout(() => provider.refresh(), 150); };
  store.add(vscode.window.onDidChangeActiveTextEditor(refreshSoon));
  store.add(vscode.window.onDidChangeTextEditorSelection(refreshSoon));
  store.add(toDisposable(() => { if (pillTimer) clearTimeout(pillTimer); }));
  return {
    provider,
    open: async () => { await vscode.commands.executeCommand(`${REASONING_VIEW_ID}.focus`); },
    dispose: () => store.dispose(),
  };
}
