// Verifying a candidate again on the current text (Accept on a file that changed since verification, or a
// partial choice of hunks): a small service over the agent, so the review depends on it and not on the task
// controller (which depends on the review).
import * as vscode from 'vscode';
import { Emitter, type IDisposable } from '../../core/util';
import type { CandidateRef } from '../../protocol';
import type { Reverify } from '../review/reviewFiles';
import type { AgentPort } from './agentPort';
import { EditorWorkspaceFiles } from './editorFiles';
import { l10n } from '../l10n';

export class Reverifier implements IDisposable {
  private readonly started = new Emitter<CandidateRef>();
  /** Fires for every second verification asked for (the test API counts them). */
  readonly onDidStart = this.started.event;

  constructor(private readonly agent: Pick<AgentPort, 'reverify'>) {}

  readonly reverify: Reverify = async (c, changes) => {
    this.started.fire({ taskId: c.taskId, candidateId: c.candidateId });
    if (!vscode.workspace.isTrusted) return { verified: false, summary: l10n.t('Restricted Mode: tests cannot run.') };
    const folder = vscode.workspace.getWorkspaceFolder(c.files[0].uri);
    if (!folder) return { verified: false, summary: l10n.t('the file is outside the workspace') };
    // The candidate's own task, never a weaker edit-selection: a fix keeps its targets, Implement Function its symbol.
    if (!c.task) return { verified: false, summary: l10n.t('the task this edit was written for is not known, so it cannot be verified again') };
    const task = { ...c.task, id: c.taskId, instruction: 're-verify', workspace: folder.uri.fsPath };
    const abort = new AbortController();
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: l10n.t('QwQ: verifying the edit again on the changed file…'), cancellable: true }, (_p, token) => {
      token.onCancellationRequested(() => abort.abort());
      return this.agent.reverify(task, new EditorWorkspaceFiles(folder.uri), changes, abort.signal);
    });
  };

  dispose(): void { this.started.dispose(); }
}
