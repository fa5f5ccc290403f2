// A candidate edit and how candidates are ranked (docs/architecture.md §1): fewest regressions, then the target tests
// passing, then the smallest diff. Pure.
import type { EditBlock, FileChange } from '../edits/types';
import { isVerified, msg, renderMessage, type AcceptanceTask, type Decision, type Message, type MessageArg, type MutationEvidence } from '../verify';
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

const names = (ids: string[]): MessageArg => (ids.length > 3 ? msg('namesAndMore', ids.slice(0, 3).join(', '), ids.length - 3) : ids.join(', '));

/** Why the candidate got its verdict, in plain words (what a person reads on the card and in the summary). */
export function verdictReason(c: Candidate): string {
  return renderMessage(verdictReasonSaid(c));
}

/** verdictReason in the message table's terms, for a UI that translates it (the panel, through l10n). */
export function verdictReasonSaid(c: Candidate): Message {
  if (c.applyError) return msg('neverApplied', c.applyError.split('\n')[0]!);
  const r = c.run;
  if (!r) return c.changes ? msg('notTestedNoRun') : msg('notTested');
  // The run's message as the policy said it, when it is that message (a verifier's own words stay as they are).
  const said = (): MessageArg => (c.decision?.said && c.decision.message === r.message ? c.decision.said : r.message);
  const reason = (): MessageArg => c.decision?.reasonSaid ?? c.decision?.reason ?? '';
  switch (candidateVerdict(c)) {
    case 'verified': {
      const fixed = r.newlyPassing.length ? msg('nowPassingNote', names(r.newlyPassing)) : '';
      const caught = c.mutation?.killed ? msg('catchesMutation', c.mutation.description) : '';
      return r.baseline.passed === 1 ? msg('testsPassOne', r.candidate.passed, fixed, caught) : msg('testsPass', r.baseline.passed, r.candidate.passed, fixed, caught);
    }
    case 'regressed':
      if (r.newlyFailing.length) return r.newlyFailing.length === 1 ? msg('regressedOne', names(r.newlyFailing)) : msg('regressedMany', r.newlyFailing.length, names(r.newlyFailing));
      return r.message ? msg('regressedExit', said()) : msg('regressedExitBare');
    case 'not-fixed':
      if (c.decision?.reason) return msg('plain', reason());
      if (c.targetsStillFailing.length) return c.targetsStillFailing.length === 1 ? msg('notFixedOne', names(c.targetsStillFailing)) : msg('notFixedMany', c.targetsStillFailing.length, names(c.targetsStillFailing));
      return r.message ? msg('notDone', said()) : msg('notDoneBare');
    case 'inconclusive':
      if (c.decision?.reason) return c.decision.reason.endsWith('.') ? msg('plain', reason()) : msg('reasonSentence', reason());
      return r.message ? msg('cannotJudge', said()) : msg('cannotJudgeBare');
    case 'no-tests':
      return r.message ? msg('noTestRan', said()) : msg('noTestRanBare');
    case 'error':
      return r.message ? msg('runFailed', said()) : msg('runFailedBare');
    case 'untrusted':
      return msg('restricted');
    default:
      return r.message ? msg('plain', said()) : msg('notTested');
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
    ...(verdict !== undefined || c.applyError ? { reason: verdictReason(c), reasonSaid: verdictReasonSaid(c) } : {}),
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
