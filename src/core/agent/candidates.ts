// A candidate edit and how candidates are ranked (issue 7): fewest regressions, then the target tests
// passing, then the smallest diff. Pure.
import type { EditBlock, FileChange } from '../edits/types';
import type { CandidateSummary } from './events';
import type { CandidateRun } from './ports';

export interface Candidate {
  id: string;
  round: number;
  index: number;
  blocks: EditBlock[];
  /** Set when the edit applied (in memory); absent when it failed to apply. */
  changes?: FileChange[];
  diff: string;
  applyError?: string;
  /** The reply itself was unusable (not schema-valid JSON, or empty): the applier never saw it. */
  invalidReply?: boolean;
  run?: CandidateRun;
  /** Target tests (fix-failing-tests) that still fail after this candidate. */
  targetsStillFailing: string[];
  /** True when the loop's own rules (targets, generate-tests checks) accept the run. */
  accepted: boolean;
  /** Why a run that the verifier called verified was still not accepted (e.g. "the new tests did not run"). */
  rejection?: string;
  mutation?: { description: string; killed: boolean };
}

/** Lines added plus removed in a unified diff (file headers excluded). */
export function changedLines(diff: string): number {
  let n = 0;
  for (const line of diff.split('\n')) {
    if ((line.startsWith('+') && !line.startsWith('+++')) || (line.startsWith('-') && !line.startsWith('---'))) n++;
  }
  return n;
}

/** Regressions for ranking: a failed apply or a crashed run is worse than any number of failing tests. */
export function regressionScore(c: Candidate): number {
  if (!c.changes) return Number.MAX_SAFE_INTEGER;
  if (!c.run) return Number.MAX_SAFE_INTEGER - 1; // applied but never verified (cancelled, untrusted)
  if (c.run.verdict === 'error') return Number.MAX_SAFE_INTEGER - 2;
  return c.run.newlyFailing.length;
}

/** Negative when a is better than b. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.accepted !== b.accepted) return a.accepted ? -1 : 1;
  const r = regressionScore(a) - regressionScore(b);
  if (r !== 0) return r;
  const t = a.targetsStillFailing.length - b.targetsStillFailing.length;
  if (t !== 0) return t;
  if ((a.mutation?.killed ?? false) !== (b.mutation?.killed ?? false)) return a.mutation?.killed ? -1 : 1;
  return changedLines(a.diff) - changedLines(b.diff);
}

export function bestCandidate(candidates: Candidate[]): Candidate | undefined {
  return [...candidates].sort(compareCandidates)[0];
}

export function summarize(c: Candidate): CandidateSummary {
  return {
    id: c.id,
    round: c.round,
    index: c.index,
    diff: c.diff,
    files: c.changes ? c.changes.map((ch) => ch.path) : [...new Set(c.blocks.map((b) => b.path ?? '?'))],
    verdict: c.run?.verdict,
    newlyFailing: c.run?.newlyFailing,
    newlyPassing: c.run?.newlyPassing,
    failureOutput: c.run?.failureOutput,
    applyError: c.applyError,
    targetsPassed: c.run ? c.targetsStillFailing.length === 0 : undefined,
    changedLines: c.changes ? changedLines(c.diff) : undefined,
  };
}
