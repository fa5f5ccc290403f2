// The run comparison (docs/architecture.md §5), as one pure function over two completed runs: the first step of
// the acceptance policy (decide.ts), which alone turns it into the final verdict. Runs that timed out, were
// cancelled or never started are `error` before this is reached.
import { trimOutput, type TestCaseResult, type TestRun, type Verdict } from '../types';
import { namesTest, isRunLevelEntry } from './targets';
import { msg, renderMessage, VERDICT_MESSAGES, type Message } from '../messages';

import type { JudgedRun } from './evidence';
export type { JudgedRun };

export interface JudgeInput {
  baseline: JudgedRun;
  candidate: JudgedRun;
  /** The candidate run again, when newly failing tests were re-run (flakiness). */
  rerun?: Pick<TestRun, 'tests'>;
  /** Fix tasks: tests that must fail before and pass after, compared whole (targets.ts `namesTest`). */
  targets?: readonly string[];
  /**
   * A fix (fix-failing-tests, or targets named): a suite that failed before (or did not build) and passes whole
   * with the change is fixed, even when only exit codes are known.
   */
  fix?: boolean;
}

export interface Judgement {
  verdict: Verdict;
  message: string;
  /** `message` as an id of the message table and its arguments, for a UI that translates it. */
  said: Message;
  newlyFailing: string[];
  newlyPassing: string[];
  flaky: string[];
  targetsStillFailing: string[];
  failureOutput?: string;
}

const matches = (target: string, id: string): boolean => namesTest(target, id);
/** Plain words for runs whose per-test results came from the runner's printed output (TestRun.results 'stdout'). */
export const RESULTS_FROM_OUTPUT = VERDICT_MESSAGES.resultsFromOutput;
const list = (ids: string[], max = 5): string => `${ids.slice(0, max).join(', ')}${ids.length > max ? `, … (${ids.length} in all)` : ''}`;
const exitText = (code: number | null | undefined): Message => (code === null || code === undefined ? msg('killedBySignal') : msg('exitCode', code));
const say = (m: Message): { said: Message; message: string } => ({ said: m, message: renderMessage(m) });

export function judge(input: JudgeInput): Judgement {
  const { baseline, candidate } = input;
  const targets = [...(input.targets ?? [])];
  const B = baseline.tests;
  const C = candidate.tests;
  const base = { newlyFailing: [] as string[], newlyPassing: [] as string[], flaky: [] as string[], targetsStillFailing: [] as string[] };
  const bExit = baseline.exitCode;
  const cExit = candidate.exitCode;

  // The result channel (docs/architecture.md §5): a run whose results cannot be trusted decides nothing.
  const untrusted = candidate.resultsProblem ? say(msg('resultsUntrustedWith', candidate.resultsProblem)) : baseline.resultsProblem ? say(msg('resultsUntrustedWithout', baseline.resultsProblem)) : undefined;
  if (untrusted) return { ...base, verdict: 'inconclusive', ...untrusted, failureOutput: trimOutput((candidate.resultsProblem ? candidate.output : baseline.output) ?? '') };

  // A chain's other steps (lint, build, type checks) ran on their own: one that passed before and fails now
  // is a regression; one that failed both times is named in the run's notes and judges nothing.
  const stepsBroken = (candidate.steps ?? []).filter((s) => !s.runner && s.exitCode !== 0 && (baseline.steps ?? []).some((b) => b.step === s.step && b.exitCode === 0));
  if (stepsBroken.length) {
    return { ...base, verdict: 'regressed', ...say(msg('stepBroken', stepsBroken.map((s) => `\`${s.step}\` (${renderMessage(exitText(s.exitCode))})`).join(', '))), failureOutput: trimOutput(candidate.output ?? '', 16000) };
  }

  // Exit codes only: neither run said anything per test.
  if (B.length === 0 && C.length === 0) {
    // The runner's reporter spoke both times and named no test (pytest exits 5, jest 1, node --test 0).
    if (baseline.reported && candidate.reported) {
      return { ...base, verdict: 'no-tests', ...say(msg('noTestsReported', exitText(bExit), exitText(cExit))) };
    }
    if (bExit === 127 || bExit === 126) {
      return { ...base, verdict: 'error', ...say(msg('couldNotStart', exitText(bExit))), failureOutput: trimOutput(baseline.output ?? '') };
    }
    if (bExit !== 0 && cExit === 0 && input.fix && !targets.length) {
      // The judge is held to the baseline (decide.ts), so exit 0 is the user's own suite passing whole.
      return { ...base, verdict: 'verified', ...say(msg('suiteFixedByExit', exitText(bExit))) };
    }
    if (bExit !== 0) {
      return {
        ...base, verdict: 'inconclusive', failureOutput: trimOutput(baseline.output ?? ''),
        ...say(msg('alreadyFailingNoResults', exitText(bExit), exitText(cExit))),
      };
    }
    if (cExit !== 0) {
      return { ...base, verdict: 'regressed', ...say(msg('exitBroken', exitText(cExit))), failureOutput: trimOutput(candidate.output ?? '', 16000) };
    }
    if (targets.length) {
      return { ...base, targetsStillFailing: targets, verdict: 'inconclusive', ...say(msg('targetsUncheckable', list(targets))) };
    }
    // Exit 0 both times says nothing about this edit: the suite may run no test at all, or none that reaches the
    // changed code. Never green (docs/architecture.md §5, "Exit codes").
    return { ...base, verdict: 'inconclusive', ...say(msg('exitZeroBoth')) };
  }

  const cand = new Map(C.map((r) => [r.id, r]));
  const passedBefore = B.filter((r) => r.status === 'passed');
  const brokenAll = passedBefore.filter((r) => cand.get(r.id)?.status === 'failed' || !cand.has(r.id)).map((r) => r.id);
  const rerunPassed = new Set((input.rerun?.tests ?? []).filter((r) => r.status === 'passed').map((r) => r.id));
  const flaky = brokenAll.filter((id) => rerunPassed.has(id));
  const newlyFailing = brokenAll.filter((id) => !rerunPassed.has(id));
  const basePass = new Set(passedBefore.map((r) => r.id));
  const newlyPassing = C.filter((r) => r.status === 'passed' && !basePass.has(r.id)).map((r) => r.id);
  // A run-level failure before (a package that did not build, a crashed file, an incomplete TAP plan) is fixed
  // when it is gone and the run passes whole: nothing fails and the runner exits 0.
  const passesWhole = cExit === 0 && C.length > 0 && C.every((r) => r.status !== 'failed');
  const targetsStillFailing = targets.filter((t) => !C.some((r) => r.status === 'passed' && matches(t, r.id))
    && !(passesWhole && isRunLevelEntry(t) && !C.some((r) => r.id === t)));
  const out = { newlyFailing, newlyPassing, flaky, targetsStillFailing };
  const flakyNote = flaky.length ? msg('flakyNote', flaky.length, list(flaky)) : '';

  if (newlyFailing.length > 0) {
    const vanished = newlyFailing.filter((id) => !cand.has(id));
    const failing = newlyFailing.filter((id) => cand.has(id));
    const parts: Message[] = [];
    if (failing.length) parts.push(msg('nowFailing', failing.length, list(failing)));
    if (vanished.length) parts.push(C.length === 0 && cExit !== 0
      ? msg('failsBeforeAnyTest', exitText(cExit))
      : msg('vanished', vanished.length, list(vanished)));
    const failureOutput = failing.map((id) => `● ${id}\n${cand.get(id)?.output ?? ''}`).join('\n\n') || (candidate.output ?? '');
    return { ...out, verdict: 'regressed', ...say(parts.length === 2 ? msg('twoParts', parts[0]!, parts[1]!) : parts[0]!), failureOutput: trimOutput(failureOutput, 16000) };
  }
  // Nothing reported without the change (it failed before any test ran): a test failing with it may have
  // failed before too, or not; only a candidate that passes whole can be told apart.
  if (B.length === 0 && !baseline.reported && C.some((r) => r.status === 'failed' && !flaky.includes(r.id))) {
    const failedNow = C.filter((r) => r.status === 'failed').map((r) => r.id);
    return { ...out, verdict: 'inconclusive', ...say(msg('baselineSilent', exitText(bExit), failedNow.length, list(failedNow))), failureOutput: trimOutput(baseline.output ?? '') };
  }
  if (bExit === 0 && cExit !== 0) {
    const failedBefore = new Set(B.filter((r) => r.status === 'failed').map((r) => r.id));
    const failedNow = C.filter((r) => r.status === 'failed');
    const newFailures = failedNow.filter((r) => !failedBefore.has(r.id) && !flaky.includes(r.id));
    // A non-zero exit explained by flaky tests alone is not a regression; any other is.
    const explainedByFlaky = newFailures.length === 0 && failedNow.length > 0 && failedNow.every((r) => flaky.includes(r.id) || failedBefore.has(r.id));
    if (!explainedByFlaky) {
      return {
        ...out, verdict: 'regressed', failureOutput: trimOutput(newFailures.map((r) => `● ${r.id}\n${r.output ?? ''}`).join('\n\n') || (candidate.output ?? ''), 16000),
        ...say(newFailures.length ? msg('suiteBroken', list(newFailures.map((r) => r.id))) : msg('exitBrokenTestsPass', exitText(cExit))),
      };
    }
  }
  if (targetsStillFailing.length > 0) {
    const byTarget = targetsStillFailing.map((t) => C.find((r) => matches(t, r.id))).filter((r): r is TestCaseResult => r !== undefined);
    return {
      ...out, verdict: 'not-fixed', failureOutput: trimOutput(byTarget.map((r) => `● ${r.id}\n${r.output ?? ''}`).join('\n\n'), 16000) || undefined,
      ...say(msg('targetsStillFail', list(targetsStillFailing))),
    };
  }
  const alreadyPassing = targets.filter((t) => B.some((r) => matches(t, r.id)) && !B.some((r) => r.status !== 'passed' && matches(t, r.id)));
  if (alreadyPassing.length > 0) {
    return { ...out, verdict: 'inconclusive', ...say(msg('targetsAlreadyPassed', list(alreadyPassing))) };
  }
  const passedNow = C.filter((r) => r.status === 'passed').length;
  const failedNow = C.filter((r) => r.status === 'failed');
  if (passedNow === 0) {
    return {
      ...out, verdict: 'inconclusive', failureOutput: trimOutput(failedNow.map((r) => `● ${r.id}\n${r.output ?? ''}`).join('\n\n'), 16000) || undefined,
      ...say(msg('nothingPasses', B.filter((r) => r.status === 'failed').length, failedNow.length)),
    };
  }
  // Results read from the runner's output (ava, tape, go, cargo): the code under test can print a passing line
  // itself, so per-test names count only where the runner's exit status confirms them (the suite passes whole).
  const fromOutput = candidate.results === 'stdout' || baseline.results === 'stdout';
  if (fromOutput && cExit !== 0) {
    return {
      ...out, verdict: 'inconclusive', failureOutput: trimOutput(failedNow.map((r) => `● ${r.id}\n${r.output ?? ''}`).join('\n\n'), 16000) || undefined,
      ...say(msg('outputUnconfirmed', msg('resultsFromOutput'), exitText(cExit), targets.length ? msg('targetsNote', list(targets)) : '')),
    };
  }
  const stillRed = failedNow.map((r) => r.id);
  const redNote = stillRed.length ? msg('stillRedNote', stillRed.length, list(stillRed)) : '';
  const targetNote = targets.length ? msg('targetsFixedNote', list(targets)) : '';
  const outputNote = fromOutput ? msg('outputConfirmedNote', msg('resultsFromOutput')) : '';
  return { ...out, verdict: 'verified', ...say(msg('noneBroken', passedNow, newlyPassing.length, targetNote, redNote, flakyNote, outputNote)) };
}
