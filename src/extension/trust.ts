import type * as vscode from 'vscode';
import type { Notifier } from './notifier';
import { l10n } from './l10n';

/** The action's label (translated when shown). */
export const manageTrustLabel = (): string => l10n.t('Manage Workspace Trust');

/**
 * Restricted Mode: an action that would run the workspace's tests explains why it won't, and offers to
 * manage trust. Nothing is run. Returns true when the workspace is trusted and the action may go on.
 */
export function requireTrustForTests(
  workspace: Pick<typeof vscode.workspace, 'isTrusted'>,
  notifier: Notifier,
  commands: Pick<typeof vscode.commands, 'executeCommand'>,
  action: string,
): boolean {
  if (workspace.isTrusted) return true;
  notifier.show('warning',
    l10n.t("{0} needs to run your tests, and this workspace is in Restricted Mode: QwQ Coder never runs a workspace's tests or commands until you trust it. Nothing was run.", action),
    { [manageTrustLabel()]: () => commands.executeCommand('workbench.trust.manage') });
  return false;
}
