import * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../core/util';
import { isVerified } from '../core/verify';
import type { PanelStore } from './panelStore';
import type { ModelService } from './model/modelService';
import type { CandidateReview } from './review/candidateReview';
import type { TaskController } from './tasks/taskController';

/** The `when` context keys the manifest uses (keybindings, palette, walkthrough completion). */
export function trackContextKeys(store: PanelStore, models: ModelService, review: CandidateReview, tasks: TaskController): IDisposable {
  const d = new DisposableStore();
  const last = new Map<string, boolean>();
  const set = (key: string, value: boolean): void => {
    if (last.get(key) === value) return;
    last.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const update = (): void => {
    set('qwq.taskRunning', tasks.runningTaskId !== undefined);
    set('qwq.hasVerifiedEdit', review.latestVerified() !== undefined);
    set('qwq.hasReviewEdit', review.latest() !== undefined);
    const k = models.state.kind;
    set('qwq.modelAvailable', k === 'unloaded' || k === 'ready' || k === 'busy' || k === 'loading');
    if (store.state.tasks.some((t) => t.candidates.some((c) => c.resolution === 'accepted' || c.resolution === 'partial'))) set('qwq.acceptedEdit', true);
    // The walkthrough's last step: a first verified edit (shown to the user, whether or not it was accepted yet).
    if (store.state.tasks.some((t) => t.candidates.some((c) => isVerified(c)))) set('qwq.verifiedEdit', true);
    // The walkthrough's trust step completes on a context *change*: VS Code's own isWorkspaceTrusted is already
    // true before the walkthrough opens in a trusted workspace, so the step never saw it flip. Ours is set now.
    set('qwq.workspaceTrusted', vscode.workspace.isTrusted);
  };
  d.add(store.onBatch(update));
  d.add(vscode.workspace.onDidGrantWorkspaceTrust(update));
  d.add(models.onDidChangeState(update));
  update();
  return d;
}
