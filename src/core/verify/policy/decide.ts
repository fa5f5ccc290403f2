// The acceptance policy (docs/architecture.md §5): the one place that decides whether an edit is `verified`.
// Every path that shows or applies an edit asks it: the agent loop, Accept on a changed file, a partial choice
// of hunks, follow-ups, the CLI's `verify`, and tools other agents call. Pure: the runs, the held judge files and
// the audit are gathered by verifyChanges (and the agent's goal checks); this only reads them.
import type { Verdict } from '../types';
import { implementRejection } from './goals';
import { judge, type JudgedRun, type Judgement } from './judge';
import type { AcceptanceTask } from './task';
import { msg, renderMessage, type Message } from '../messages';
import type { MutationEvidence, RunEvidence, PatchEvidence, Mark } from './evidence';
import { isTestFile } from '../selection';
export { isVerified } from './verified';
export type { MutationEvidence, RunEvidence, PatchEvidence, Mark };

export interface Decision extends Omit<Judgement, 'said'> {
  /** `message` in the message table's terms; absent when the verifier decided before the policy could. */
  said?: Message;
  /** The run comparison's own verdict before the policy's other rules (what a follow-up phase may build on). */
  runVerdict: Verdict;
  /** The targets the decision held the edit to. */
  targets: string[];
  /** Lines of the patch the card marks: hunks that change the user's tests, audit hits. */
  marks: Mark[];
  /** Set when a rule beyond the run comparison decided: the card's sentence, in plain words. */
  reason?: string;
  /** `reason` in the message table's terms, for a UI that translates it. */
  reasonSaid?: Message;
  /** Evidence the policy still needs before it can say `verified` (Generate Tests: the mutation check). */
  needs?: 'mutation';
}

/** Plain words for the policy's own outcomes (the CLI and the panel show them as they are). */
export const OUTCOME_WORDS = {
  changesTests: 'changes your tests',
  changesReporting: 'the edit changes how tests report',
  endedEarly: 'the test run ended early',
} as const;

const where = (m: { path: string; line: number }): string => `${m.path}:${m.line}`;
const list = (items: string[], max = 3): string => `${items.slice(0, max).join('; ')}${items.length > max ? `; … (${items.length} in all)` : ''}`;

/** The targets a task holds an edit to: its own, and for a fix every test that failed on the unedited code. */
export function targetsOf(task: AcceptanceTask, baseline: JudgedRun): string[] {
  const failing = task.kind === 'fix-failing-tests' ? baseline.tests.filter((t) => t.status === 'failed').map((t) => t.id) : [];
  return [...new Set([...(task.targets ?? []), ...failing])];
}

/**
 * Decides the verdict of one edit: the run comparison (judge.ts) with the exact target match, the judge-file
 * rule (green only with the user's tests as they were), the audit (a hit is never green), and the task's goal
 * (Implement Function changes the function's body; Generate Tests adds passing tests that catch a mutation).
 */
export function decide(task: AcceptanceTask, baseline: JudgedRun, run: RunEvidence, patch: PatchEvidence): Decision {
  const targets = targetsOf(task, baseline);
  const fix = task.kind === 'fix-failing-tests' || targets.length > 0;
  const j = judge({ baseline, candidate: run.candidate, rerun: run.rerun, targets, fix });
  const judgeMarks: Mark[] = patch.judgeChanges.flatMap((c) => c.lines.map((line) => ({ path: c.path, line, kind: 'changes-tests' as const, why: `${OUTCOME_WORDS.changesTests}: this changes ${c.what}` })));
  const auditMarks: Mark[] = patch.audit.findings.map((f) => ({ path: f.path, line: f.line, kind: 'audit' as const, why: `${OUTCOME_WORDS.changesReporting}: ${f.why}` }));
  const marks = [...auditMarks, ...judgeMarks];
  const base: Decision = { ...j, runVerdict: j.verdict, targets, marks };
  // The message is the reason, with the run comparison's own words when the reason does not already hold them.
  const notGreen = (verdict: Verdict, reasonSaid: Message): Decision => {
    const reason = renderMessage(reasonSaid);
    const said = reason.includes(j.message) ? reasonSaid : msg('reasonAndTests', reasonSaid, j.said);
    return { ...base, verdict, reason, reasonSaid, said, message: renderMessage(said) };
  };
  const judgeFiles = [...new Set(patch.judgeChanges.map((c) => c.path))];
  const changesTests = judgeFiles.length > 0;

  if (j.verdict !== 'verified') {
    // Red stays red; anything else the edit reached by changing the user's tests is amber, with those hunks marked.
    if (!changesTests || j.verdict === 'regressed' || j.verdict === 'error') return withAuditNote(base);
    return notGreen('inconclusive', msg('changesTestsNotVerified', judgeFiles.join(', '), j.said));
  }
  if (auditMarks.length > 0) {
    return notGreen('inconclusive', msg('changesReporting', list(auditMarks.map((m) => `${where(m)} — ${m.why.slice(OUTCOME_WORDS.changesReporting.length + 2)}`))));
  }
  if (changesTests) {
    const edited = run.editedTests;
    if (!edited) return notGreen('inconclusive', msg('changesTestsNotRun', judgeFiles.join(', ')));
    const j2 = judge({ baseline, candidate: edited, targets, fix });
    // A test the edit's own changes break is red: the edit as a whole breaks it.
    if (j2.verdict === 'regressed') return { ...notGreen('regressed', msg('changesTestsBreak', judgeFiles.join(', '), j2.said)), newlyFailing: j2.newlyFailing, failureOutput: j2.failureOutput };
    if (j2.verdict !== 'verified') return notGreen('inconclusive', msg('changesTestsEdited', judgeFiles.join(', '), j2.said));
  }
  const goal = goalRejection(task, baseline, run, patch);
  if (goal) {
    const reasonSaid = msg('goalNotMet', goal);
    const said = msg('goalNotMetShort', goal);
    return { ...base, verdict: 'not-fixed', reason: renderMessage(reasonSaid), reasonSaid, said, message: renderMessage(said), ...(goal.id === 'mutationPending' ? { needs: 'mutation' as const } : {}) };
  }
  const also = changesTests ? msg('alsoChangesTests', judgeFiles.join(', ')) : '';
  const caught = run.mutation && 'killed' in run.mutation && run.mutation.killed ? msg('catchesMutation', run.mutation.description) : '';
  if (!also && !caught) return base;
  const said = msg('withNotes', j.said, also, caught);
  return { ...base, said, message: renderMessage(said) };
}

function withAuditNote(d: Decision): Decision {
  const hits = d.marks.filter((m) => m.kind === 'audit');
  if (!hits.length) return d;
  const said = msg('reportingNote', d.said ?? d.message, list(hits.map((m) => `${where(m)}`)));
  return { ...d, said, message: renderMessage(said) };
}


/** The task's goal beyond "the tests pass": why it is not met, or undefined. */
function goalRejection(task: AcceptanceTask, baseline: JudgedRun, run: RunEvidence, patch: PatchEvidence): Message | undefined {
  if (task.kind === 'implement-function' && task.symbol) {
    return implementRejection(task.symbol, patch.changes.map((c) => ({ path: c.path, before: c.before, after: c.after })), patch.symbolSpans);
  }
  if (task.kind !== 'generate-tests') return undefined;
  const codeFile = task.file && !isTestFile(task.file) ? task.file : undefined;
  if (codeFile && patch.changes.some((c) => c.path === codeFile)) return msg('changedCodeUnderTest', codeFile);
  const baselineIds = new Set(baseline.tests.map((t) => t.id));
  const C = run.candidate.tests;
  if (C.length > 0) {
    const newTests = C.filter((t) => !baselineIds.has(t.id));
    if (newTests.length === 0) return msg('noNewTest');
    const failing = newTests.filter((t) => t.status === 'failed');
    if (failing.length) return msg('newTestsFail', failing.map((t) => t.id).join(', '));
  } else {
    return msg('noNewPassingTest');
  }
  const m = run.mutation;
  if (!m) return msg('mutationPending');
  if ('none' in m) return undefined; // nothing to mutate (no code under test known, or no line to change)
  if (!m.killed) return msg('mutationSurvived', m.description);
  return undefined;
}
