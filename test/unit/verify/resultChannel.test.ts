// The result channel's parent side (src/core/verify/results/channel.ts): only records with an issued key and
// the next sequence number count; every session must end; the end record, the results and the exit code
// must agree. And the verdict never rests on a run whose results cannot be trusted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resultChannel, CHANNEL_KEY_CHARS } from '../../../src/core/verify/results/channel';
import { judge } from '../../../src/core/verify/policy/judge';
import type { TestRun } from '../../../src/core/verify';

const keysOf = (text: string): string[] => text.trim().split('\n');
const rec = (key: string, seq: number, r: object): string => `${key} ${seq} ${JSON.stringify(r)}`;

function session(key: string, cases: object[], end: object = { t: 'end', records: cases.length }): string[] {
  return [rec(key, 0, { t: 'start', runner: 'mocha' }), ...cases.map((c, i) => rec(key, i + 1, c)), rec(key, cases.length + 1, end)];
}

const pass = { t: 'case', file: '/ws/test/a.js', suite: 'calc', name: 'adds', status: 'passed' };
const fail = { t: 'case', file: '/ws/test/a.js', suite: 'calc', name: 'multiplies', status: 'failed', output: 'AssertionError: 5 == 6' };

test('keys: 16 one-time keys of 32 hex characters, one per line, different every run', () => {
  const a = keysOf(resultChannel('/ws').keyText);
  assert.equal(a.length, 16);
  assert.ok(a.every((k) => new RegExp(`^[0-9a-f]{${CHANNEL_KEY_CHARS}}$`).test(k)));
  assert.notDeepEqual(a, keysOf(resultChannel('/ws').keyText));
});

test('a complete session: tests named file::suite::name relative to the root, exit code agrees → no problem', () => {
  const ch = resultChannel('/ws');
  const [key] = keysOf(ch.keyText);
  for (const l of session(key, [pass, fail])) ch.line(l);
  const out = ch.finish(1, true);
  assert.equal(out.problem, undefined);
  assert.equal(out.sessions, 1);
  assert.deepEqual(out.tests.map((t) => [t.id, t.status]), [['test/a.js::calc::adds', 'passed'], ['test/a.js::calc::multiplies', 'failed']]);
});

test('forgeries: a made-up key, the old stdout prefix, a replayed sequence number or a record after the end are rejected and taint the run', () => {
  for (const extra of [
    rec('0'.repeat(32), 1, pass),
    `::qwq-test::${JSON.stringify({ type: 'test:pass', name: 'multiplies', nesting: 0, file: '/ws/test/a.js' })}`,
  ]) {
    const ch = resultChannel('/ws');
    const [key] = keysOf(ch.keyText);
    for (const l of session(key, [pass, fail])) ch.line(l);
    ch.line(extra);
    const out = ch.finish(1, true);
    assert.match(out.problem ?? '', /something other than the test reporter wrote/);
    assert.ok(!out.tests.some((t) => t.id.endsWith('multiplies') && t.status === 'passed'));
  }
  const ch = resultChannel('/ws');
  const [key] = keysOf(ch.keyText);
  ch.line(rec(key, 0, { t: 'start', runner: 'mocha' }));
  ch.line(rec(key, 1, fail));
  ch.line(rec(key, 1, { ...fail, status: 'passed' }));
  assert.match(ch.finish(1, true).problem ?? '', /something other/);
});

test('a session without its end record (the runner was stopped) → "ended before its reporter finished"', () => {
  const ch = resultChannel('/ws');
  const [key] = keysOf(ch.keyText);
  for (const l of session(key, [pass, fail]).slice(0, -1)) ch.line(l);
  assert.match(ch.finish(0, true).problem ?? '', /ended before its reporter finished/);
});

test('disagreements: end count ≠ records, failing tests under exit 0, the runner\'s own exit status ≠ the command\'s', () => {
  const count = resultChannel('/ws');
  const [k1] = keysOf(count.keyText);
  for (const l of session(k1, [pass], { t: 'end', records: 3 })) count.line(l);
  assert.match(count.finish(0, true).problem ?? '', /count disagrees/);

  const swallowed = resultChannel('/ws');
  const [k2] = keysOf(swallowed.keyText);
  for (const l of session(k2, [pass, fail])) swallowed.line(l);
  assert.match(swallowed.finish(0, true).problem ?? '', /exited 0 although its reporter saw 1 failing/);

  const pytest = resultChannel('/ws');
  const [k3] = keysOf(pytest.keyText);
  for (const l of session(k3, [{ t: 'case', id: 'tests/test_a.py::test_x', status: 'passed' }], { t: 'end', records: 1, exit: 1 })) pytest.line(l);
  assert.match(pytest.finish(0, true).problem ?? '', /reported exit status 1 but the test command exited 0/);
});

test('no session: exit 0 from a runner we expected to report is untrusted; a failing command that never reached the runner is exit-code only', () => {
  assert.match(resultChannel('/ws').finish(0, true).problem ?? '', /never started/);
  assert.equal(resultChannel('/ws').finish(1, true).problem, undefined);
  assert.equal(resultChannel('/ws').finish(0, false).problem, undefined);
});

test('two sessions (the runner started twice): both count; where they disagree on a test, the failure wins', () => {
  const ch = resultChannel('/ws');
  const [a, b] = keysOf(ch.keyText);
  for (const l of session(a, [pass])) ch.line(l);
  for (const l of session(b, [{ ...pass, status: 'failed' }])) ch.line(l);
  const out = ch.finish(1, true);
  assert.equal(out.sessions, 2);
  assert.deepEqual(out.tests.map((t) => t.status), ['failed']);
});

const run = (r: Partial<TestRun>): TestRun => ({ runner: 'mocha', tests: [], message: '', exitCode: 0, reported: true, output: '', ...r });

test('verdict: a run whose results cannot be trusted is inconclusive, never verified', () => {
  const baseline = run({ tests: [{ id: 'a::adds', status: 'passed' }, { id: 'a::multiplies', status: 'failed' }], exitCode: 1 });
  const candidate = run({ tests: [{ id: 'a::adds', status: 'passed' }, { id: 'a::multiplies', status: 'passed' }], resultsProblem: 'the test run ended before its reporter finished' });
  const j = judge({ baseline, candidate, targets: ['a::multiplies'] });
  assert.equal(j.verdict, 'inconclusive');
  assert.match(j.message, /cannot be trusted.*ended before its reporter finished/);
});

test('verdict: nothing reported without the change and a test failing with it → inconclusive, not "nothing that passed before broke"', () => {
  const baseline = run({ tests: [], exitCode: 1, reported: false });
  const candidate = run({ tests: [{ id: 'a::adds', status: 'passed' }, { id: 'a::multiplies', status: 'failed' }], exitCode: 1 });
  assert.equal(judge({ baseline, candidate }).verdict, 'inconclusive');
});

test('verdict: a chain step that passed before and fails now is a regression; one failing both times hides no test', () => {
  const tests = [{ id: 'a::adds', status: 'passed' as const }];
  const steps = (lint: number | null): TestRun['steps'] => [{ step: 'xo', exitCode: lint, runner: false }, { step: 'ava', exitCode: 0, runner: true }];
  const broke = judge({ baseline: run({ tests, steps: steps(0) }), candidate: run({ tests, steps: steps(1) }) });
  assert.equal(broke.verdict, 'regressed');
  assert.match(broke.message, /`xo` \(exit 1\)/);
  const red = judge({ baseline: run({ tests, steps: steps(1) }), candidate: run({ tests, steps: steps(1) }) });
  assert.equal(red.verdict, 'verified', red.message);
});
