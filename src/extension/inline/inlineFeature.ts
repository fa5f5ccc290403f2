// Wires the inline provider: the engine over the model service and the context engine, background
// verification over the agent's verifier, and a status bar badge when a suggestion was verified.
import * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../../core/util';
import type { ContextEngine } from '../../core/context';
import type { AgentTask } from '../../core/agent';
import type { FileChange } from '../../core/edits';
import type { QwqSettings } from '../settings';
import type { ModelService } from '../model/modelService';
import { EditorWorkspaceFiles, toRelativePath } from '../tasks/editorFiles';
import type { ExtensionCtx } from '../extensionContext';
import type { ModelsFeature } from '../model/modelsFeature';
import type { AgentFeature } from '../tasks/agentFeature';
import { fastPathComplete, QwqInlineProvider, type InlineEngine } from './inlineProvider';
import { l10n } from '../l10n';
import { unavailableMessage } from '../model/modelPresentation';

export interface InlineDeps {
  /** The separate inline model (its own process): ghost text never runs on, nor waits for, the reasoning model. */
  models: ModelService;
  settings(): QwqSettings;
  log: vscode.LogOutputChannel;
  relativePath(uri: vscode.Uri): string | undefined;
  contextEngine(uri: vscode.Uri): ContextEngine | undefined;
  reverify(task: AgentTask, files: EditorWorkspaceFiles, changes: FileChange[], signal: AbortSignal): Promise<{ verified: boolean; summary: string }>;
}

export interface InlineFeature extends IDisposable {
  readonly provider: QwqInlineProvider;
  /** Shown while the current ghost text has passed background verification. */
  readonly badge: vscode.StatusBarItem;
  /** Offers to set up an inline model when none is configured. */
  readonly setup: vscode.StatusBarItem;
}

/** Definitions the context engine finds for the cursor, as a short comment-free preamble for FIM. */
async function contextPreamble(engine: ContextEngine | undefined, path: string | undefined, line: number, column: number, text: string): Promise<string> {
  if (!engine || !path) return '';
  try {
    // 'inline': definitions capped and cached per document version (the keystroke path, engine.ts).
    const ctx = await engine.context({ file: path, line, column, budget: 512, text, purpose: 'inline' });
    const defs = ctx.snippets.filter((s) => s.kind === 'definition' && s.path !== path);
    return defs.map((s) => `// ${s.path}\n${s.text}\n`).join('');
  } catch {
    return '';
  }
}

/** The fast path behind the provider: the ghost-text model, if one may be used, completing at the cursor. */
function inlineEngine(deps: InlineDeps): InlineEngine {
  // Why ghost text is off, said in the log once per reason rather than per keystroke.
  let saidOff: string | undefined;
  const off = (why: string): '' => {
    if (saidOff !== why) { saidOff = why; deps.log.info(`inline: no ghost text: ${why}`); }
    return '';
  };
  return {
    async complete(req, signal) {
      // No inline model configured (or one an untrusted workspace chose): no ghost text, and nothing loads.
      const choice = deps.models.choice();
      if (choice.blocked) return off(choice.blocked);
      if (!choice.model && !choice.server) return off('no ghost-text model is set (qwq.inline.model)');
      saidOff = undefined;
      if (unavailableMessage(await deps.models.refresh()) !== undefined) return '';
      // The context of this request's own text (not of whatever the editor holds by the time the model is
      // ready), computed while the model is acquired.
      const preamble = req.uri && req.text !== undefined ? contextPreamble(deps.contextEngine(req.uri), req.path, req.line, req.column, req.text) : Promise.resolve('');
      // Inline never triggers a download; it loads a small model that is on disk, in its own process.
      const runtime = await deps.models.acquire();
      // No beginWork(): a completion per keystroke would make the status bar flicker between busy and ready.
      return fastPathComplete(runtime, deps.models.info?.hasInfill ?? false, req, await preamble, signal);
    },
  };
}

export function registerInline(deps: InlineDeps): InlineFeature {
  const store = new DisposableStore();
  const engine = inlineEngine(deps);
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

  // No inline model: ghost text is off, and this item offers to set one up (it never falls back to QwQ).
  const setup = store.add(vscode.window.createStatusBarItem('qwq.inlineSetup', vscode.StatusBarAlignment.Right, 98));
  setup.name = 'QwQ Ghost Text';
  setup.command = 'qwq.selectInlineModel';
  const renderSetup = (): void => {
    const choice = deps.models.choice();
    const s = deps.settings();
    const state = deps.models.state;
    if (!s.inlineEnabled) { setup.hide(); return; }
    if (choice.blocked) {
      setup.text = `$(lightbulb-autofix) ${l10n.t('Ghost text: off')}`;
      setup.tooltip = choice.blocked;
    } else if (!choice.model && !choice.server) {
      setup.text = `$(lightbulb) ${l10n.t('Set up ghost text')}`;
      setup.tooltip = l10n.t('Ghost text needs a small code model (for example Qwen2.5-Coder 1.5B, 1.6 GB), separate from the reasoning model. Click to choose one.');
    } else if (state.kind === 'not-downloaded' || state.kind === 'missing-file') {
      setup.text = `$(lightbulb) ${l10n.t('Ghost text: model missing')}`;
      setup.tooltip = l10n.t('The ghost-text model {0} is not on this machine. Click to choose or download one.', choice.model);
    } else { setup.hide(); return; }
    setup.show();
  };
  store.add(deps.models.onDidChangeState(renderSetup));
  store.add(vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('qwq.inline')) { void deps.models.refresh(); renderSetup(); } }));
  renderSetup();
  store.add(vscode.languages.registerInlineCompletionItemProvider([{ scheme: 'file' }, { scheme: 'untitled' }], provider));
  return { provider, badge, setup, dispose: () => store.dispose() };
}

/** The inline feature over the other features: the ghost-text model, and each folder's context engine and verifier. */
export function registerInlineFeature(ctx: ExtensionCtx, { inlineModels }: ModelsFeature, { agent }: AgentFeature): InlineFeature {
  return registerInline({
    models: inlineModels, settings: () => ctx.settings(), log: ctx.log,
    relativePath: (uri) => {
      const f = vscode.workspace.getWorkspaceFolder(uri);
      return f ? toRelativePath(f.uri, uri) : undefined;
    },
    contextEngine: (uri) => {
      const f = vscode.workspace.getWorkspaceFolder(uri);
      return f ? agent.engineFor(f.uri.fsPath) : undefined;
    },
    reverify: (task, files, changes, signal) => agent.reverify(task, files, changes, signal),
  });
}
