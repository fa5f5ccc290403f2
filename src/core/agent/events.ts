// The agent's typed event stream (docs/architecture.md §1). The CLI prints it, the reasoning panel renders it.
// Every event carries the task id, so one panel can show the history of several tasks.

export type AgentPhase = 'context' | 'plan' | 'edit' | 'verify' | 'repair' | 'done';

import type { AcceptanceTask, Mark, Verdict } from '../verify/types';
import type { Message } from '../verify/messages';

// Verification owns the verdict; the event stream carries it.
export type { Verdict };

export interface ContextItem { path: string; startLine: number; endLine: number; kind: string; symbol?: string }

export interface CandidateSummary {
  id: string;
  round: number;
  /** Unified diff (jsdiff) of the candidate against the files it was verified on. */
  diff: string;
  files: string[];
  /** The one verdict every view shows: the task summary, the card and the review all read this field. */
  verdict?: Verdict;
  /** Why, in plain words (set together with `verdict`). */
  reason?: string;
  /** `reason` as the message table says it (core/verify/messages.ts): the panel renders it through l10n. */
  reasonSaid?: Message;
  newlyFailing?: string[];
  newlyPassing?: string[];
  /** Trimmed output of the failing tests, shown when the verdict is not `verified`. */
  failureOutput?: string;
  // ---- additive: all optional so older renderers keep working ----
  /** Set when the edit could not be applied (the "did you mean" text); then there is no diff and no verdict. */
  applyError?: string;
  /** Tests the task had to make pass (fix-failing-tests), and whether this candidate made them all pass. */
  targetsPassed?: boolean;
  /** Lines added plus lines removed: the last tie-breaker when candidates are ranked. */
  changedLines?: number;
  /** 1-based index of the candidate within its round (when several are sampled per round). */
  index?: number;
  /** The task the edit was written for: Accept and a partial choice of hunks re-verify against this same task. */
  task?: AcceptanceTask;
  /** Lines the card marks: hunks that change the user's tests, audit hits (each with why). */
  marks?: Mark[];
}

export interface GenerationStatsSummary {
  promptTokens: number;
  completionTokens: number;
  reusedTokens: number;
  tokensPerSecond: number;
  timeToFirstTokenMs: number;
  /** Speculative decoding (prompt lookup or a draft model): predicted tokens the model confirmed or rejected. */
  predictions?: { validated: number; refuted: number };
}

export type AgentEvent =
  /** `maxRounds` (additive, optional): how many attempts the task may take, so a view can say "attempt 2 of 3". */
  | { type: 'task-started'; taskId: string; kind: string; instruction: string; files: string[]; maxRounds?: number }
  | { type: 'phase'; taskId: string; phase: AgentPhase; round: number }
  | { type: 'context'; taskId: string; items: ContextItem[]; tokens: number }
  | { type: 'thought'; taskId: string; text: string }
  | { type: 'answer'; taskId: string; text: string }
  | { type: 'plan'; taskId: string; text: string }
  | { type: 'tool-call'; taskId: string; callId: string; name: string; args: unknown }
  | { type: 'tool-result'; taskId: string; callId: string; ok: boolean; summary: string }
  | { type: 'candidate'; taskId: string; candidate: CandidateSummary }
  | { type: 'apply-failed'; taskId: string; round: number; message: string }
  | { type: 'test-output'; taskId: string; candidateId?: string; stream: 'stdout' | 'stderr'; text: string }
  /** `isolation` (additive, optional): how the tests were kept from the user's files (sandbox, copy, checked). */
  | { type: 'verdict'; taskId: string; candidateId: string; verdict: Verdict; summary: string; summarySaid?: Message; isolation?: 'sandbox' | 'copy' | 'checked' }
  /** `call` (additive, optional) says which model call the figures are for: the planning or the edit-writing one. */
  | { type: 'stats'; taskId: string; stats: GenerationStatsSummary; call?: 'architect' | 'editor' | 'explain' }
  | { type: 'warning'; taskId: string; message: string }
  | { type: 'task-finished'; taskId: string; outcome: 'verified' | 'unverified' | 'no-edit' | 'cancelled' | 'failed'; message: string; best?: CandidateSummary; explanation?: string }
  // ---- additive ----
  /** The tests as they stand before any edit; for fix-failing-tests the failing ones become the targets. */
  | { type: 'baseline'; taskId: string; runner: string; passed: number; failed: number; failing: string[]; targets: string[]; message: string }
  /** Generate-tests: the new tests were run against a deliberately broken copy of the code; killed = they caught it. */
  | { type: 'mutation-check'; taskId: string; candidateId: string; mutation: string; killed: boolean }
  /** Running totals against the overall budgets, after each model call. */
  | { type: 'budget'; taskId: string; tokensUsed: number; tokenBudget: number; elapsedMs: number; timeBudgetMs: number };

/** Outcomes of a task, in the order a person would prefer them. */
export type AgentOutcomeKind = Extract<AgentEvent, { type: 'task-finished' }>['outcome'];
