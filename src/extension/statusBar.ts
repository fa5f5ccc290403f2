import * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../core/util';
import type { ModelService } from './model/modelService';
import { statusPresentation } from './model/modelPresentation';

/** The status bar item for the model's state: not downloaded, downloading n%, loading, ready, busy tok/s, error. */
export class ModelStatusBar implements IDisposable {
  private readonly store = new DisposableStore();
  readonly item: vscode.StatusBarItem;

  constructor(models: ModelService) {
    this.item = vscode.window.createStatusBarItem('qwq.model', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'QwQ Model';
    this.store.add(this.item);
    this.store.add(models.onDidChangeState(() => this.render(models)));
    this.render(models);
    this.item.show();
  }

  private render(models: ModelService): void {
    const p = statusPresentation(models.state);
    this.item.text = p.text;
    this.item.tooltip = p.tooltip;
    this.item.command = p.command;
    this.item.backgroundColor = p.severity ? new vscode.ThemeColor(`statusBarItem.${p.severity}Background`) : undefined;
  }

  dispose(): void { this.store.dispose(); }
}
