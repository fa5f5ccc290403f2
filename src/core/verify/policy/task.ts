// What the acceptance policy needs to know about the task an edit was written for (docs/architecture.md §5).
// The agent's AgentTask is one of these; the CLI and Accept build one. Pure types.

export type TaskKind = 'edit-selection' | 'fix-failing-tests' | 'implement-function' | 'generate-tests' | 'explain';

/** 1-based, inclusive lines. */
export interface LineRange { startLine: number; endLine: number }

/** The task as the policy judges it: its kind, what it names, and for a fix the tests that must turn green. */
export interface AcceptanceTask {
  kind: TaskKind;
  /** Workspace-relative path of the file the task is about (the code under test, for generate-tests). */
  file?: string;
  selection?: LineRange;
  /** The function to implement or to test. */
  symbol?: string;
  /**
   * Tests that must fail before and pass with the edit, compared whole (targets.ts). A fix-failing-tests task
   * adds every test that fails on the unedited code.
   */
  targets?: readonly string[];
}
