// The one prompt before tests run unsandboxed (docs/architecture.md §5, "Isolation"): where bubblewrap cannot
// run, the user allows the copy mode for a workspace once; the answer is kept in the workspace's state.
import * as vscode from 'vscode';
import type { AllowUnsandboxed } from './verifierFactory';

const KEY = 'qwq.tests.unsandboxedAllowed';
const ALLOW = 'Run unsandboxed in this workspace';

export function allowUnsandboxedOnce(context: Pick<vscode.ExtensionContext, 'workspaceState'>, log: { info(m: string): void }): AllowUnsandboxed {
  return async (workspace, why) => {
    const allowed = context.workspaceState.get<string[]>(KEY, []);
    if (allowed.includes(workspace)) return true;
    log.info(`tests: the sandbox cannot run: ${why}`);
    const pick = await vscode.window.showWarningMessage(
      `qwq-coder cannot sandbox test runs here: ${why}\n\nRun this workspace's tests unsandboxed, in a copy? They could then read your files and reach the network; every verdict will say "not sandboxed".`,
      { modal: true }, ALLOW,
    );
    if (pick !== ALLOW) return false;
    await context.workspaceState.update(KEY, [...allowed, workspace]);
    return true;
  };
}
