// What activate() returns in ExtensionMode.Test only: the features, for the integration tests, and probes
// that record what production code merely announces (notices shown, webview messages, second verifications).
// Production classes carry no test-only members; in a user's VS Code activate() returns nothing.
import type * as vscode from 'vscode';
import type { ContextServices } from './context/contextServices';
import type { InlineFeature } from './inline/inlineFeature';
import type { ModelService } from './model/modelService';
import type { ModelsFeature } from './model/modelsFeature';
import type { Notice, Notifier } from './notifier';
import type { PanelFeature } from './panel/panelFeature';
import type { PanelStore } from './panelStore';
import type { ReasoningPanelProvider } from './reasoningPanel';
import type { CandidateReview } from './review/candidateReview';
import type { ReviewFeature } from './review/reviewFeature';
import type { AgentFeature } from './tasks/agentFeature';
import type { TaskController } from './tasks/taskController';
import type { ExtensionCtx } from './extensionContext';
import type { AgentsFeature } from './agents/agentsFeature';
import { DisposableStore, type IDisposable } from '../core/util/lifecycle';

export interface QwqCoderTestApi {
  readonly panel: ReasoningPanelProvider;
  readonly log: vscode.LogOutputChannel;
  readonly models: ModelService;
  /** The separate ghost-text model (its own process), configured by qwq.inline.model. */
  readonly inlineModels: ModelService;
  readonly tasks: TaskController;
  /** The review: the diff editor, Accept/Reject (whole, per file, per hunk), Apply unverified…, undo tracking. */
  readonly review: CandidateReview;
  readonly store: PanelStore;
  readonly inline: InlineFeature;
  readonly notifier: Notifier;
  /** The code context at a position, sharpened by the language servers; its indexes follow file changes. */
  readonly context: ContextServices;
  /** What the user was told since activation (the last 50). */
  readonly notices: readonly Notice[];
  /** Messages the webview sent since activation (the last 100). */
  readonly panelMessages: readonly unknown[];
  /** Resolves once VS Code resolved the panel's view. */
  readonly panelResolved: Promise<void>;
  /** How many times a candidate was verified again (Accept on a changed file, a partial choice). */
  readonly reverifications: number;
  /** Tools, MCP server, model provider and @qwq for other agents (the participant's handler, for a recorded request). */
  readonly agents: AgentsFeature;
}

export interface TestApiSources {
  ctx: ExtensionCtx;
  models: ModelsFeature;
  agent: AgentFeature;
  review: ReviewFeature;
  tasks: TaskController;
  panel: PanelFeature;
  inline: InlineFeature;
  context: ContextServices;
  agents: AgentsFeature;
}

/** A bounded list that keeps the newest `max` items. */
function recorder<T>(max: number): { items: T[]; push(item: T): void } {
  const items: T[] = [];
  return { items, push: (item) => { items.push(item); if (items.length > max) items.shift(); } };
}

export function createTestApi(s: TestApiSources): { api: QwqCoderTestApi; probes: IDisposable } {
  const probes = new DisposableStore();
  const notices = recorder<Notice>(50);
  const messages = recorder<unknown>(100);
  let reverifications = 0;
  let resolvedOnce: () => void = () => {};
  const panelResolved = new Promise<void>((r) => { resolvedOnce = r; });
  probes.add(s.ctx.notifier.onDidShow(notices.push));
  probes.add(s.panel.provider.onDidReceiveMessage(messages.push));
  probes.add(s.panel.provider.onDidResolveView(() => resolvedOnce()));
  probes.add(s.agent.reverifier.onDidStart(() => { reverifications++; }));
  const api: QwqCoderTestApi = {
    panel: s.panel.provider, log: s.ctx.log, models: s.models.models, inlineModels: s.models.inlineModels, tasks: s.tasks,
    review: s.review.review, store: s.ctx.panelState, inline: s.inline, notifier: s.ctx.notifier, context: s.context,
    notices: notices.items, panelMessages: messages.items, panelResolved, agents: s.agents,
    get reverifications() { return reverifications; },
  };
  return { api, probes };
}
