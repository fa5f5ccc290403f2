// Verification's public contract (issue 6, DESIGN §6). Owner: verify. Extend freely; keep these shapes.
import type { Verdict } from '../agent/events';

export type { Verdict };

export interface TestCaseResult {
  /** Stable id across runs: file + full name. */
  id: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs?: number;
  /** Failure message and trimmed output. */
  output?: string;
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
  /** Why, in one line (for no-tests, error and untrusted in particular). */
  message: string;
  /** Trimmed output of the newly failing tests (or of the crashed run). */
  failureOutput?: string;
}

// ---- additions (issue 6) ----

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
}
