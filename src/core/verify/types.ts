// Verification's public contract (docs/architecture.md §5). Owner: verify; the agent and the UI import these
// shapes from here, never the other way round.
// Free of the verifier's code and of Node: the panel's type program reaches this file (docs/architecture.md §1).
import type { JudgedRun, Mark, PatchEvidence, RunEvidence } from './policy/evidence';
import type { AcceptanceTask } from './policy/task';
export type { AcceptanceTask, Mark };

/**
 * What one verification concluded. Only `verified` earns the green check and Accept.
 * - `verified`: both runs completed, the candidate has at least one passing test, no test that passed before
 *   fails or vanished, and for a fix every target test failed before and passes now (exit codes only: 0 → 0).
 * - `regressed`: a test that passed fails now (named), or the exit code went from 0 to non-zero.
 * - `not-fixed`: a fix task where nothing regressed but a target test still does not pass.
 * - `inconclusive`: the tests ran but cannot judge this edit (a red baseline with exit codes only…).
 * - `no-tests`, `error`, `untrusted`: nothing to judge, the run broke, or nothing was allowed to run.
 */
export type Verdict = 'verified' | 'regressed' | 'not-fixed' | 'inconclusive' | 'no-tests' | 'error' | 'untrusted';

export interface TestCaseResult {
  /** Stable id across runs: file + full name. */
  id: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs?: number;
  /** Failure message and trimmed output. */
  output?: string;
}

/**
 * One run of the tests. The runner fills every field; a run that never started a process (no test command,
 * an untrusted workspace, a test double) carries only runner, tests and message.
 */
export interface TestRun {
  runner: string;
  tests: TestCaseResult[];
  /** One line: what ran, or why nothing did. */
  message: string;
  /** Set when the run could not give per-test results. */
  problem?: 'no-tests' | 'error' | 'untrusted';
  /** Capped combined output (trimmed for the model once it leaves verify). */
  output?: string;
  /** The shell command that ran. */
  command?: string;
  exitCode?: number | null;
  timedOut?: boolean;
  aborted?: boolean;
  truncated?: boolean;
  durationMs?: number;
  /**
   * Whether the runner's structured channel (results file, reporter events, TAP) said anything at all. A
   * reported run with no tests is "no tests"; an unreported one is judged by its exit code only.
   */
  reported?: boolean;
  /** What the run did differently from the user's command, in words (e.g. a step whose tool is missing). */
  notes?: string[];
  /**
   * Where the per-test results came from (docs/architecture.md §5): `channel`, our reporter on the result
   * channel (jest, vitest, mocha, node:test, pytest); `stdout`, what the runner printed (ava, tape, go, cargo,
   * unknown scripts: anything the run prints can imitate it); `exit-code`, nowhere (only the exit code).
   */
  results?: 'channel' | 'stdout' | 'exit-code';
  /**
   * Why this run's results cannot be trusted, in words: its reporter never finished (a test stopped the
   * runner), something else wrote on the result channel, or the exit code disagrees with the results. A run
   * with this set can never be the ground of `verified`.
   */
  resultsProblem?: string;
  /** A chained test script run step by step (lint, build, test…): each step's exit code; `runner` marks the test step. */
  steps?: Array<{ step: string; exitCode: number | null; runner: boolean }>;
  /** How the run was kept from the user's files (absent when it did not run in a shadow's mirror). */
  isolation?: 'sandbox' | 'copy' | 'checked';
}

export interface VerifyResult {
  verdict: Verdict;
  baseline: { passed: number; failed: number };
  candidate: { passed: number; failed: number };
  newlyFailing: string[];
  newlyPassing: string[];
  /** Tests whose result differed between two runs of the same code. */
  flaky: string[];
  runner: string;
  durationMs: number;
  /** Why, in one line, in words a user understands. */
  message: string;
  /** Trimmed output of the newly failing tests (or of the crashed run). */
  failureOutput?: string;
}

export interface VerifyResultDetails {
  /** The shell command that ran the candidate (empty when nothing ran). */
  command?: string;
  /** What was selected: 'all', or the test files / packages / changed files handed to the runner. */
  selection?: string[] | 'all';
  /** Per-test results, for the panel. */
  baselineTests?: TestCaseResult[];
  candidateTests?: TestCaseResult[];
  /** Whether the baseline came from the content-hash cache. */
  baselineCached?: boolean;
  /** Whether the baseline was the selected files' slice of a cached full-suite run (no baseline test ran). */
  baselineDerived?: boolean;
  /** How the runs were kept from the user's files: sandbox (bubblewrap), copy, or checked (hard links compared after each run). */
  isolation?: 'sandbox' | 'copy' | 'checked';
  /** FIFOs, sockets and devices in the workspace that the shadow copy skipped on purpose. */
  skipped?: string[];
  /** Fix tasks: the target tests that still do not pass with the change. */
  targetsStillFailing?: string[];
  /** What ran differently from the user's own command, and why (see TestRun.notes). */
  notes?: string[];
  /** Lines of the patch the card marks (hunks that change the user's tests, audit hits), each with why. */
  marks?: Mark[];
  /** The acceptance policy's own sentence, when a rule beyond the run comparison decided (policy/decide.ts). */
  reason?: string;
  /** What the policy read, so a caller with more evidence (the agent's goal checks) can decide again. */
  evidence?: VerifyEvidence;
}

/** The inputs of decide() for one verification (policy/decide.ts). */
export interface VerifyEvidence {
  task: AcceptanceTask;
  baseline: JudgedRun;
  run: RunEvidence;
  patch: PatchEvidence;
}

/**
 * Cuts long output to its head and tail (the tail of a test run holds the assertion and the summary), and
 * strips colour codes. The one trimming rule for test output: results, verdicts and prompts all use it.
 */
export function trimOutput(text: string, maxChars = 4000): string {
  const clean = text.replace(/\r\n/g, '\n').replace(/\x1b\[[0-9;]*m/g, '').trim();
  if (clean.length <= maxChars) return clean;
  const head = Math.floor(maxChars * 0.3);
  const tail = maxChars - head;
  const cut = clean.slice(head, clean.length - tail);
  const cutLines = cut.split('\n').length - 1;
  return `${clean.slice(0, head)}\n… ${cutLines} line(s) cut …\n${clean.slice(clean.length - tail)}`;
}
