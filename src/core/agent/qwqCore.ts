// The one place that composes the core for a caller: the CLI (createAgentDeps) and the extension (CoreAgent)
// both build the agent's parts here — a warm context engine per workspace root, the shadow-workspace
// verifier, the edits engine and jsdiff — so the two entry points cannot drift apart.
import type { ModelRuntime } from '../model';
import { ContextEngine } from '../context';
import { countSyntaxErrors } from '../context';
import { unifiedDiff } from '../edits';
import type { AgentDeps, OpenVerifier, VerifierSession, WorkspaceFiles } from './ports';
import { EngineContextProvider, ShadowVerifierSession, type VerifierConfig } from './realDeps';
import { createApplyEdits, DiskWorkspaceFiles } from './workspaceFiles';
import { withOverlay } from './followUp';

export interface AgentPartsRequest {
  /** The files the agent reads (an editor's unsaved text, or the disk). */
  files: WorkspaceFiles;
  architect: ModelRuntime;
  editor?: ModelRuntime;
  /** Absent: no tests may run (an untrusted workspace), so nothing can be verified. */
  openVerifier?: OpenVerifier;
  /** A follow-up: the earlier candidate's texts, read instead of the files' own. */
  overlay?: ReadonlyMap<string, string>;
}

export interface QwqCore {
  /** One context engine per workspace root, kept warm between tasks (its symbol index is incremental). */
  engineFor(root: string): ContextEngine;
  /** Everything the agent loop needs for one task in `files.root`. */
  agentParts(req: AgentPartsRequest): AgentDeps;
  /** A warm shadow copy of `workspace` running the user's tests (only ever for a trusted workspace). */
  openShadowVerifier(workspace: string, config: VerifierConfig): VerifierSession;
  dispose(): void;
}

export function createQwqCore(): QwqCore {
  const engines = new Map<string, ContextEngine>();
  const engineFor = (root: string): ContextEngine => {
    let e = engines.get(root);
    if (!e) { e = new ContextEngine(root); engines.set(root, e); }
    return e;
  };
  return {
    engineFor,
    agentParts(req) {
      const files = req.overlay ? withOverlay(req.files, req.overlay) : req.files;
      return {
        architect: req.architect, editor: req.editor,
        context: new EngineContextProvider(engineFor(files.root), files),
        files, applyEdits: createApplyEdits(countSyntaxErrors), openVerifier: req.openVerifier, diff: unifiedDiff,
      };
    },
    openShadowVerifier: (workspace, config) => new ShadowVerifierSession(workspace, config),
    dispose() {
      for (const e of engines.values()) e.dispose();
      engines.clear();
    },
  };
}

export interface RealDepsOptions extends VerifierConfig {
  workspace: string;
  architect: ModelRuntime;
  editor?: ModelRuntime;
  /** Whether tests may run here; without trust no verifier is opened at all. */
  trusted: boolean;
}

/** Everything the loop needs, real, for the CLI (one task, files from disk). The caller disposes the returned handle (the context engine). */
export function createAgentDeps(o: RealDepsOptions): AgentDeps & { dispose(): void } {
  const core = createQwqCore();
  const openVerifier: OpenVerifier | undefined = o.trusted ? async () => core.openShadowVerifier(o.workspace, o) : undefined;
  const parts = core.agentParts({ files: new DiskWorkspaceFiles(o.workspace, o.overlays), architect: o.architect, editor: o.editor, openVerifier });
  return { ...parts, dispose: () => core.dispose() };
}
