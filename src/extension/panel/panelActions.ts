// What the panel's buttons do, over the features that do it. The panel decides nothing itself.
import * as vscode from 'vscode';
import type { ExtensionCtx } from '../extensionContext';
import type { PanelActions } from './webviewMessages';
import type { ReviewFeature } from '../review/reviewFeature';
import type { TaskController } from '../tasks/taskController';
import { l10n } from '../l10n';

/** A task's files are relative to its own folder (multi-root); context items of old tasks fall back to the first folder that has the file. */
async function resolveInFolder(tasks: TaskController, path: string, taskId?: string): Promise<vscode.Uri | undefined> {
  const own = tasks.folderOf(taskId);
  if (own) return vscode.Uri.joinPath(own.uri, path);
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(f.uri, path);
    try { await vscode.workspace.fs.stat(uri); return uri; } catch { /* try the next folder */ }
  }
  return undefined;
}

/** Opens a file of the task's folder at a 1-based line (a link in test output or a context pill). */
async function openLocation(ctx: ExtensionCtx, tasks: TaskController, path: string, line: number, taskId?: string): Promise<void> {
  const uri = await resolveInFolder(tasks, path, taskId);
  if (!uri) { ctx.notifier.show('info', l10n.t('{0} is not in this workspace.', path)); return; }
  const doc = await vscode.workspace.openTextDocument(uri);
  const pos = new vscode.Position(Math.max(0, Math.min(line - 1, doc.lineCount - 1)), 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
}

export function createPanelActions(ctx: ExtensionCtx, tasks: TaskController, review: ReviewFeature): PanelActions {
  const reviews = review.review;
  return {
    accept: async (ref) => { await reviews.accept(ref); },
    reject: (ref) => reviews.reject(ref),
    openDiff: async (ref, file) => {
      if (!(await reviews.openDiff(ref, file))) ctx.notifier.show('info', l10n.t('This edit is no longer under review.'));
    },
    preview: async (ref) => { await reviews.preview(ref); },
    applyUnverified: async (ref) => { await reviews.applyUnverified(ref); },
    submit: (instruction, kind, pills) => tasks.submit({ kind, instruction, pills }),
    followUp: (taskId, text, candidateId) => tasks.followUp(taskId, text, candidateId),
    completeMention: async (kind, query) => (await tasks.mentions?.complete(kind, query)) ?? [],
    removeTask: (taskId) => ctx.panelState.dispatch({ type: 'remove-task', taskId }),
    openLocation: (path, line, taskId) => openLocation(ctx, tasks, path, line, taskId),
    cancel: (taskId) => { tasks.cancel(taskId); },
    clearHistory: () => ctx.panelState.dispatch({ type: 'clear-history' }),
  };
}
