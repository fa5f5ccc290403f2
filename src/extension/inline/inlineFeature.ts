// Wires the inline provider: the engine over the model service and the context engine, background
// verification over the agent's verifier, and a status bar badge when a suggestion was verified.
import * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../../core/util/lifecycle';
import type { ContextEngine } from '../../core/context/engine';
import type { AgentTask } from '../../core/agent/task';
import type { FileChange } from '../../core/edits/types';
import type { QwqSettings } from '../config';
import type { ModelService } from '../model/modelService';
import { EditorWorkspaceFiles } from '../tasks/editorFiles';
import { fastPathComplete, QwqInlineProvider, type InlineEngine } from './inlineProvider';
import { l10n } from '../l10n';

export interface InlineDeps {
  models: ModelService;
  settings(): QwqSettings;
  log: vscode.LogOutputChannel;
  relativePath(uri: vscode.Uri): string | undefined;
  contextEngine(uri: vscode.Uri): ContextEngine | undefined;
  /** A palette task owns the model while it runs: ghost text waits rather than contend for the sequence. */
  isTaskRunning(): boolean;
  reverify(task: AgentTask, files: EditorWorkspaceFiles, changes: FileChange[], signal: AbortSignal): Promise<{ verified: boolean; summary: string }>;
}

export interface InlineFeature extends IDisposable {
  readonly provider: QwqInlineProvider;
  /** Shown while the current ghost text has passed background verification. */
  readonly badge: vscode.StatusBarItem;
}

/** Definitions the context engine finds for the cursor, as a short comment-free preamble for FIM. */
async function contextPreamble(engine: ContextEngine | undefined, path: string | undefined, line: number, column: number, text: string): Promise<string> {
  if (!engine || !path) return '';
  try {
    const ctx = await engine.context({ file: path, line, column, budget: 512, text });
    const defs = ctx.snippets.filter((s) => s.kind === 'definition' && s.path !== path);
    return defs.map((s) => `// ${s.path}\n${s.text}\n`).join('');
  } catch {
    return '';
  }
}

export function registerInline(deps: InlineDeps): InlineFeature {
  const store = new DisposableStore();
  const engine: InlineEngine = {
    async complete(req, signal) {
      if (deps.isTaskRunning()) return '';
      // Inline never triggers a download; it loads a model that is on disk (fast for small ones).
      const runtime = await deps.models.acquire();
      const uri = vscode.window.activeTextEditor?.document.uri;
      const preamble = uri ? await contextPreamble(deps.contextEngine(uri), req.path, req.line, req.column, vscode.window.activeTextEditor!.document.getText()) : '';
      // No beginWork(): a completion per keystroke would make the status bar flicker between busy and ready.
      return fastPathComplete(runtime, deps.models.info?.hasInfill ?? false, req, preamble, signal);
    },
  };
  const badge = store.add(vscode.window.createStatusBarItem('qwq.inlineVerified', vscode.StatusBarAlignment.Right, 99));
  badge.name = 'QwQ Verified Suggestion';
  badge.text = `$(pass-filled) ${l10n.t('suggestion verified')}`;
  badge.tooltip = l10n.t('The ghost text passed your tests in a shadow copy (qwq.inline.verify = background).');

  const verifier = async (doc: vscode.TextDocument, position: vscode.Position, text: string, signal: AbortSignal): Promise<boolean> => {
    if (!vscode.workspace.isTrusted) return false;
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    const path = deps.relativePath(doc.uri);
    if (!folder || !path) return false;
    const before = doc.getText();
    const offset = doc.offsetAt(position);
    const task: AgentTask = { id: `inline-${doc.version}`, kind: 'edit-selection', instruction: 'inline suggestion', workspace: folder.uri.fsPath, file: path };
    const r = await deps.reverify(task, new EditorWorkspaceFiles(folder.uri), [{ path, before, after: before.slice(0, offset) + text + before.slice(offset) }], signal);
    return r.verified;
  };
  const provider = store.add(new QwqInlineProvider(engine, deps.settings, deps.relativePath, verifier, deps.log));
  provider.onVerified = () => {
    badge.show();
    void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  };
  store.add(vscode.window.onDidChangeTextEditorSelection(() => badge.hide()));
  store.add(vscode.languages.registerInlineCompletionItemProvider([{ scheme: 'file' }, { scheme: 'untitled' }], provider));
  return { provider, badge, dispose: () => store.dispose() };
}
