import * as vscode from 'vscode';

/**
 * The extension's log: a LogOutputChannel (levels, timestamps, "Set Log Level"). Its lines are colored by
 * syntaxes/qwq-log.injection.json, injected into the `log` language, so verdicts and phases stand out.
 */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('QwQ Coder', { log: true });
}
