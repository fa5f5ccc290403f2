import * as vscode from 'vscode';
import { formatLogLine, type LogLevelName } from './logFormat';

/** The language of the extension's output channel; syntaxes/qwq-log.tmLanguage.json colours it (and only it). */
export const LOG_LANGUAGE = 'qwq-log';

/**
 * The extension's log: a `vscode.LogOutputChannel` (levels, timestamps) written to an output channel of its own
 * language, so its grammar colours verdicts and phases here without touching other extensions' logs or .log
 * files (a grammar injected into the shared `log` language would colour all of them). The level follows
 * VS Code's ("Developer: Set Log Level…").
 */
export function createLog(): vscode.LogOutputChannel {
  return new QwqLogChannel('QwQ Coder');
}

class QwqLogChannel implements vscode.LogOutputChannel {
  private readonly channel: vscode.OutputChannel;
  private readonly levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  private readonly envListener: vscode.Disposable;
  private level = vscode.env.logLevel;
  readonly onDidChangeLogLevel = this.levelChanged.event;

  constructor(readonly name: string) {
    this.channel = vscode.window.createOutputChannel(name, LOG_LANGUAGE);
    this.envListener = vscode.env.onDidChangeLogLevel((l) => {
      this.level = l;
      this.levelChanged.fire(l);
    });
  }

  get logLevel(): vscode.LogLevel { return this.level; }

  private write(level: vscode.LogLevel, name: LogLevelName, message: unknown, args: unknown[]): void {
    if (this.level === vscode.LogLevel.Off || level < this.level) return;
    this.channel.appendLine(formatLogLine(new Date(), name, message, args));
  }

  trace(message: string, ...args: unknown[]): void { this.write(vscode.LogLevel.Trace, 'trace', message, args); }
  debug(message: string, ...args: unknown[]): void { this.write(vscode.LogLevel.Debug, 'debug', message, args); }
  info(message: string, ...args: unknown[]): void { this.write(vscode.LogLevel.Info, 'info', message, args); }
  warn(message: string, ...args: unknown[]): void { this.write(vscode.LogLevel.Warning, 'warning', message, args); }
  error(error: string | Error, ...args: unknown[]): void { this.write(vscode.LogLevel.Error, 'error', error, args); }

  append(value: string): void { this.channel.append(value); }
  appendLine(value: string): void { this.channel.appendLine(value); }
  replace(value: string): void { this.channel.replace(value); }
  clear(): void { this.channel.clear(); }
  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === 'boolean') this.channel.show(columnOrPreserveFocus);
    else this.channel.show(columnOrPreserveFocus, preserveFocus);
  }
  hide(): void { this.channel.hide(); }
  dispose(): void {
    this.envListener.dispose();
    this.levelChanged.dispose();
    this.channel.dispose();
  }
}
