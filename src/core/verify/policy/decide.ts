// The acceptance policy (docs/architecture.md §5): the one place that decides whether an edit is `verified`.
// Every path that shows or applies an edit asks it: the agent loop, Accept on a changed file, a partial choice
// of hunks, follow-ups, the CLI's `verify`, and tools other agents call. Pure: the runs, the held judge files and
// the audit are gathered by verifyChanges (and the agent's goal checks); this only reads them.
import type { Verdict } from '../types';
import { implementRejection } from './goals';
import { judge, type JudgedRun, type Judgement } from './judge';
import type { AcceptanceTask } from './task';
import type { MutationEvidence, RunEvidence, PatchEvidence, Mark } from './evidence';
import { isTestFile } from '../selection';
export { isVerified } from './verified';
export type { MutationEvidence, RunEvidence, PatchEvidence, Mark };

export interface Decision extends Judgement {
  /** The run comparison's own verdict before the policy's other rules (what a follow-up phase may build on). */
  runVerdict: Verdict;
  /** The targets the decision held the edit to. */
  targets: string[];
  /** Lines of the patch the card marks: hunks that change the user's tests, audit hits. */
  marks: Mark[];
  /** Set when a rule beyond the run comparison decided: the card's sentence, in plain words. */
  reason?: string;
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
  const notGreen = (verdict: Verdict, reason: string): Decision => ({ ...base, verdict, reason, message: reason.includes(j.message) ? reason : `${reason} (the tests themselves: ${j.message})` });
  const judgeFiles = [...new Set(patch.judgeChanges.map((c) => c.path))];
  const changesTests = judgeFiles.length > 0;

  if (j.verdict !== 'verified') {
    // Red stays red; anything else the edit reached by changing the user's tests is amber, with those hunks marked.
    if (!changesTests || j.verdict === 'regressed' || j.verdict === 'error') return withAuditNote(base);
    return notGreen('inconclusive', `It ${OUTCOME_WORDS.changesTests} (${judgeFiles.join(', ')}), and with your tests as they were it is not verified: ${j.message}`);
  }
  if (auditMarks.length > 0) {
    return notGreen('inconclusive', `${capital(OUTCOME_WORDS.changesReporting)}: ${list(auditMarks.map((m) => `${where(m)} — ${m.why.slice(OUTCOME_WORDS.changesReporting.length + 2)}`))}`);
  }
  if (changesTests) {
    const edited = run.editedTests;
    if (!edited) return notGreen('inconclusive', `It ${OUTCOME_WORDS.changesTests} (${judgeFiles.join(', ')}), and they were not run as the edit leaves them`);
    const j2 = judge({ baseline, candidate: edited, targets, fix });
    // A test the edit's own changes break is red: the edit as a whole breaks it.
    if (j2.verdict === 'regressed') return { ...notGreen('regressed', `It ${OUTCOME_WORDS.changesTests} (${judgeFiles.join(', ')}), and with its changes to them a test fails: ${j2.message}`), newlyFailing: j2.newlyFailing, failureOutput: j2.failureOutput };
    if (j2.verdict !== 'verified') return notGreen('inconclusive', `It ${OUTCOME_WORDS.changesTests} (${judgeFiles.join(', ')}): your tests as they were pass, but with the edit's changes to them: ${j2.message}`);
  }
  const goal = goalRejection(task, baseline, run, patch);
  if (goal) return { ...base, verdict: 'not-fixed', reason: `Nothing broke, but ${goal}.`, message: `nothing broke, but ${goal}`, ...(goal === MUTATION_PENDING ? { needs: 'mutation' as const } : {}) };
  const also = changesTests ? `; it also ${OUTCOME_WORDS.changesTests} (${judgeFiles.join(', ')}): they pass as the edit leaves them, but the verdict is from your tests as they were` : '';
  const caught = run.mutation && 'killed' in run.mutation && run.mutation.killed ? `; the new tests catch a broken copy of the code (${run.mutation.description})` : '';
  return { ...base, message: `${j.message}${also}${caught}` };
}

function withAuditNote(d: Decision): Decision {
  const hits = d.marks.filter((m) => m.kind === 'audit');
  return hits.length ? { ...d, message: `${d.message}; ${OUTCOME_WORDS.changesReporting}: ${list(hits.map((m) => `${where(m)}`))}` } : d;
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const MUTATION_PENDING = 'the new tests were not yet checked against a broken copy of the code';

/** The task's goal beyond "the tests pass": why it is not met, or undefined. */
function goalRejection(task: AcceptanceTask, baseline: JudgedRun, run: RunEvidence, patch: PatchEvidence): string | undefined {
  if (task.kind === 'implement-function' && task.symbol) return implementRejection(task.symbol, patch.changes.map((c) => ({ path: c.path, before: c.before, after: c.after })), patch.symbolSpans);
  if (task.kind !== 'generate-tests') return undefined;
  const codeFile = task.file && !isTestFile(task.file) ? task.file : undefined;
  if (codeFile && patch.changes.some((c) => c.path === codeFile)) return `the edit changed ${codeFile}, the code under test`;
  const baselineIds = new Set(baseline.tests.map((t) => t.id));
  const C = run.candidate.tests;
  if (C.length > 0) {
    const newTests = C.filter((t) => !baselineIds.has(t.id));
    if (newTests.length === 0) return 'no new test ran';
    const failing = newTests.filter((t) => t.status === 'failed');
    if (failing.length) return `new tests fail on the current code: ${failing.map((t) => t.id).join(', ')}`;
  } else {
    return 'no new passing test ran';
  }
  const m = run.mutation;
  if (!m) return MUTATION_PENDING;
  if ('none' in m) return undefined; // nothing to mutate (no code under test known, or no line to change)
  if (!m.killed) return `the new tests still pass when the code is mutated (${m.description}): they do not check its behaviour`;
  return undefined;
}
