// The task model: what a person asked for, in a shape the loop can act on. Pure; no I/O.

import type { TaskKind } from '../verify/policy/task';
import type { FileChange } from '../edits/types';

// The acceptance policy judges an edit by its task's kind, so the kinds are the policy's (verify/policy/task.ts).
export type { TaskKind };

export const taskKinds: readonly TaskKind[] = ['edit-selection', 'fix-failing-tests', 'implement-function', 'generate-tests', 'explain'];

/** 1-based, inclusive lines of the selection the instruction is about. */
export interface LineRange { startLine: number; endLine: number }

export interface AgentTask {
  id: string;
  kind: TaskKind;
  /** The person's words. For fix-failing-tests it may be empty: the failing tests are the instruction. */
  instruction: string;
  /** Absolute path of the workspace root. */
  workspace: string;
  /** Workspace-relative path (forward slashes) of the file the task is about, if any. */
  file?: string;
  selection?: LineRange;
  /** The function to implement or to test, when the caller knows it (the adapter does, from the cursor). */
  symbol?: string;
  /**
   * A follow-up: the changes of the candidate it refines, against the user's text. They are verified together
   * with the new edit (a file the new edit leaves alone is still part of what Accept would write).
   */
  carried?: readonly FileChange[];
  /**
   * Earlier turns of the conversation this task continues (a follow-up), oldest first. Each keeps the person's
   * words and the model's final answer only: QwQ's card says earlier thinking is not put back into history.
   */
  history?: ConversationTurn[];
  /** Code the person attached (#file:, #symbol:): placed first in the prompt, before what the context engine found. */
  attachments?: Attachment[];
}

export interface ConversationTurn {
  /** What the person asked, in their words. */
  request: string;
  /** The model's final answer (a plan or an explanation), with what became of the edit in plain words. */
  answer: string;
}

export interface Attachment {
  kind: 'file' | 'symbol';
  /** Workspace-relative path. */
  path: string;
  /** 1-based inclusive lines of `text` in the file. */
  startLine: number;
  endLine: number;
  symbol?: string;
  text: string;
}

/** Which kinds change code, and so need an edit and a verdict. Explain only reads. */
export function taskWritesCode(kind: TaskKind): boolean {
  return kind !== 'explain';
}

/**
 * The CLI gets a sentence, not a kind. Reads the obvious intent from it; anything else is an edit.
 * The order matters: "write tests for the failing parser" is generate-tests, "fix the failing tests" is a fix.
 */
export function inferTaskKind(instruction: string): TaskKind {
  const s = instruction.toLowerCase();
  if (/^\s*(explain|what does|why does|how does|describe)\b/.test(s)) return 'explain';
  if (/\b(fix|repair|make)\b.*\b(failing|broken|red)\b.*\btests?\b/.test(s) || /\bfix\b.*\btests?\b/.test(s) || /\bmake\b.*\btests?\b.*\bpass\b/.test(s)) return 'fix-failing-tests';
  if (/\b(write|generate|add|create)\b.*\b(unit )?tests?\b/.test(s)) return 'generate-tests';
  if (/\bimplement\b/.test(s)) return 'implement-function';
  return 'edit-selection';
}

export class TaskError extends Error {}

/** Rejects a task the loop cannot act on, with a sentence that says what is missing. */
export function validateTask(task: AgentTask): void {
  if (!taskKinds.includes(task.kind)) throw new TaskError(`unknown task kind '${task.kind}' (one of ${taskKinds.join(', ')})`);
  if (!task.workspace) throw new TaskError('the task has no workspace');
  if (task.kind !== 'fix-failing-tests' && task.instruction.trim() === '') throw new TaskError(`a ${task.kind} task needs an instruction`);
  if (task.file !== undefined && (task.file.startsWith('/') || task.file.split('/').includes('..'))) {
    throw new TaskError(`the task's file must be workspace-relative and inside it, got '${task.file}'`);
  }
  const sel = task.selection;
  if (sel) {
    if (!task.file) throw new TaskError('a selection needs a file');
    if (!Number.isInteger(sel.startLine) || !Number.isInteger(sel.endLine) || sel.startLine < 1 || sel.endLine < sel.startLine) {
      throw new TaskError(`bad selection lines ${sel.startLine}-${sel.endLine} (1-based, start ≤ end)`);
    }
  }
}

let counter = 0;
/** A task id unique within this process; the panel keys its history by it. */
export function newTaskId(now: number = Date.now()): string {
  counter += 1;
  return `t${now.toString(36)}-${counter}`;
}
