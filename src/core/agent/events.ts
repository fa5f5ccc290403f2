// The agent's typed event stream (issue 7). The CLI prints it, the reasoning panel renders it.
// Every event carries the task id, so one panel can show the history of several tasks.

export type AgentPhase = 'context' | 'plan' | 'edit' | 'verify' | 'repair' | 'done';

export type Verdict = 'verified' | 'regressed' | 'no-tests' | 'error' | 'untrusted';

export interface ContextItem { path: string; startLine: number; endLine: number; kind: string; symbol?: string }

export interface CandidateSummary {
  id: string;
  round: number;
  /** Unified diff (jsdiff) of the candidate against the files it was verified on. */
  diff: string;
  files: string[];
  verdict?: Verdict;
  newlyFailing?: string[];
  newlyPassing?: string[];
  /** Trimmed output of the failing tests, shown when the verdict is not `verified`. */
  failureOutput?: string;
}

export interface GenerationStatsSummary {
  promptTokens: number;
  completionTokens: number;
  reusedTokens: number;
  tokensPerSecond: number;
  timeToFirstTokenMs: number;
}

export type AgentEvent =
  | { type: 'task-started'; taskId: string; kind: string; instruction: string; files: string[] }
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
  | { type: 'verdict'; taskId: string; candidateId: string; verdict: Verdict; summary: string }
  | { type: 'stats'; taskId: string; stats: GenerationStatsSummary }
  | { type: 'warning'; taskId: string; message: string }
  | { type: 'task-finished'; taskId: string; outcome: 'verified' | 'unverified' | 'no-edit' | 'cancelled' | 'failed'; message: string; best?: CandidateSummary; explanation?: string };
