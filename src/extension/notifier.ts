import type * as vscode from 'vscode';
import { Emitter, type IDisposable } from '../core/util';

export interface Notice {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: string[];
}

type Window = Pick<typeof vscode.window, 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage'>;

/**
 * Notifications that never block the command that raised them: the action a person picks is handled when
 * they pick it.
 */
export class Notifier implements IDisposable {
  private readonly shown = new Emitter<Notice>();
  /** Fires for every notice shown (the test API keeps a history of them). */
  readonly onDidShow = this.shown.event;

  constructor(private readonly window: Window) {}

  show(severity: Notice['severity'], message: string, actions: Record<string, () => unknown> = {}): void {
    this.shown.fire({ severity, message, actions: Object.keys(actions) });
    const fn = severity === 'error' ? this.window.showErrorMessage : severity === 'warning' ? this.window.showWarningMessage : this.window.showInformationMessage;
    void Promise.resolve(fn(message, ...Object.keys(actions))).then((choice) => {
      if (choice !== undefined) void Promise.resolve(actions[choice]?.());
    });
  }

  dispose(): void { this.shown.dispose(); }
}
