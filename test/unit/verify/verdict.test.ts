// The verdict rule, case by case, over hand-made runs (pure: no process is started).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge, type TestCaseResult } from '../../../src/core/verify';

const t = (id: string, status: TestCaseResult['status'] = 'passed'): TestCaseResult => ({ id, status, output: status === 'failed' ? `${id} failed` : undefined });
const run = (tests: TestCaseResult[], exitCode: number | null = tests.some((x) => x.status === 'failed') ? 1 : 0, reported = tests.length > 0) => ({ tests, exitCode, reported, output: `output exit ${exitCode}` });

test('verified: the candidate passes, nothing that passed broke', () => {
  const j = judge({ baseline: run([t('a'), t('b')]), candidate: run([t('a'), t('b'), t('c')]) });
  assert.equal(j.verdict, 'verified');
  assert.deepEqual(j.newlyPassing, ['c']);
});

test('a suite red before and after with no passing test is never verified', () => {
  const j = judge({ baseline: run([t('a', 'failed')]), candidate: run([t('a', 'failed')]) });
  assert.equal(j.verdict, 'inconclusive');
  assert.match(j.message, /no test passes with the change/);
});

test('a red baseline with exit codes only is inconclusive (lint fails before and after: `xo && ava && tsd`)', () => {
  const j = judge({ baseline: run([], 1, false), candidate: run([], 1, false) });
  assert.equal(j.verdict, 'inconclusive');
  assert.match(j.message, /already fail without the change/);
  // …and a breaking edit gets the same: never a green check.
  assert.notEqual(judge({ baseline: run([], 1, false), candidate: run([], 2, false) }).verdict, 'verified');
});

test('exit codes only: 0 → 0 is inconclusive, 0 → 1 is regressed, 127 on the unedited code is error', () => {
  assert.equal(judge({ baseline: run([], 0, false), candidate: run([], 0, false) }).verdict, 'inconclusive');
  assert.equal(judge({ baseline: run([], 0, false), candidate: run([], 1, false) }).verdict, 'regressed');
  assert.equal(judge({ baseline: run([], 127, false), candidate: run([], 127, false) }).verdict, 'error');
  assert.equal(judge({ baseline: run([], 0, true), candidate: run([], 0, true) }).verdict, 'no-tests', 'a runner that reported, and reported no test');
  assert.equal(judge({ baseline: run([], 5, true), candidate: run([], 5, true) }).verdict, 'no-tests', 'pytest: exit 5, no tests collected');
  assert.equal(judge({ baseline: run([], 0, false), candidate: run([], 0, false), targets: ['x'] }).verdict, 'inconclusive', 'targets cannot be checked by exit code');
});

test('regressed names the test that broke, and the test that vanished', () => {
  const j = judge({ baseline: run([t('a'), t('b'), t('c')]), candidate: run([t('a'), t('b', 'failed')]) });
  assert.equal(j.verdict, 'regressed');
  assert.deepEqual(j.newlyFailing.sort(), ['b', 'c']);
  assert.match(j.message, /fail now: b/);
  assert.match(j.message, /did not run with the change: c/);
});

test('a vanished test is a regression even when the run exits 0', () => {
  const j = judge({ baseline: run([t('a'), t('b')]), candidate: run([t('a')]) });
  assert.equal(j.verdict, 'regressed');
  assert.deepEqual(j.newlyFailing, ['b']);
});

test('exit 0 → non-zero with every old test still passing is regressed (a new failing test, or a failing step)', () => {
  const j = judge({ baseline: run([t('a')]), candidate: run([t('a'), t('new', 'failed')]) });
  assert.equal(j.verdict, 'regressed');
  assert.match(j.message, /new/);
  const step = judge({ baseline: run([t('a')], 0), candidate: run([t('a')], 2) });
  assert.equal(step.verdict, 'regressed');
  assert.match(step.message, /exit 0 → exit 2/);
});

test('fix tasks: verified only when every target failed before and passes now', () => {
  const fixed = judge({ baseline: run([t('a'), t('bug', 'failed')]), candidate: run([t('a'), t('bug')]), targets: ['bug'] });
  assert.equal(fixed.verdict, 'verified');
  assert.match(fixed.message, /target test\(s\) failed before and pass now: bug/);
  const hollow = judge({ baseline: run([t('a'), t('bug', 'failed')]), candidate: run([t('a'), t('bug', 'failed')]), targets: ['bug'] });
  assert.equal(hollow.verdict, 'not-fixed');
  assert.deepEqual(hollow.targetsStillFailing, ['bug']);
  const missing = judge({ baseline: run([t('a'), t('bug', 'failed')]), candidate: run([t('a')], 1), targets: ['bug'] });
  assert.equal(missing.verdict, 'not-fixed', 'a target that no longer runs is not fixed');
  const already = judge({ baseline: run([t('a'), t('bug')]), candidate: run([t('a'), t('bug')]), targets: ['bug'] });
  assert.equal(already.verdict, 'inconclusive');
  const brokeOther = judge({ baseline: run([t('a'), t('bug', 'failed')]), candidate: run([t('a', 'failed'), t('bug')]), targets: ['bug'] });
  assert.equal(brokeOther.verdict, 'regressed', 'a regression outranks a fixed target');
});

test('a red baseline with per-test results is judged per test', () => {
  const j = judge({ baseline: run([t('a'), t('old', 'failed')]), candidate: run([t('a'), t('old', 'failed')]) });
  assert.equal(j.verdict, 'verified');
  assert.match(j.message, /failed before the change too and still fail: old/);
  const broke = judge({ baseline: run([t('a'), t('old', 'failed')]), candidate: run([t('a', 'failed'), t('old', 'failed')]) });
  assert.equal(broke.verdict, 'regressed');
});

test('a test that fails once and passes on the re-run is flaky, not regressed', () => {
  const j = judge({ baseline: run([t('a'), t('f')]), candidate: run([t('a'), t('f', 'failed')]), rerun: { tests: [t('a'), t('f')] } });
  assert.equal(j.verdict, 'verified');
  assert.deepEqual(j.flaky, ['f']);
});

test('a build error with the change (no test reports) is regressed, naming what passed before', () => {
  const j = judge({ baseline: run([t('a')]), candidate: run([], 2, false) });
  assert.equal(j.verdict, 'regressed');
  assert.deepEqual(j.newlyFailing, ['a']);
  assert.match(j.message, /before any test reports/);
});

test('a suite that reports nothing and exits 0 both times verifies no edit: not a refactor, not a fix, not a fix with targets', () => {
  for (const extra of [{}, { fix: true }, { fix: true, targets: ['adds'] }]) {
    const j = judge({ baseline: run([], 0, false), candidate: run([], 0, false), ...extra });
    assert.equal(j.verdict, 'inconclusive', JSON.stringify(extra));
  }
  assert.match(judge({ baseline: run([], 0, false), candidate: run([], 0, false) }).message, /exited 0 before and after .*nothing shows that a test ran/);
});

// ---- results read from the runner's output (ava, tape, go, cargo): a printed line can be forged ----
const fromOutput = (tests: TestCaseResult[], exitCode?: number) => ({ ...run(tests, exitCode), results: 'stdout' as const });

test('results from the output: a target shown passing while the suite still fails is never verified', () => {
  // The forgery: the library prints "--- PASS: TestMul" after the real failure; the runner still exits 1.
  const j = judge({ baseline: fromOutput([t('TestAdd'), t('TestMul', 'failed')]), candidate: fromOutput([t('TestAdd'), t('TestMul'), t('TestMul (2)', 'failed')], 1), targets: ['TestMul'], fix: true });
  assert.equal(j.verdict, 'inconclusive', j.message);
  assert.match(j.message, /results read from the test output.*still fails.*exit 1/);
  // Also for a fix of one test while another failed before and still fails: only the exit status could confirm it.
  const partial = judge({ baseline: fromOutput([t('a', 'failed'), t('b', 'failed'), t('c')]), candidate: fromOutput([t('a'), t('b', 'failed'), t('c')]), targets: ['a'], fix: true });
  assert.equal(partial.verdict, 'inconclusive');
});

test('results from the output: verified only when the exit status confirms the suite passes whole, and the message says where the results came from', () => {
  const j = judge({ baseline: fromOutput([t('TestAdd'), t('TestMul', 'failed')]), candidate: fromOutput([t('TestAdd'), t('TestMul')]), targets: ['TestMul'], fix: true });
  assert.equal(j.verdict, 'verified', j.message);
  assert.match(j.message, /results read from the test output: the runner's exit status \(0\) confirms/);
  // The same evidence over the result channel needs no such confirmation.
  const channel = judge({ baseline: run([t('a', 'failed'), t('b', 'failed'), t('c')]), candidate: run([t('a'), t('b', 'failed'), t('c')]), targets: ['a'], fix: true });
  assert.equal(channel.verdict, 'verified', channel.message);
});
