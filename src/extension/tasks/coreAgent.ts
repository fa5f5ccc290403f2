// The AgentPort over the real core: runAgent with the loaded model, the context engine of the workspace,
// the edits engine reading the editors' text, and the verifier (shadow workspace) when tests may run.
import { runAgent } from '../../core/agent/agent';
import type { OpenVerifier } from '../../core/agent/ports';
import { EngineContextProvider } from '../../core/agent/realDeps';
import type { AgentTask } from '../../core/agent/task';
import { verifyForTask } from '../../core/agent/acceptance';
import { isVerified } from '../../core/verify/policy/verified';
import type { AcceptanceTask } from '../../core/verify/policy/task';
import { createApplyEdits } from '../../core/agent/workspaceFiles';
import { ContextEngine } from '../../core/context/engine';
import { countSyntaxErrors } from '../../core/context/syntax';
import type { FileChange } from '../../core/edits/types';
import { unifiedDiff } from '../../core/edits/unifiedDiff';
import type { ModelRuntime } from '../../core/model/types';
import type { IDisposable } from '../../core/util/lifecycle';
import type { AgentPort, AgentRunRequest } from './agentPort';
import type { EditorWorkspaceFiles } from './editorFiles';
import { l10n } from '../l10n';

export interface CoreAgentOptions {
  acquireModel(): Promise<ModelRuntime>;
  /** Opens the shadow-workspace verifier; absent until tests may run (Restricted Mode passes none). */
  openVerifier?: (files: EditorWorkspaceFiles, testsCommand: string, timeoutSeconds: number) => OpenVerifier | undefined;
  /** The settings as they apply to the task's workspace folder (they are resource-scoped: multi-root folders differ). */
  settings(root: string): { maxRounds: number; thoughtBudget: number; testsCommand: string; testsTimeoutSeconds: number };
  countTokens?(text: string): Promise<number>;
}

export class CoreAgent implements AgentPort, IDisposable {
  private readonly engines = new Map<string, ContextEngine>();

  constructor(private readonly opts: CoreAgentOptions) {}

  /** One context engine per workspace root, kept warm between tasks (its symbol index is incremental). */
  engineFor(root: string): ContextEngine {
    let e = this.engines.get(root);
    if (!e) { e = new ContextEngine(root); this.engines.set(root, e); }
    return e;
  }

  async run(req: AgentRunRequest): Promise<void> {
    const model = await this.opts.acquireModel();
    const s = this.opts.settings(req.files.root);
    const openVerifier = req.trusted ? this.opts.openVerifier?.(req.files, s.testsCommand, s.testsTimeoutSeconds) : undefined;
    await runAgent(req.task, {
      architect: model,
      context: new EngineContextProvider(this.engineFor(req.files.root), req.files),
      files: req.files,
      applyEdits: createApplyEdits(countSyntaxErrors),
      openVerifier,
      diff: unifiedDiff,
    }, { maxRounds: s.maxRounds, thoughtBudget: s.thoughtBudget, trusted: req.trusted }, req.onEvent, req.signal);
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
      return { verified: isVerified(decision), summary: `${decision.verdict}: ${decision.reason ?? decision.message}` };
    } finally {
      await session.dispose();
    }
  }

  dispose(): void {
    for (const e of this.engines.values()) e.dispose();
    this.engines.clear();
  }
}
