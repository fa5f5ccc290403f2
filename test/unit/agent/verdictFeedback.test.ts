// not-fixed and inconclusive are feedback for the next round: the repair prompt carries the verdict and its
// reason in words, so the model learns why the edit was not accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repairPrompt } from '../../../src/core/agent/prompts';

test('the repair prompt names a not-fixed verdict, its reason and the targets that still fail', () => {
  const p = repairPrompt({ kind: 'tests', verdict: 'not-fixed', newlyFailing: [], targetsStillFailing: ['test/a.test.js::mul'], diff: '-a\n+b\n', reason: 'nothing that passed before broke, but the target test(s) still do not pass: test/a.test.js::mul' });
  assert.match(p, /Verdict: not-fixed \(nothing that passed before broke, but the target test\(s\) still do not pass/);
  assert.match(p, /Tests that still fail:\n- test\/a.test.js::mul/);
});

test('an inconclusive verdict says why the tests could not judge the edit', () => {
  const p = repairPrompt({ kind: 'tests', verdict: 'inconclusive', newlyFailing: [], targetsStillFailing: [], diff: '', reason: 'no test passes with the change (2 failed before, 2 fail now)' });
  assert.match(p, /Verdict: inconclusive \(no test passes with the change/);
});
