// Cards that say it once: identical attempts fold into one card, the best comes first, the verdict is one plain
// sentence and its numbers agree with the card's; mentions complete from files and symbols.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentEvent } from '../../../src/core/agent/events';
import { emptyPanelState, reduceAll, type PanelEvent, type TaskView } from '../../../src/protocol/panelState';
import { mentionAt, removeMentionAt } from '../../../src/protocol/messages';
import { rankMentions } from '../../../src/extension/tasks/mentionRank';
import { candidateStatus, cardGroups, groupLabel, plainReason, taskSummary, warningLines } from '../../../src/webview/present';
import { msg, CORE_MESSAGES } from '../../../src/core/messages';

const DIFF = '--- a/src/cart.js\n+++ b/src/cart.js\n@@ -1 +1 @@\n-a\n+b\n';
const OTHER = '--- a/src/cart.js\n+++ b/src/cart.js\n@@ -1 +1 @@\n-a\n+c\n';
const start: PanelEvent = { type: 'task-started', taskId: 't1', kind: 'edit-selection', instruction: 'count quantities', files: ['src/cart.js'], maxRounds: 3, at: 1 };
const regressed = (id: string, round: number, diff = DIFF): AgentEvent => ({
  type: 'candidate', taskId: 't1',
  candidate: { id, round, diff, files: ['src/cart.js'], verdict: 'regressed', reason: 'regressed: 1 test that passed before fails with this edit: cart total', newlyFailing: ['cart total'] },
});
// Today's core message for a three-round regression, jargon and all.
const JARGON = 'no verified edit: 3 round(s) without a verified edit. The best attempt (1 of 3) is NOT verified: regressed: 1 test that passed before fails with this edit: cart total';
const bestOf = (id: string, round: number) => ({ id, round, diff: DIFF, files: ['src/cart.js'], verdict: 'regressed' as const, reason: 'x' });

function task(events: PanelEvent[]): TaskView {
  return reduceAll(emptyPanelState(), [start, ...events]).tasks[0];
}

test('a three-round regression that wrote the same edit each time shows one card: "attempts 1–3 wrote the same edit"', () => {
  const t = task([regressed('c1', 1), regressed('c2', 2), regressed('c3', 3), { type: 'task-finished', taskId: 't1', outcome: 'unverified', message: JARGON, best: bestOf('c1', 1) }]);
  const groups = cardGroups(t);
  assert.equal(groups.length, 1, 'one card, so one Reject and one "Apply unverified…"');
  assert.deepEqual(groups[0].rounds, [1, 2, 3]);
  assert.equal(groupLabel(groups[0], t.maxRounds), 'attempts 1–3 wrote the same edit');
  const st = candidateStatus(t, groups[0].lead);
  assert.equal(st.reject && st.applyUnverified, true);
});

test('the verdict is one sentence in plain words: no "round(s)", no "NOT verified: regressed:", no "not-fixed:"', () => {
  const t = task([regressed('c1', 1), regressed('c2', 2), regressed('c3', 3), { type: 'task-finished', taskId: 't1', outcome: 'unverified', message: JARGON, best: bestOf('c1', 1) }]);
  const summary = taskSummary(t)!;
  const reason = candidateStatus(t, cardGroups(t)[0].lead).reason!;
  for (const said of [summary, reason]) {
    assert.doesNotMatch(said, /round\(s\)|NOT verified|regressed:|not-fixed:|no verified edit:/, said);
  }
  assert.equal(summary, 'No attempt passed your tests: all 3 attempts wrote the same edit.');
  assert.equal(reason, '1 test that passed before fails with this edit: cart total.');
  assert.ok(!summary.includes(reason) && !reason.includes(summary), 'the summary and the card do not repeat each other');
  assert.equal(plainReason('not-fixed: the target test still fails'), 'The target test still fails.');
  assert.equal(plainReason('NOT verified: regressed: x broke'), 'X broke.');
});

test('the best attempt comes first, and the sentence above it names the same attempt as its card', () => {
  const t = task([
    regressed('c1', 1),
    { type: 'candidate', taskId: 't1', candidate: { id: 'c2', round: 2, diff: '', files: ['src/cart.js'], applyError: 'SEARCH block not found' } },
    regressed('c3', 3, OTHER),
    { type: 'task-finished', taskId: 't1', outcome: 'unverified', message: JARGON, best: bestOf('c1', 1) },
  ]);
  const groups = cardGroups(t);
  assert.deepEqual(groups.map((g) => g.lead.id), ['c1', 'c3', 'c2'], 'best (the agent\'s pick) first; never-applied last');
  const label = groupLabel(groups[0], t.maxRounds);
  assert.equal(label, 'attempt 1 of 3');
  assert.match(taskSummary(t)!, /attempt 1 of 3/, 'the sentence and the first card agree');
  assert.doesNotMatch(taskSummary(t)!, /attempt 3 of 3/);
});

test('a verified task: the verified attempt leads, earlier failed attempts follow', () => {
  const t = task([
    regressed('c1', 1, OTHER),
    { type: 'candidate', taskId: 't1', candidate: { id: 'c2', round: 2, diff: DIFF, files: ['src/cart.js'], verdict: 'verified', reason: 'Your tests pass.' } },
    { type: 'task-finished', taskId: 't1', outcome: 'verified', message: 'Verified (attempt 2 of 3). Your tests pass.', best: { id: 'c2', round: 2, diff: DIFF, files: ['src/cart.js'], verdict: 'verified' } },
  ]);
  assert.deepEqual(cardGroups(t).map((g) => g.lead.id), ['c2', 'c1']);
  assert.equal(taskSummary(t), undefined, 'the verified card says it; no sentence above repeats it');
});

test('a stop for another reason (time budget) says so once, in words', () => {
  const t = task([regressed('c1', 1), { type: 'task-finished', taskId: 't1', outcome: 'unverified', message: 'no verified edit: time budget of 1800 s spent. The best attempt (1 of 3) is NOT verified: regressed: x', stop: { kind: 'budget', why: msg('timeBudgetSpent', 1800) }, best: bestOf('c1', 1) }]);
  assert.match(taskSummary(t)!, /It stopped because: Time budget of 1800 s spent\./);
});

test('the summary reads the typed stop and says it through l10n; the closing message\'s English words decide nothing', async () => {
  const { l10n } = await import('../../../src/webview/l10n');
  // Words that used to be matched ("no candidate edit applied", "round(s)") in a message whose stop says otherwise.
  const misleading = 'no verified edit: 3 round(s) without a verified edit; no candidate edit applied';
  const budget = task([regressed('c1', 1), { type: 'task-finished', taskId: 't1', outcome: 'unverified', message: misleading, stop: { kind: 'budget', why: msg('timeBudgetSpent', 60) }, best: bestOf('c1', 1) }]);
  const none = task([{ type: 'task-finished', taskId: 't1', outcome: 'no-edit', message: 'no verified edit: time budget of 60 s spent', stop: { kind: 'budget', why: msg('timeBudgetSpent', 60), noneApplied: true } }]);
  const failed = task([{ type: 'task-finished', taskId: 't1', outcome: 'failed', message: 'the model failed: out of memory', said: msg('modelFailedWith', 'out of memory') }]);
  assert.match(taskSummary(budget)!, /It stopped because: Time budget of 60 s spent\.$/);
  assert.equal(taskSummary(none), 'No attempt wrote an edit that applies to your file.');
  l10n.config({ [CORE_MESSAGES.timeBudgetSpent]: 'Zeitbudget von {0} s aufgebraucht', [CORE_MESSAGES.modelFailedWith]: 'das Modell scheiterte: {0}', [CORE_MESSAGES.nothingToFix]: 'alle Tests bestehen schon' });
  try {
    assert.match(taskSummary(budget)!, /It stopped because: Zeitbudget von 60 s aufgebraucht\.$/);
    assert.equal(taskSummary(failed), 'Das Modell scheiterte: out of memory.');
    const fixed = task([{ type: 'task-finished', taskId: 't1', outcome: 'no-edit', message: 'all tests pass already: nothing to fix', said: msg('nothingToFix'), stop: { kind: 'nothing-to-fix', why: msg('nothingToFix') } }]);
    assert.equal(taskSummary(fixed), 'Alle Tests bestehen schon.');
  } finally {
    l10n.config({ '': '' });
  }
});

test('#file: and #symbol: at the caret open completion; choosing one removes the typed mention', () => {
  assert.deepEqual(mentionAt('fix #file:src/ca', 16), { kind: 'file', query: 'src/ca', start: 4 });
  assert.deepEqual(mentionAt('#symbol:tot', 11), { kind: 'symbol', query: 'tot', start: 0 });
  assert.equal(mentionAt('fix the #file: later', 20), undefined, 'only the word at the caret');
  assert.equal(mentionAt('a#file:x', 8), undefined, 'a mention starts a word');
  assert.deepEqual(removeMentionAt('fix #file:src/ca and more', 16), { text: 'fix and more', caret: 4 });
  assert.deepEqual(removeMentionAt('#symbol:tot', 11), { text: '', caret: 0 });
});

test('completions rank prefix, then file name, then substring, then subsequence matches', () => {
  const files = ['test/cart.test.js', 'src/cart.js', 'src/discount/cartesian.js', 'README.md', 'src/checkout.js'];
  assert.deepEqual(rankMentions(files, 'src/c', 10), ['src/cart.js', 'src/checkout.js', 'src/discount/cartesian.js']);
  assert.deepEqual(rankMentions(files, 'cart', 2), ['src/cart.js', 'test/cart.test.js']);
  assert.deepEqual(rankMentions(files, 'crtjs', 10), ['src/cart.js', 'test/cart.test.js', 'src/discount/cartesian.js']);
  assert.equal(rankMentions(files, '', 3).length, 3);
});

test('a task whose attempts never applied says so in words', () => {
  const t = task([
    { type: 'candidate', taskId: 't1', candidate: { id: 'c1', round: 1, diff: '', files: ['src/cart.js'], applyError: 'block 1: the SEARCH text was not found' } },
    { type: 'task-finished', taskId: 't1', outcome: 'no-edit', message: 'no verified edit: 1 round(s) without a verified edit; no candidate edit applied', stop: { kind: 'rounds', noneApplied: true } },
  ]);
  assert.equal(taskSummary(t), 'No attempt wrote an edit that applies to your file.');
  const fixed = task([{ type: 'task-finished', taskId: 't1', outcome: 'no-edit', message: 'all tests pass already: nothing to fix' }]);
  assert.equal(taskSummary(fixed), 'All tests pass already: nothing to fix.');
});

test('the agent\'s warnings are said through l10n, in order; an apply failure (its card says it) is not repeated', async () => {
  const { l10n } = await import('../../../src/webview/l10n');
  const t = task([
    { type: 'warning', taskId: 't1', message: 'the thought budget was reached; the model answered from its reasoning so far', said: msg('thoughtBudgetReached') },
    { type: 'apply-failed', taskId: 't1', round: 1, message: 'block 1: the SEARCH text was not found' },
    { type: 'warning', taskId: 't1', message: 'attempt 2 wrote the same edit as attempt 1; its result stands', said: msg('sameEditAsBefore', 2, 1) },
    { type: 'warning', taskId: 't1', message: 'words from elsewhere' },
  ]);
  assert.deepEqual(warningLines(t), ['the thought budget was reached; the model answered from its reasoning so far', 'attempt 2 wrote the same edit as attempt 1; its result stands', 'words from elsewhere']);
  l10n.config({ [CORE_MESSAGES.sameEditAsBefore]: 'Versuch {0} schrieb dieselbe Änderung wie Versuch {1}' });
  try {
    assert.equal(warningLines(t)[1], 'Versuch 2 schrieb dieselbe Änderung wie Versuch 1');
  } finally {
    l10n.config({ '': '' });
  }
  // A state saved before warningsSaid existed still shows its warnings, less the apply failures.
  assert.deepEqual(warningLines({ warnings: ['Round 1: the edit did not apply. x', 'w'] }), ['w']);
});
