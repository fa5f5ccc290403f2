// The AgentPort over the real core: runAgent with the loaded model and the parts the core composes
// (createQwqCore: the context engine of the workspace, the edits engine reading the editors' text, and the
// verifier, a shadow workspace, when tests may run).
import { EngineContextProvider, runAgent, type AgentTask, type OpenVerifier, type QwqCore } from '../../core/agent';
import { verifyForTask } from '../../core/agent';
import { isVerified } from '../../core/verify';
import type { AcceptanceTask } from '../../core/verify';
import type { ContextEngine } from '../../core/context';
import type { FileChange } from '../../core/edits';
import type { ModelRuntime } from '../../core/model';
import type { AgentPort, AgentRunRequest } from './agentPort';
import type { EditorWorkspaceFiles } from './editorFiles';
import { l10n } from '../l10n';

export interface CoreAgentOptions {
  /** The composed core; its owner disposes it. */
  core: QwqCore;
  acquireModel(): Promise<ModelRuntime>;
  /** Opens the shadow-workspace verifier; absent until tests may run (Restricted Mode passes none). */
  openVerifier?: (files: EditorWorkspaceFiles, testsCommand: string, timeoutSeconds: number) => OpenVerifier | undefined;
  /** The settings as they apply to the task's workspace folder (they are resource-scoped: multi-root folders differ). */
  settings(root: string): { maxRounds: number; thoughtBudget: number; testsCommand: string; testsTimeoutSeconds: number };
  countTokens?(text: string): Promise<number>;
}

export class CoreAgent implements AgentPort {
  constructor(private readonly opts: CoreAgentOptions) {}

  /** One context engine per workspace root, kept warm between tasks (its symbol index is incremental). */
  engineFor(root: string): ContextEngine {
    return this.opts.core.engineFor(root);
  }

  async run(req: AgentRunRequest): Promise<void> {
    const model = await this.opts.acquireModel();
    const s = this.opts.settings(req.files.root);
    const openVerifier = req.trusted ? this.opts.openVerifier?.(req.files, s.testsCommand, s.testsTimeoutSeconds) : undefined;
    const parts = this.opts.core.agentParts({ files: req.files, architect: model, openVerifier, overlay: req.overlay });
    await runAgent(req.task, parts, { maxRounds: s.maxRounds, thoughtBudget: s.thoughtBudget, trusted: req.trusted }, req.onEvent, req.signal);
  }

  async reverify(task: AgentTask & Pick<AcceptanceTask, 'targets'>, files: EditorWorkspaceFiles, changes: FileChange[], signal: AbortSignal): Promise<{ verified: boolean; summary: string }> {
    const s = this.opts.settings(files.root);
    const open = this.opts.openVerifier?.(files, s.testsCommand, s.testsTimeoutSeconds);
    if (!open) return { verified: false, summary: l10n.t('no verifier is available, so the edit cannot be verified again') };
    const session = await open(task, signal);
    try {
      // The same policy as the loop, for the same task: a fix keeps its targets, Implement Function its symbol.
      const context = new EngineContextProvider(this.engineFor(files.root), files);
      const { decision } = await verifyForTask(task, changes, { session, files, signal, findDefinition: (s, sig) => context.findDefinition(s, sig) });
      const said = decision.reasonSaid ?? decision.said;
      return { verified: isVerified(decision), summary: `${decision.verdict}: ${said ? l10n.say(said) : decision.reason ?? decision.message}` };
    } finally {
      await session.dispose();
    }
  }
}
