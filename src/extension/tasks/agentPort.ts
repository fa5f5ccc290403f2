// The slice of the core the task controller uses: run the agent loop on a task, and verify a set of changes
// again (Accept on a file that changed since verification). The real implementation is in coreAgent.ts.
import type { AgentEvent } from '../../core/agent';
import type { AgentTask } from '../../core/agent';
import type { FileChange } from '../../core/edits';
import type { EditorWorkspaceFiles } from './editorFiles';

export interface AgentRunRequest {
  task: AgentTask;
  files: EditorWorkspaceFiles;
  /** Restricted Mode: the loop must not run tests (and so cannot call anything verified). */
  trusted: boolean;
  signal: AbortSignal;
  onEvent(e: AgentEvent): void;
  /** A follow-up: the earlier candidate's texts, which the agent reads instead of the user's. */
  overlay?: ReadonlyMap<string, string>;
}

export interface AgentPort {
  run(req: AgentRunRequest): Promise<void>;
  reverify(task: AgentTask, files: EditorWorkspaceFiles, changes: FileChange[], signal: AbortSignal): Promise<{ verified: boolean; summary: string }>;
}
