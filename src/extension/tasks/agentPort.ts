// The slice of the core the task controller uses: run the agent loop on a task, and verify a set of changes
// again (Accept on a file that changed since verification). The real implementation is in coreAgent.ts.
import type { AgentEvent } from '../../core/agent/events';
import type { AgentTask } from '../../core/agent';
import type { AcceptanceTask } from '../../core/verify';
import type { FileChange } from '../../core/edits/types';
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
  /**
   * Verifies `changes` again for the task they were written for (a fix keeps its targets): Accept on a changed
   * file, a partial choice of hunks, ghost text. The acceptance policy decides, as in the loop.
   */
  reverify(task: AgentTask & Pick<AcceptanceTask, 'targets'>, files: EditorWorkspaceFiles, changes: FileChange[], signal: AbortSignal): Promise<{ verified: boolean; summary: string }>;
}
