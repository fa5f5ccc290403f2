// The "Other agents" feature (docs/architecture.md §9): the verifier and the context engine as Language Model
// Tools, `qwq-coder mcp` as an MCP server definition, the local models in the model picker, and `@qwq` in the
// chat view. One module, registered by the composition root with one call.
import type * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../../core/util/lifecycle';
import type { ContextEngine } from '../../core/context/engine';
import type { QwqSettings } from '../config';
import type { ModelService } from '../model/modelService';
import type { CandidateRef } from '../../protocol/messages';
import { registerChatProvider } from './chatProvider';
import { registerLmTools } from './lmTools';
import { registerMcpProvider } from './mcpProvider';
import { registerParticipant, type ParticipantDeps } from './participant';

export interface AgentsDeps {
  context: Pick<vscode.ExtensionContext, 'extensionPath' | 'extensionUri'>;
  version: string;
  models: ModelService;
  inlineModels: ModelService;
  tasks: ParticipantDeps['tasks'];
  store: ParticipantDeps['store'];
  preview(ref: CandidateRef): Promise<unknown>;
  engineFor(root: string): ContextEngine;
  settings(): QwqSettings;
  log: vscode.LogOutputChannel;
}

export interface AgentsFeature extends IDisposable {
  /** The `@qwq` handler, for tests that drive it with a recorded request. */
  readonly participantHandler: ReturnType<typeof registerParticipant>['handler'];
}

export function registerAgents(deps: AgentsDeps): AgentsFeature {
  const store = new DisposableStore();
  store.add(registerLmTools({ engineFor: deps.engineFor, settings: deps.settings, log: deps.log }));
  store.add(registerMcpProvider(deps.context, deps.version));
  store.add(registerChatProvider({ models: deps.models, inlineModels: deps.inlineModels, version: deps.version, thoughtBudget: () => deps.settings().thoughtBudget, log: deps.log }));
  const participant = store.add(registerParticipant({ tasks: deps.tasks, store: deps.store, models: deps.models, preview: deps.preview }, deps.context.extensionUri));
  return { participantHandler: participant.handler, dispose: () => store.dispose() };
}
