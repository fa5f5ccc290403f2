// A candidate edit and how candidates are ranked (docs/architecture.md §1): fewest regressions, then the target tests
// passing, then the smallest diff. Pure.
import type { EditBlock, FileChange } from '../edits/types';
import { isVerified, type AcceptanceTask, type Decision, type MutationEvidence } from '../verify';
import type { CandidateSummary, Verdict } from './events';
import type { CandidateRun } from './ports';

export interface Candidate {
  id: string;
  /** The task it was written for, as the acceptance policy holds it (with a fix's targets). */
  task?: AcceptanceTask;
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
  /** The acceptance policy's decision on the run (verify/policy/decide.ts): the only source of its verdict. */
  decision?: Decision;
  /** Target tests (fix-failing-tests) that still fail after this candidate. */
  targetsStillFailing: string[];
  /** The decision is `verified` (kept as a field for ranking; set only by recordDecision). */
  accepted: boolean;
  /** The policy's sentence when a rule beyond the run comparison decided (a goal, the judge files, the audit). */
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

/**
 * Records the acceptance policy's decision on a candidate. The only writer of `accepted`, so the card, the
 * ranking and the summary all read the policy's verdict.
 */
export function recordDecision(c: Candidate, run: CandidateRun, decision: Decision, mutation?: MutationEvidence): void {
  c.run = run;
  c.decision = decision;
  c.accepted = isVerified(decision);
  c.targetsStillFailing = decision.targetsStillFailing;
  c.rejection = c.accepted ? undefined : decision.reason?.replace(/^Nothing broke, but (.*)\.$/, '$1');
  if (mutation && 'killed' in mutation) c.mutation = { description: mutation.description, killed: mutation.killed };
}

/**
 * The candidate's verdict: the policy's decision, as recorded. The verdict event, the candidate's summary and the
 * task's closing message all read it, so a card and the summary cannot disagree. Undefined while it was not
 * tested (or never applied).
 */
export function candidateVerdict(c: Candidate): Verdict | undefined {
  return c.decision?.verdict ?? c.run?.verdict;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const names = (ids: string[]): string => (ids.length > 3 ? `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more` : ids.join(', '));

/** Why the candidate got its verdict, in plain words (what a person reads on the card and in the summary). */
export function verdictReason(c: Candidate): string {
  if (c.applyError) return `The edit never applied: ${c.applyError.split('\n')[0]}`;
  const r = c.run;
  if (!r) return c.changes ? 'Not tested: the tests did not run.' : 'Not tested.';
  const counts = `${plural(r.baseline.passed, 'test', 'tests')} passed before the edit, ${r.candidate.passed} pass with it`;
  switch (candidateVerdict(c)) {
    case 'verified': {
      const fixed = r.newlyPassing.length ? `; now passing: ${names(r.newlyPassing)}` : '';
      const caught = c.mutation?.killed ? `; the new tests catch a broken copy of the code (${c.mutation.description})` : '';
      return `Your tests pass: ${counts}, none newly failing${fixed}${caught}.`;
    }
    case 'regressed':
      return r.newlyFailing.length
        ? `${plural(r.newlyFailing.length, 'test that passed before fails', 'tests that passed before fail')} with this edit: ${names(r.newlyFailing)}.`
        : `The tests passed before the edit and fail with it${r.message ? ` (${r.message})` : ''}.`;
    case 'not-fixed':
      if (c.decision?.reason) return c.decision.reason;
      return c.targetsStillFailing.length
        ? `Nothing broke, but ${plural(c.targetsStillFailing.length, 'test still fails', 'tests still fail')}: ${names(c.targetsStillFailing)}.`
        : `Nothing broke, but the task is not done${r.message ? ` (${r.message})` : ''}.`;
    case 'inconclusive':
      if (c.decision?.reason) return `${c.decision.reason.replace(/\.$/, '')}.`;
      return `The tests ran but cannot judge this edit${r.message ? `: ${r.message}` : ''}.`;
    case 'no-tests':
      return `No test ran${r.message ? `: ${r.message}` : ''}, so the edit could not be checked.`;
    case 'error':
      return `The test run failed${r.message ? `: ${r.message}` : ''}.`;
    case 'untrusted':
      return 'Restricted Mode: the tests did not run.';
    default:
      return r.message || 'Not tested.';
  }
}

export function summarize(c: Candidate): CandidateSummary {
  const verdict = candidateVerdict(c);
  return {
    id: c.id,
    round: c.round,
    index: c.index,
    diff: c.diff,
    files: c.changes ? c.changes.map((ch) => ch.path) : [...new Set(c.blocks.map((b) => b.path ?? '?'))],
    verdict,
    reason: verdict !== undefined || c.applyError ? verdictReason(c) : undefined,
    newlyFailing: c.run?.newlyFailing,
    newlyPassing: c.run?.newlyPassing,
    failureOutput: c.run?.failureOutput,
    applyError: c.applyError,
    targetsPassed: c.run ? c.targetsStillFailing.length === 0 : undefined,
    changedLines: c.changes ? changedLines(c.diff) : undefined,
    ...(c.task ? { task: c.task } : {}),
    ...(c.decision?.marks.length ? { marks: c.decision.marks } : {}),
  };
}
