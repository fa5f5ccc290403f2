// The composition root: activate() builds the shared context and registers each feature in dependency
// order. Each feature module owns what it registers; this file only says what exists and in which order.
// docs/architecture.md §7 maps src/extension.
import * as vscode from 'vscode';
import { DisposableStore, toDisposable } from '../core/util/lifecycle';
import { l10n } from './l10n';
import { createExtensionCtx } from './extensionContext';
import { registerPlatform } from './platform/platformFeature';
import { registerModels } from './model/modelsFeature';
import { registerAgent } from './tasks/agentFeature';
import { registerReview } from './review/reviewFeature';
import { registerTasks } from './tasks/tasksFeature';
import { registerContextServices } from './context/contextServices';
import { registerInlineFeature } from './inline/inlineFeature';
import { registerPanel } from './panel/panelFeature';
import { registerAgents } from './agents/agentsFeature';
import { commandDeps, registerCommands } from './commands';
import { trackContextKeys } from './contextKeys';
import { createTestApi, type QwqCoderTestApi } from './testApi';

let root: DisposableStore | undefined;

/** Returns the test API in ExtensionMode.Test (the integration tests), nothing otherwise. */
export function activate(extension: vscode.ExtensionContext): QwqCoderTestApi | undefined {
  l10n.use(vscode.l10n.t);
  const store = (root = new DisposableStore());
  const ctx = store.add(createExtensionCtx(extension));
  const platform = store.add(registerPlatform(ctx));
  const models = store.add(registerModels(ctx, platform));
  const agent = store.add(registerAgent(ctx, models));
  const review = store.add(registerReview(ctx, agent.reverifier.reverify));
  const tasks = store.add(registerTasks(ctx, agent, models, review));
  const context = store.add(registerContextServices(agent.agent));
  const inline = store.add(registerInlineFeature(ctx, models, agent));
  const panel = store.add(registerPanel(ctx, models, tasks, review));
  store.add(registerCommands(commandDeps(ctx, models, review, tasks, panel)));
  const agents = store.add(registerAgents(ctx, models, agent, review, tasks));
  store.add(trackContextKeys(ctx.panelState, models.models, review.review, tasks));
  platform.activated();
  extension.subscriptions.push(toDisposable(() => deactivate()));
  if (extension.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  const { api, probes } = createTestApi({ ctx, models, agent, review, tasks, panel, inline, context, agents });
  store.add(probes);
  return api;
}

export function deactivate(): void {
  root?.dispose();
  root = undefined;
}
