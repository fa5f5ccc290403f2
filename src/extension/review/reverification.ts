// Verifying a candidate again, on the files as they are now: Accept on a file that moved on since it was verified,
// or a partial choice of hunks (a text nobody tested). The one seam between the review and the agent, so the
// review needs no task controller and the task controller's review needs nothing back (no cycle).
import * as vscode from 'vscode';
import type { AgentTask } from '../../core/agent/task';
import type { AgentPort } from '../tasks/agentPort';
import { EditorWorkspaceFiles } from '../tasks/editorFiles';
import { l10n } from '../l10n';
import type { ReviewCandidate } from './reviewFiles';

export type ReverifyResult = { verified: boolean; summary: string };

export class Reverification {
  /** How many times a review had to verify again (the integration tests check it). */
  count = 0;

  constructor(private readonly agent: Pick<AgentPort, 'reverify'>) {}

  async reverify(c: ReviewCandidate, changes: { path: string; before: string | undefined; after: string }[]): Promise<ReverifyResult> {
    this.count++;
    if (!vscode.workspace.isTrusted) return { verified: false, summary: l10n.t('Restricted Mode: tests cannot run.') };
    const folder = vscode.workspace.getWorkspaceFolder(c.files[0]!.uri);
    if (!folder) return { verified: false, summary: l10n.t('the file is outside the workspace') };
    const task: AgentTask = { id: c.taskId, kind: 'edit-selection', instruction: 're-verify', workspace: folder.uri.fsPath };
    const abort = new AbortController();
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: l10n.t('QwQ: verifying the edit again on the changed file…'), cancellable: true }, (_p, token) => {
      token.onCancellationRequested(() => abort.abort());
      return this.agent.reverify(task, new EditorWorkspaceFiles(folder.uri), changes, abort.signal);
    });
  }
}
