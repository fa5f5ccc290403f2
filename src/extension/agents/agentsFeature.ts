// The "Other agents" feature (docs/architecture.md, "Other agents"): the verifier and the context engine as Language Model
// Tools, `qwq-coder mcp` as an MCP server definition, the local models in the model picker, and `@qwq` in the
// chat view. One module, registered by the composition root with one call.
import * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../../core/util/lifecycle';
import type { ExtensionCtx } from '../extensionContext';
import type { ModelsFeature } from '../model/modelsFeature';
import type { ReviewFeature } from '../review/reviewFeature';
import type { AgentFeature } from '../tasks/agentFeature';
import type { TaskController } from '../tasks/taskController';
import { registerChatProvider } from './chatProvider';
import { registerLmTools } from './lmTools';
import { registerMcpProvider } from './mcpProvider';
import { registerParticipant } from './participant';

export interface AgentsFeature extends IDisposable {
  /** The `@qwq` handler, for tests that drive it with a recorded request. */
  readonly participantHandler: ReturnType<typeof registerParticipant>['handler'];
  /** What the MCP server definition provider hands VS Code now. */
  mcpServerDefinitions(): vscode.McpStdioServerDefinition[];
}

export function registerAgents(ctx: ExtensionCtx, { models, inlineModels }: ModelsFeature, { agent }: AgentFeature, review: ReviewFeature, tasks: TaskController): AgentsFeature {
  const store = new DisposableStore();
  const settings = (folder?: string) => ctx.settings(folder ? vscode.Uri.file(folder) : undefined);
  store.add(registerLmTools({ engineFor: (root) => agent.engineFor(root), settings, log: ctx.log }));
  const mcp = store.add(registerMcpProvider(ctx.extension, ctx.version));
  store.add(registerChatProvider({ models, inlineModels, version: ctx.version, thoughtBudget: () => settings().thoughtBudget, log: ctx.log }));
  const participant = store.add(registerParticipant({
    tasks, store: ctx.panelState, models, preview: (ref) => review.review.preview(ref),
  }, ctx.extension.extensionUri));
  return { participantHandler: participant.handler, mcpServerDefinitions: () => mcp.definitions(), dispose: () => store.dispose() };
}
