// The local model in VS Code's model picker (docs/architecture.md, "Other agents"): a Language Model Chat
// Provider that serves the configured QwQ (in-process node-llama-cpp in its child process, or the configured
// server) and the inline model, through the same ModelServices the panel and ghost text use. Streaming, cancel,
// token counting, tool calls (QwQ's function calling), and only the answer is sent: the thinking never is.
// Restricted Mode: a model that the untrusted workspace's settings chose is not offered (ModelChoice.blocked).
import * as vscode from 'vscode';
import type { ChatOptions, ModelRuntime, ToolDefinition } from '../../core/model/types';
import { DisposableStore, type IDisposable } from '../../core/util/lifecycle';
import { choiceLabel, type ModelService } from '../model/modelService';
import { estimateTokens, partText, pickerName, toRuntimeMessages, type RequestMessageLike } from './chatMessages';
import { l10n } from '../l10n';

export const CHAT_VENDOR = 'qwq-coder';
const USABLE = new Set(['unloaded', 'ready', 'busy', 'loading']);

interface Served { id: 'qwq-main' | 'qwq-inline'; service: ModelService; family: string; toolCalling: boolean }

export interface ChatProviderDeps {
  models: ModelService;
  inlineModels: ModelService;
  version: string;
  /** qwq.agent.thoughtBudget: QwQ thinks at most this many tokens before it answers. */
  thoughtBudget(): number;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>;
}

export class QwqChatProvider implements vscode.LanguageModelChatProvider, IDisposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<void>());
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly served: Served[];

  constructor(private readonly deps: ChatProviderDeps) {
    this.served = [
      { id: 'qwq-main', service: deps.models, family: 'qwq', toolCalling: true },
      { id: 'qwq-inline', service: deps.inlineModels, family: 'qwq-inline', toolCalling: false },
    ];
    // The picker follows the settings: a model appears when one is configured and usable, and goes when it is not.
    let last = '';
    const fire = (): void => {
      const now = this.served.map((s) => `${s.service.state.kind}:${choiceLabel(s.service.choice())}`).join('|');
      if (now !== last) { last = now; this.changed.fire(); }
    };
    this.store.add(deps.models.onDidChangeState(fire));
    this.store.add(deps.inlineModels.onDidChangeState(fire));
    this.store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()));
  }

  private usable(s: Served): boolean {
    const choice = s.service.choice();
    return !choice.blocked && choiceLabel(choice) !== '' && USABLE.has(s.service.state.kind);
  }

  provideLanguageModelChatInformation(): vscode.LanguageModelChatInformation[] {
    return this.served.filter((s) => this.usable(s)).map((s) => {
      const choice = s.service.choice();
      const label = choiceLabel(choice);
      const context = s.service.info?.contextSize ?? (choice.contextSize || 32768);
      return {
        id: s.id, name: s.id === 'qwq-main' ? pickerName(label) : l10n.t('{0} (inline)', pickerName(label)), family: s.family, version: this.deps.version,
        detail: choice.server ? l10n.t('server') : l10n.t('local'),
        tooltip: s.id === 'qwq-main' ? l10n.t('QwQ Coder\'s reasoning model ({0}); it thinks before it answers, and only the answer is shown.', label) : l10n.t('QwQ Coder\'s ghost-text model ({0}).', label),
        maxInputTokens: Math.max(512, context - Math.min(4096, Math.floor(context / 4))), maxOutputTokens: Math.min(4096, Math.floor(context / 4)),
        capabilities: { toolCalling: s.toolCalling, imageInput: false },
      };
    });
  }

  private servedBy(model: vscode.LanguageModelChatInformation): Served {
    const s = this.served.find((x) => x.id === model.id);
    if (!s || !this.usable(s)) throw vscode.LanguageModelError.NotFound(s ? s.service.unavailableReason() ?? l10n.t('The model is not available.') : model.id);
    return s;
  }

  async provideLanguageModelChatResponse(model: vscode.LanguageModelChatInformation, messages: readonly vscode.LanguageModelChatRequestMessage[], options: vscode.ProvideLanguageModelChatResponseOptions, progress: vscode.Progress<vscode.LanguageModelResponsePart>, token: vscode.CancellationToken): Promise<void> {
    const s = this.servedBy(model);
    const runtime: ModelRuntime = await s.service.acquire();
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    const busy = s.service.beginWork();
    // A tool call ends this response: VS Code's caller runs the tool and sends its result in the next request.
    let toolCalled = false;
    let calls = 0;
    const tools: Record<string, ToolDefinition> | undefined = s.toolCalling && options.tools?.length && options.toolMode !== undefined
      ? Object.fromEntries(options.tools.map((t) => [t.name, {
        description: t.description,
        parameters: (t.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} },
        handler: async (args: unknown) => {
          toolCalled = true;
          progress.report(new vscode.LanguageModelToolCallPart(`qwq-call-${Date.now().toString(36)}-${++calls}`, t.name, (args ?? {}) as object));
          abort.abort();
          return 'the caller runs this tool';
        },
      } satisfies ToolDefinition]))
      : undefined;
    const chatOptions: ChatOptions = {
      signal: abort.signal,
      thoughtBudget: s.id === 'qwq-main' ? this.deps.thoughtBudget() : 0,
      ...(typeof options.modelOptions?.maxTokens === 'number' ? { maxTokens: options.modelOptions.maxTokens } : {}),
      ...(tools ? { tools } : {}),
      onChunk: (c) => { if (c.kind === 'answer' && c.text !== '' && !toolCalled) progress.report(new vscode.LanguageModelTextPart(c.text)); },
    };
    try {
      const r = await runtime.chat(toRuntimeMessages(messages as ReadonlyArray<RequestMessageLike>), chatOptions);
      if (r.stopReason === 'loop' || r.stopReason === 'thoughtBudget') this.deps.log.info(`chat provider: ${model.id} stopped (${r.stopReason}${r.stopDetail ? `: ${r.stopDetail}` : ''})`);
    } catch (e) {
      if (!abort.signal.aborted) throw e;
    } finally {
      sub.dispose();
      busy.dispose();
    }
  }

  async provideTokenCount(model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    const s = this.served.find((x) => x.id === model.id);
    const flat = typeof text === 'string' ? text : text.content.map(partText).filter((t) => t !== undefined).join('');
    // The model's own tokenizer once it is loaded; before that an estimate (VS Code asks before every request).
    const loaded = s && (s.service.state.kind === 'ready' || s.service.state.kind === 'busy');
    if (!loaded) return estimateTokens(flat);
    try {
      return await (await s.service.acquire()).countTokens(flat);
    } catch {
      return estimateTokens(flat);
    }
  }

  dispose(): void { this.store.dispose(); }
}

export function registerChatProvider(deps: ChatProviderDeps): IDisposable {
  const store = new DisposableStore();
  const provider = store.add(new QwqChatProvider(deps));
  store.add(vscode.lm.registerLanguageModelChatProvider(CHAT_VENDOR, provider));
  return store;
}
