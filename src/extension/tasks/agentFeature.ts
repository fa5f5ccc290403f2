// The agent: the core (createQwqCore) run with the loaded model, each folder's context engine, the shadow-workspace
// verifier (settings read for the task's own folder), and the service that verifies a candidate again.
import * as vscode from 'vscode';
import { createQwqCore } from '../../core/agent';
import { DisposableStore, type IDisposable } from '../../core/util';
import type { ExtensionCtx } from '../extensionContext';
import type { ModelsFeature } from '../model/modelsFeature';
import { CoreAgent } from './coreAgent';
import { Reverifier } from './reverifier';
import { createVerifierFactory } from './verifierFactory';
import { allowUnsandboxedOnce } from './unsandboxedPrompt';

export interface AgentFeature extends IDisposable {
  readonly agent: CoreAgent;
  readonly reverifier: Reverifier;
}

export function registerAgent(ctx: ExtensionCtx, { models }: ModelsFeature): AgentFeature {
  const store = new DisposableStore();
  const folderSettings = (root: string) => ctx.settings(vscode.Uri.file(root));
  const core = store.add(createQwqCore());
  const agent = new CoreAgent({
    core,
    acquireModel: () => models.acquire(),
    openVerifier: createVerifierFactory(
      core,
      (command) => ctx.log.info(`tests: starting ${command} in a shadow copy`),
      (root) => { const s = folderSettings(root); return { sandbox: s.testsSandbox, network: s.testsNetwork, env: s.testsEnv }; },
      allowUnsandboxedOnce(ctx.extension, ctx.log),
    ),
    settings: (root) => {
      const s = folderSettings(root);
      return { maxRounds: s.maxRounds, thoughtBudget: s.thoughtBudget, testsCommand: s.testsCommand, testsTimeoutSeconds: s.testsTimeoutSeconds };
    },
  });
  const reverifier = store.add(new Reverifier(agent));
  return { agent, reverifier, dispose: () => store.dispose() };
}
