import type * as vscode from 'vscode';

export const MANAGE_TRUST = 'Manage Workspace Trust';

/**
 * Restricted Mode: an action that would run the workspace's tests explains why it won't, and offers to
 * manage trust. Nothing is run. Returns true when the workspace is trusted and the action may go on.
 */
export async function requireTrustForTests(
  workspace: Pick<typeof vscode.workspace, 'isTrusted'>,
  window: Pick<typeof vscode.window, 'showWarningMessage'>,
  commands: Pick<typeof vscode.commands, 'executeCommand'>,
  action: string,
): Promise<boolean> {
  if (workspace.isTrusted) return true;
  const choice = await window.showWarningMessage(
    `${action} needs to run your tests, and this workspace is in Restricted Mode: QwQ Coder never runs a workspace's tests or commands until you trust it. Nothing was run.`,
    MANAGE_TRUST,
  );
  if (choice === MANAGE_TRUST) await commands.executeCommand('workbench.trust.manage');
  return false;
}
