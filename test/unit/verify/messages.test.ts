// The core's verdict sentences as one message table: English for the CLI (unchanged words), ids and arguments
// for the views, which translate the template; every template is in the l10n bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VERDICT_MESSAGES, msg, renderMessage, type MessageId } from '../../../src/core/verify/messages';
import { judge } from '../../../src/core/verify/policy/judge';
import { verdictReason, verdictReasonSaid, type Candidate } from '../../../src/core/agent/candidates';
import { formatMessage, l10n } from '../../../src/extension/l10n';
// @ts-expect-error: a plain .mjs script without types
import { extractBundle, tableTemplates } from '../../../scripts/l10n-extract.mjs';

test('each template numbers its placeholders 0…n-1, each once (msg() takes exactly n arguments)', () => {
  for (const [id, template] of Object.entries(VERDICT_MESSAGES)) {
    const found = [...template.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1]));
    assert.deepEqual(found, found.map((_, i) => i), `${id}: ${template}`);
  }
  // @ts-expect-error: regressedMany needs two arguments
  const tooFew = msg('regressedMany', 2);
  assert.equal(renderMessage(tooFew), '2 tests that passed before fail with this edit: {1}.', 'an unfilled placeholder stays visible');
});

test('a message renders in English by default, arguments that are messages included', () => {
  const m = msg('cannotJudge', msg('alreadyFailingNoResults', msg('exitCode', 1), msg('killedBySignal')));
  assert.equal(renderMessage(m), 'The tests ran but cannot judge this edit: the tests already fail without the change (exit 1, killed by a signal with it) and report no per-test results, so they cannot tell whether this edit breaks or fixes anything; make the suite pass first, or set qwq.tests.command to the test runner alone.');
});

test('the run comparison says its message through the table, in the same English words', () => {
  const j = judge({ baseline: { tests: [], exitCode: 1, reported: false }, candidate: { tests: [], exitCode: 1, reported: false } });
  assert.equal(j.said.id, 'alreadyFailingNoResults');
  assert.equal(renderMessage(j.said), j.message);
  assert.match(j.message, /^the tests already fail without the change \(exit 1, exit 1 with it\)/);
});

const ran = (verdict: 'regressed' | 'inconclusive', message: string, newlyFailing: string[] = []): Candidate => ({
  id: 'c1', round: 1, index: 0, blocks: [], changes: [], diff: '', targetsStillFailing: [],
  run: { verdict, message, baseline: { passed: 3, failed: 0 }, candidate: { passed: 2, failed: 1 }, newlyFailing, newlyPassing: [], flaky: [], runner: 'jest', durationMs: 1 },
} as unknown as Candidate);

test('the card sentence: English as before for the CLI, translated template by template in the extension', () => {
  const c = ran('regressed', 'x', ['a', 'b', 'c', 'd', 'e']);
  assert.equal(verdictReason(c), '5 tests that passed before fail with this edit: a, b, c and 2 more.');
  assert.deepEqual(verdictReasonSaid(c), msg('regressedMany', 5, msg('namesAndMore', 'a, b, c', 2)));
  const german: Record<string, string> = {
    [VERDICT_MESSAGES.regressedMany]: '{0} Tests, die vorher bestanden, schlagen mit dieser Änderung fehl: {1}.',
    [VERDICT_MESSAGES.namesAndMore]: '{0} und {1} weitere',
  };
  l10n.use((m, ...a) => formatMessage(german[m] ?? m, ...a));
  try {
    assert.equal(l10n.say(verdictReasonSaid(c)), '5 Tests, die vorher bestanden, schlagen mit dieser Änderung fehl: a, b, c und 2 weitere.');
  } finally {
    l10n.use(formatMessage);
  }
});

test('every template of the table is a key of the l10n bundle; a computed entry is refused', () => {
  const bundle = extractBundle() as Record<string, string>;
  for (const id of Object.keys(VERDICT_MESSAGES) as MessageId[]) assert.ok(bundle[VERDICT_MESSAGES[id]], id);
  assert.throws(() => tableTemplates('m.ts', 'export const VERDICT_MESSAGES = { a: `x ${y}` } as const;'), /m\.ts:1: a message table entry needs a literal template/);
});
