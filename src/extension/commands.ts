// The palette commands (category QwQ). Each is a small function over the features it needs; registration
// is a table, so the manifest and the code can be checked against each other (integration test).
import * as vscode from 'vscode';
import { DisposableStore } from '../core/util/lifecycle';
import { DEFAULT_MODEL } from '../core/model/modelSource';
import { detectReasoningFormat, listServerModels } from '../core/model/serverProbe';
import { serverSecretKey } from './model/serverRuntime';
import { demoModelChoices } from './model/demoModels';
import type { TaskKind } from '../core/agent/task';
import type { ModelService } from './model/modelService';
import type { CandidateReview } from './review/candidateReview';
import type { CandidateRef } from '../protocol/messages';
import type { TaskController } from './tasks/taskController';
import type { Notifier } from './notifier';
import { l10n } from './l10n';
import type { ExtensionCtx } from './extensionContext';
import type { ModelsFeature } from './model/modelsFeature';
import type { ReviewFeature } from './review/reviewFeature';
import type { PanelFeature } from './panel/panelFeature';
import { errorMessage } from '../core/util/errors';

export interface CommandDeps {
  tasks: TaskController;
  models: ModelService;
  /** The ghost-text model (qwq.inline.model). */
  inlineModels?: ModelService;
  /** Where server API keys are kept (never settings.json). */
  secrets?: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete'>;
  review: CandidateReview;
  log: vscode.LogOutputChannel;
  notifier: Notifier;
  openPanel(): Promise<void>;
}

/** The commands' dependencies, taken from the features. */
export function commandDeps(ctx: ExtensionCtx, { models, inlineModels }: ModelsFeature, review: ReviewFeature, tasks: TaskController, panel: PanelFeature): CommandDeps {
  return {
    tasks, models, inlineModels, review: review.review, log: ctx.log, notifier: ctx.notifier,
    secrets: ctx.extension.secrets, openPanel: panel.open,
  };
}

/** Command ids, in the order of the palette; package.json contributes exactly these. */
export const COMMAND_IDS = [
  'qwq.editSelection', 'qwq.fixFailingTests', 'qwq.implementFunction', 'qwq.generateTests', 'qwq.explainSelection',
  'qwq.acceptSuggestion', 'qwq.rejectSuggestion', 'qwq.openPanel', 'qwq.selectModel', 'qwq.selectInlineModel', 'qwq.downloadModel', 'qwq.cancel', 'qwq.showLog',
  'qwq.review.accept', 'qwq.review.reject', 'qwq.review.acceptFile', 'qwq.review.rejectFile', 'qwq.review.acceptHunk', 'qwq.review.rejectHunk',
] as const;
export type CommandId = typeof COMMAND_IDS[number];

/** The word or selected text, as the symbol a task is about. */
function symbolAt(editor: vscode.TextEditor): string | undefined {
  const range = editor.selection.isEmpty ? editor.document.getWordRangeAtPosition(editor.selection.active) : editor.selection;
  const text = range ? editor.document.getText(range).trim() : '';
  return /^[A-Za-z_$][\w$]*$/.test(text) ? text : undefined;
}

function requireEditor(deps: CommandDeps, what: string): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) deps.notifier.show('info', l10n.t('{0}: open a file first and put the cursor (or a selection) where the change should go.', what));
  return editor;
}

async function runTask(deps: CommandDeps, kind: TaskKind, instruction: string, editor?: vscode.TextEditor, symbol?: string): Promise<string | undefined> {
  return deps.tasks.start({ kind, instruction, editor, symbol });
}

/** A small FIM code model for ghost text, as llama.vscode uses (1.6 GB). */
export const DEFAULT_INLINE_MODEL = 'hf:ggml-org/Qwen2.5-Coder-1.5B-Q8_0-GGUF:Q8_0';

const qwqConfig = () => vscode.workspace.getConfiguration('qwq');

/**
 * Connect to a server…: asks for the /v1 base URL and an optional API key (kept in SecretStorage), checks
 * GET /models, lets the user pick one of the served models, and reports how it returns its thinking.
 * Returns the chosen {url, model}, or undefined when cancelled or the server did not answer.
 */
async function chooseServer(deps: CommandDeps, purpose: 'reasoning' | 'inline'): Promise<{ url: string; model: string } | undefined> {
  const current = qwqConfig().get<string>('server.url', '') || 'http://127.0.0.1:8080/v1';
  const url = (await vscode.window.showInputBox({
    title: l10n.t('QwQ: model server'), value: current, ignoreFocusOut: true,
    prompt: l10n.t('The OpenAI-compatible base URL, for example http://127.0.0.1:8080/v1 (llama.cpp server), http://host:8000/v1 (vLLM) or http://127.0.0.1:11434/v1 (Ollama)'),
    validateInput: (v) => (/^https?:\/\/\S+$/i.test(v.trim()) ? undefined : l10n.t('An http:// or https:// URL')),
  }))?.trim();
  if (!url) return undefined;
  const keyId = serverSecretKey(url);
  const stored = await deps.secrets?.get(keyId);
  const key = await vscode.window.showInputBox({
    title: l10n.t('QwQ: API key for {0}', url), password: true, ignoreFocusOut: true, value: stored ?? '',
    prompt: l10n.t('Leave empty if the server needs none. The key is kept in VS Code\'s secret storage, never in settings.'),
  });
  if (key === undefined) return undefined;
  const headers = qwqConfig().get<Record<string, string>>('server.headers', {}) ?? {};
  let served: string[];
  try {
    served = await listServerModels({ baseUrl: url, apiKey: key || undefined, headers });
  } catch (e) {
    deps.notifier.show('error', errorMessage(e));
    return undefined;
  }
  const model = served.length === 1 && purpose === 'reasoning' ? served[0] : served.length > 0
    ? (await vscode.window.showQuickPick(served, { title: l10n.t('QwQ: which model on {0}?', url), ignoreFocusOut: true }))
    : (await vscode.window.showInputBox({ title: l10n.t('QwQ: model name'), prompt: l10n.t('The server listed no models; enter the model name it serves'), ignoreFocusOut: true }))?.trim();
  if (!model) return undefined;
  if (key) await deps.secrets?.store(keyId, key); else await deps.secrets?.delete(keyId);
  if (purpose === 'reasoning') {
    try {
      const format = await detectReasoningFormat({ baseUrl: url, model, apiKey: key || undefined, headers });
      const words = { reasoning_content: l10n.t('in a separate reasoning_content field'), 'think-tags': l10n.t('inline, between <think> tags'), none: l10n.t('not at all (no thinking was seen)') }[format];
      deps.log.info(`model: server ${url} serves ${model}; its thinking comes back ${format}`);
      deps.notifier.show('info', l10n.t('Connected to {0} ({1}). Its thinking comes back {2}.', url, model, words));
    } catch (e) {
      deps.log.warn(`model: ${errorMessage(e)}`);
    }
  }
  return { url, model };
}

/** Select Model…: a GGUF file on disk, an hf: URI, the default QwQ-32B, or an OpenAI-compatible server. */
async function selectModel(deps: CommandDeps, arg?: string): Promise<string | undefined> {
  let spec = typeof arg === 'string' ? arg : undefined;
  if (spec === undefined) {
    const pick = await vscode.window.showQuickPick([
      { label: `$(file) ${l10n.t('Browse for a GGUF file…')}`, id: 'file' },
      { label: '$(cloud-download) QwQ-32B (Q4_K_M, 19.9 GB)', description: DEFAULT_MODEL, id: 'default' },
      { label: `$(edit) ${l10n.t('Enter a model URI or path…')}`, description: l10n.t('hf:user/repo:QUANT, https://…, or a path'), id: 'enter' },
      { label: `$(server) ${l10n.t('Connect to a server…')}`, description: l10n.t('OpenAI-compatible: vLLM, SGLang, llama.cpp server, Ollama'), id: 'server' },
      // `npm start` names the sample's demo models (scripted, for the sample workspace only).
      ...demoModelChoices(process.env.QWQ_DEMO_MODELS_DIR).map((d) => ({ label: d.label, description: d.description, id: 'demo', path: d.path })),
    ], { title: l10n.t('QwQ: Select Model'), placeHolder: l10n.t('Current: {0}', deps.models.state.kind === 'not-configured' ? l10n.t('none') : ('model' in deps.models.state ? String(deps.models.state.model) : l10n.t('none'))) });
    if (!pick) return undefined;
    if (pick.id === 'server') {
      const server = await chooseServer(deps, 'reasoning');
      if (!server) return undefined;
      await qwqConfig().update('server.url', server.url, vscode.ConfigurationTarget.Global);
      await qwqConfig().update('server.model', server.model, vscode.ConfigurationTarget.Global);
      await qwqConfig().update('model.provider', 'server', vscode.ConfigurationTarget.Global);
      const state = await deps.models.refresh();
      deps.log.info(`model: selected server ${server.url} (${server.model}) (${state.kind})`);
      return `${server.model} @ ${server.url}`;
    }
    if (pick.id === 'default') spec = DEFAULT_MODEL;
    else if (pick.id === 'demo' && 'path' in pick) spec = pick.path;
    else if (pick.id === 'file') {
      const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [l10n.t('GGUF models')]: ['gguf'] }, title: l10n.t('Select a GGUF model') });
      spec = files?.[0]?.fsPath;
    } else {
      spec = (await vscode.window.showInputBox({ title: l10n.t('QwQ: model'), prompt: l10n.t('A GGUF path, an hf:user/repo:QUANT URI, or an https URL'), value: DEFAULT_MODEL }))?.trim();
    }
  }
  if (!spec) return undefined;
  await qwqConfig().update('model.source', spec, vscode.ConfigurationTarget.Global);
  await qwqConfig().update('model.provider', 'local', vscode.ConfigurationTarget.Global);
  const state = await deps.models.refresh();
  deps.log.info(`model: selected ${spec} (${state.kind})`);
  if (state.kind === 'not-downloaded') {
    deps.notifier.show('info', l10n.t('{0} is not downloaded yet.', spec), { [l10n.t('Download Model')]: () => vscode.commands.executeCommand('qwq.downloadModel') });
  }
  return spec;
}

/** Set Up Ghost Text…: a small FIM code model (local or on the server) for inline suggestions, or none. */
async function selectInlineModel(deps: CommandDeps, arg?: string): Promise<string | undefined> {
  let spec = typeof arg === 'string' ? arg : undefined;
  if (spec === undefined) {
    const pick = await vscode.window.showQuickPick([
      { label: '$(cloud-download) Qwen2.5-Coder 1.5B (Q8_0, 1.6 GB)', description: DEFAULT_INLINE_MODEL, id: 'default' },
      { label: `$(file) ${l10n.t('Browse for a GGUF file…')}`, id: 'file' },
      { label: `$(server) ${l10n.t('A model on a server…')}`, description: l10n.t('a FIM code model served at /v1/completions'), id: 'server' },
      { label: `$(circle-slash) ${l10n.t('No ghost text')}`, id: 'off' },
    ], { title: l10n.t('QwQ: ghost-text model'), placeHolder: l10n.t('Ghost text comes from a small, fast code model, never from the reasoning model') });
    if (!pick) return undefined;
    if (pick.id === 'off') { await qwqConfig().update('inline.enabled', false, vscode.ConfigurationTarget.Global); return ''; }
    if (pick.id === 'server') {
      const server = await chooseServer(deps, 'inline');
      if (!server) return undefined;
      await qwqConfig().update('server.url', server.url, vscode.ConfigurationTarget.Global);
      await qwqConfig().update('inline.serverModel', server.model, vscode.ConfigurationTarget.Global);
      await qwqConfig().update('inline.enabled', true, vscode.ConfigurationTarget.Global);
      await deps.inlineModels?.refresh();
      return server.model;
    }
    if (pick.id === 'default') spec = DEFAULT_INLINE_MODEL;
    else spec = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [l10n.t('GGUF models')]: ['gguf'] }, title: l10n.t('Select a GGUF model') }))?.[0]?.fsPath;
  }
  if (!spec) return undefined;
  await qwqConfig().update('inline.model', spec, vscode.ConfigurationTarget.Global);
  await qwqConfig().update('inline.serverModel', '', vscode.ConfigurationTarget.Global);
  await qwqConfig().update('inline.enabled', true, vscode.ConfigurationTarget.Global);
  const state = await deps.inlineModels?.refresh();
  if (state?.kind === 'not-downloaded') {
    try {
      await deps.inlineModels!.download(spec);
    } catch (e) {
      deps.notifier.show('error', l10n.t('The download stopped: {0}', errorMessage(e)));
    }
  }
  return spec;
}

async function downloadModel(deps: CommandDeps): Promise<void> {
  let spec = qwqConfig().get<string>('model.source', '').trim();
  const state = await deps.models.refresh();
  // A missing local file or no model at all: download the default QwQ-32B and select it.
  if (spec === '' || state.kind === 'missing-file') spec = DEFAULT_MODEL;
  else if (state.kind !== 'not-downloaded') {
    deps.notifier.show('info', l10n.t('{0} is already on this machine.', spec));
    return;
  }
  const download = l10n.t('Download');
  const proceed = await vscode.window.showInformationMessage(l10n.t('Download {0}? QwQ-32B Q4_K_M is about 19.9 GB; the download can be cancelled and resumes later.', spec), { modal: true }, download);
  if (proceed !== download) return;
  if (qwqConfig().get<string>('model.source') !== spec) await qwqConfig().update('model.source', spec, vscode.ConfigurationTarget.Global);
  try {
    await deps.models.download(spec);
    deps.notifier.show('info', l10n.t('Downloaded {0}. QwQ Coder is ready.', spec));
  } catch (e) {
    // One short line (a toast cuts long ones off), and the next steps as buttons; the log has the whole story.
    const full = errorMessage(e);
    const short = full.split('\n')[0].slice(0, 140);
    deps.log.error(`model: download of ${spec} failed: ${full}`);
    deps.notifier.show('error', l10n.t('The download of the model stopped: {0}', short), {
      [l10n.t('Retry')]: () => vscode.commands.executeCommand('qwq.downloadModel'),
      [l10n.t('Select Model…')]: () => vscode.commands.executeCommand('qwq.selectModel'),
      [l10n.t('Show Log')]: () => vscode.commands.executeCommand('qwq.showLog'),
    });
  }
}

async function acceptSuggestion(deps: CommandDeps, ref?: CandidateRef): Promise<boolean> {
  const c = ref ?? deps.review.activeRef() ?? deps.review.latestVerified();
  if (!c) {
    deps.notifier.show('info', l10n.t('There is no verified edit to accept. Only edits that passed your tests can be accepted.'));
    return false;
  }
  return deps.review.accept(c);
}

async function rejectSuggestion(deps: CommandDeps, ref?: CandidateRef): Promise<boolean> {
  const c = ref ?? deps.review.activeRef() ?? deps.review.latest();
  if (!c) {
    deps.notifier.show('info', l10n.t('There is no edit under review.'));
    return false;
  }
  await deps.review.reject(c);
  return true;
}

/** A ref passed by a CodeLens or a title-bar button, checked (commands can be run with any arguments). */
function asRef(x: unknown): CandidateRef | undefined {
  const r = x as CandidateRef | undefined;
  return r && typeof r.taskId === 'string' && typeof r.candidateId === 'string' ? { taskId: r.taskId, candidateId: r.candidateId } : undefined;
}

/** Registers every command; each returns something the integration tests can check. */
export function registerCommands(deps: CommandDeps): DisposableStore {
  const store = new DisposableStore();
  const handlers: Record<CommandId, (...args: any[]) => unknown> = {
    'qwq.editSelection': async (instruction?: string) => {
      const editor = requireEditor(deps, l10n.t('Edit Selection'));
      if (!editor) return undefined;
      // Say what is missing (trust, model) before asking for an instruction that could not be acted on.
      if (!(await deps.tasks.preflight('edit-selection'))) return undefined;
      const text = typeof instruction === 'string' ? instruction : await vscode.window.showInputBox({
        title: l10n.t('QwQ: Edit Selection'), prompt: l10n.t('What should change? The edit is shown only after your tests pass.'), placeHolder: l10n.t('e.g. handle an empty list'),
      });
      if (!text?.trim()) return undefined;
      return runTask(deps, 'edit-selection', text.trim(), editor);
    },
    'qwq.fixFailingTests': () => runTask(deps, 'fix-failing-tests', '', vscode.window.activeTextEditor),
    'qwq.implementFunction': () => {
      const editor = requireEditor(deps, l10n.t('Implement Function'));
      if (!editor) return undefined;
      const symbol = symbolAt(editor);
      return runTask(deps, 'implement-function', `Implement ${symbol ?? 'the function at the cursor'}`, editor, symbol);
    },
    'qwq.generateTests': () => {
      const editor = requireEditor(deps, l10n.t('Generate Tests'));
      if (!editor) return undefined;
      const symbol = symbolAt(editor);
      return runTask(deps, 'generate-tests', `Write tests for ${symbol ?? 'the selected code'}`, editor, symbol);
    },
    'qwq.explainSelection': () => {
      const editor = requireEditor(deps, l10n.t('Explain Selection'));
      if (!editor) return undefined;
      return runTask(deps, 'explain', 'Explain what the selected code does and why', editor, symbolAt(editor));
    },
    'qwq.acceptSuggestion': () => acceptSuggestion(deps),
    'qwq.rejectSuggestion': () => rejectSuggestion(deps),
    'qwq.openPanel': () => deps.openPanel(),
    'qwq.selectModel': (spec?: string) => selectModel(deps, spec),
    'qwq.selectInlineModel': (spec?: string) => selectInlineModel(deps, spec),
    'qwq.downloadModel': () => downloadModel(deps),
    'qwq.cancel': () => {
      const cancelled = deps.tasks.cancel();
      if (!cancelled) deps.notifier.show('info', l10n.t('No QwQ task is running.'));
      return cancelled;
    },
    'qwq.showLog': () => deps.log.show(true),
    // The diff editor's title bar and the previewed file pass a Uri (or nothing): the active candidate is meant.
    'qwq.review.accept': (ref?: unknown) => acceptSuggestion(deps, asRef(ref)),
    'qwq.review.reject': (ref?: unknown) => rejectSuggestion(deps, asRef(ref)),
    'qwq.review.acceptFile': (ref: unknown, path: unknown) => { const r = asRef(ref); return r && typeof path === 'string' ? deps.review.decideFile(r, path, 'accepted') : undefined; },
    'qwq.review.rejectFile': (ref: unknown, path: unknown) => { const r = asRef(ref); return r && typeof path === 'string' ? deps.review.decideFile(r, path, 'rejected') : undefined; },
    'qwq.review.acceptHunk': (ref: unknown, path: unknown, index: unknown) => { const r = asRef(ref); return r && typeof path === 'string' && Number.isInteger(index) ? deps.review.decideHunk(r, path, index as number, 'accepted') : undefined; },
    'qwq.review.rejectHunk': (ref: unknown, path: unknown, index: unknown) => { const r = asRef(ref); return r && typeof path === 'string' && Number.isInteger(index) ? deps.review.decideHunk(r, path, index as number, 'rejected') : undefined; },
  };
  for (const id of COMMAND_IDS) store.add(vscode.commands.registerCommand(id, handlers[id]));
  return store;
}
