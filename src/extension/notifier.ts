import type * as vscode from 'vscode';

export interface Notice {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: string[];
}

type Window = Pick<typeof vscode.window, 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage'>;

/**
 * Notifications that never block the command that raised them: the action a person picks is handled when
 * they pick it. The last few are kept, so the integration tests can check what the user was told.
 */
export class Notifier {
  readonly recent: Notice[] = [];

  constructor(private readonly window: Window) {}

  show(severity: Notice['severity'], message: string, actions: Record<string, () => unknown> = {}): void {
    this.recent.push({ severity, message, actions: Object.keys(actions) });
    if (this.recent.length > 20) this.recent.shift();
    const fn = severity === 'error' ? this.window.showErrorMessage : severity === 'warning' ? this.window.showWarningMessage : this.window.showInformationMessage;
    void Promise.resolve(fn(message, ...Object.keys(actions))).then((choice) => {
      if (choice !== undefined) void Promise.resolve(actions[choice]?.());
    });
  }
}
