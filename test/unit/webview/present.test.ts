// What the panel says and offers, as pure functions of the state: each contradiction a user saw is a test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentEvent } from '../../../src/core/agent/events';
import { emptyPanelState, findCandidate, reduceAll, reducePanel, type PanelEvent, type TaskView } from '../../../src/protocol/panelState';
import { parseMentions } from '../../../src/protocol/messages';
import {
  attemptLabel, candidateStatus, detailsLine, historyRow, linkify, matchesSearch, phaseLabel, taskTitle,
} from '../../../src/webview/present';

const DIFF = '--- a/src/cart.js\n+++ b/src/cart.js\n@@ -1 +1 @@\n-a\n+b\n';
const start = (extra: object = {}): PanelEvent => ({ type: 'task-started', taskId: 't1', kind: 'edit-selection', instruction: 'apply the discount as a percentage', files: ['src/cart.js'], maxRounds: 3, at: 1_000, ...extra });
const cand = (id: string, extra: object = {}): AgentEvent => ({ type: 'candidate', taskId: 't1', candidate: { id, round: 1, diff: DIFF, files: ['src/cart.js'], ...extra } });
const finish = (outcome: 'verified' | 'unverified' | 'failed' | 'cancelled' | 'no-edit' = 'unverified', extra: object = {}): PanelEvent => ({ type: 'task-finished', taskId: 't1', outcome, message: 'done', at: 9_000, ...extra });

function task(events: PanelEvent[]): TaskView {
  return reduceAll(emptyPanelState(), events).tasks[0];
}

test('a finished task never shows "verifying…": a candidate without a verdict is "not tested"', () => {
  const running = task([start(), cand('c1')]);
  assert.equal(candidateStatus(running, running.candidates[0]).badge, 'pending');
  const t = task([start(), cand('c1'), finish('cancelled')]);
  const st = candidateStatus(t, t.candidates[0]);
  assert.equal(st.badge, 'not-tested');
  assert.notEqual(st.label, 'verifying…');
  assert.match(st.reason!, /cancelled before this edit was tested/);
  assert.equal(st.accept, false);
});

test('a candidate that never applied says why and offers no Reject, no Accept, no Apply unverified', () => {
  const t = task([start(), cand('c1', { diff: '', files: ['src/cart.js'], applyError: 'SEARCH block not found in src/cart.js\nDid you mean …' }), finish('no-edit')]);
  const st = candidateStatus(t, t.candidates[0]);
  assert.equal(st.badge, 'not-applied');
  assert.deepEqual([st.accept, st.reject, st.applyUnverified, st.preview], [false, false, false, false]);
  assert.match(st.reason!, /never applied.*SEARCH block not found/);
});

test('every verdict has a label and a reason; only verified gets Accept; unverified ones get "Apply unverified…" once finished', () => {
  for (const verdict of ['verified', 'regressed', 'not-fixed', 'inconclusive', 'no-tests', 'error'] as const) {
    const events = [start(), cand('c1', { verdict, reason: `because ${verdict}` }), { type: 'verdict', taskId: 't1', candidateId: 'c1', verdict, summary: `because ${verdict}` } as PanelEvent];
    const during = task(events);
    const after = task([...events, finish(verdict === 'verified' ? 'verified' : 'unverified')]);
    const st = candidateStatus(after, after.candidates[0]);
    assert.equal(st.badge, verdict);
    assert.ok(st.label.length > 0 && st.label !== 'verifying…', verdict);
    assert.equal(st.reason, `Because ${verdict}.`, "the reason in plain words: a capital and a full stop");
    assert.equal(st.accept, verdict === 'verified', verdict);
    assert.equal(st.applyUnverified, verdict !== 'verified', verdict);
    assert.equal(candidateStatus(during, during.candidates[0]).applyUnverified, false, 'not while the task runs');
  }
});

test('the task summary cannot flip a card: a best summary that disagrees with the card leaves the card as it was', () => {
  const s = reduceAll(emptyPanelState(), [
    start(), cand('c1'),
    { type: 'verdict', taskId: 't1', candidateId: 'c1', verdict: 'not-fixed', summary: 'Nothing broke, but the new tests do not catch a mutation.' },
    finish('unverified', { best: { id: 'c1', round: 1, diff: DIFF, files: ['src/cart.js'], verdict: 'verified' } }),
  ]);
  const c = findCandidate(s, 't1', 'c1')!;
  assert.equal(c.verdict, 'not-fixed');
  assert.equal(candidateStatus(s.tasks[0], c).accept, false);
});

test('a later candidate summary keeps the user decision and takes the new reason', () => {
  const s = reduceAll(emptyPanelState(), [
    start(), cand('c1'),
    { type: 'candidate-resolved', taskId: 't1', candidateId: 'c1', resolution: 'rejected' },
    cand('c1', { verdict: 'regressed', reason: 'x fails' }),
  ]);
  const c = findCandidate(s, 't1', 'c1')!;
  assert.equal(c.resolution, 'rejected');
  assert.equal(c.verdictSummary, 'x fails');
});

test('live phase labels: baseline, thinking with a token count and clock, writing, verifying attempt N; none when finished', () => {
  const fix = task([start({ kind: 'fix-failing-tests' }), { type: 'phase', taskId: 't1', phase: 'context', round: 0, at: 1_000 }]);
  assert.equal(phaseLabel(fix, 13_400), 'running your tests (baseline) 12 s');
  const thoughts: PanelEvent[] = Array.from({ length: 1240 }, () => ({ type: 'thought', taskId: 't1', text: 'x' }));
  const thinking = task([start(), { type: 'phase', taskId: 't1', phase: 'plan', round: 1, at: 2_000 }, ...thoughts]);
  assert.equal(phaseLabel(thinking, 40_000), 'thinking 1,240 tokens · 38 s');
  const edit = task([start(), { type: 'phase', taskId: 't1', phase: 'edit', round: 1, at: 2_000 }]);
  assert.match(phaseLabel(edit, 3_000), /^writing the edit 1 s$/);
  const verify = task([start(), { type: 'phase', taskId: 't1', phase: 'verify', round: 2, at: 2_000 }]);
  assert.match(phaseLabel(verify, 2_000), /^verifying attempt 2/);
  assert.equal(phaseLabel(task([start(), finish()]), 5_000), '');
  // A phase event after the end (the agent's closing 'done') does not reopen the task.
  const done = task([start(), finish(), { type: 'phase', taskId: 't1', phase: 'verify', round: 1 }]);
  assert.equal(done.outcome, 'unverified');
});

test('words, not ids: titles from the instruction, "attempt 2 of 3", a details line in plain words', () => {
  assert.equal(taskTitle({ instruction: '  apply the   discount ', kind: 'edit-selection', files: [] }), 'apply the discount');
  assert.equal(taskTitle({ instruction: '', kind: 'fix-failing-tests', files: ['test/cart.test.js'] }), 'Fix failing tests: test/cart.test.js');
  assert.equal(attemptLabel(2, 3), 'attempt 2 of 3');
  const t = task([start(),
    { type: 'stats', taskId: 't1', stats: { promptTokens: 1345, completionTokens: 1240, reusedTokens: 1, tokensPerSecond: 12.34, timeToFirstTokenMs: 300 } },
    { type: 'budget', taskId: 't1', tokensUsed: 4698, tokenBudget: 120000, elapsedMs: 48_000, timeBudgetMs: 1_800_000 }]);
  const line = detailsLine(t);
  assert.match(line, /1,240 tokens at 12\.3 tokens\/s/);
  assert.match(line, /4,698 of 120,000 tokens used/);
  assert.doesNotMatch(line, /\d+\/\d+/, 'no raw ratios');
});

test('history rows: title, outcome, files; search matches every word; remove-task drops one finished task', () => {
  const s = reduceAll(emptyPanelState(), [start(), cand('c1'), finish('unverified'),
    { type: 'task-started', taskId: 't2', kind: 'fix-failing-tests', instruction: '', files: [] }]);
  const row = historyRow(s.tasks[0]);
  assert.equal(row.title, 'apply the discount as a percentage');
  assert.equal(row.outcome, 'not verified');
  assert.equal(row.files, 'src/cart.js');
  assert.equal(matchesSearch(row, 'discount cart'), true);
  assert.equal(matchesSearch(row, 'discount tax'), false);
  const removed = reducePanel(s, { type: 'remove-task', taskId: 't1' });
  assert.deepEqual(removed.tasks.map((t) => t.taskId), ['t2']);
  assert.equal(reducePanel(s, { type: 'remove-task', taskId: 't2' }).tasks.length, 2, 'a running task stays');
});

test('test output links: workspace-relative file:line(:col) become links; node: and absolute paths do not', () => {
  const parts = linkify('    at Object.<anonymous> (test/cart.test.js:17:10)\n    at node:internal/x.js:3:1\n/tmp/a.js:4 and src/cart.js:2');
  const links = parts.filter((p): p is { text: string; path: string; line: number } => 'path' in p);
  assert.deepEqual(links.map((l) => [l.path, l.line]), [['test/cart.test.js', 17], ['src/cart.js', 2]]);
  assert.equal(parts.map((p) => p.text).join(''), '    at Object.<anonymous> (test/cart.test.js:17:10)\n    at node:internal/x.js:3:1\n/tmp/a.js:4 and src/cart.js:2');
});

test('#file and #symbol mentions become pills', () => {
  assert.deepEqual(parseMentions('also handle #symbol:total negatives #file:src/tax.js'), {
    instruction: 'also handle negatives', pills: [{ kind: 'symbol', symbol: 'total' }, { kind: 'file', path: 'src/tax.js' }],
  });
  assert.deepEqual(parseMentions('issue #12 stays'), { instruction: 'issue #12 stays', pills: [] });
});

test('webview strings are localised with the bundle the extension passes (@vscode/l10n outside the extension host)', async () => {
  const { l10n } = await import('../../../src/webview/l10n');
  const { verdictLabel } = await import('../../../src/webview/present');
  l10n.config({ '✓ verified': '✓ verifiziert', 'attempt {0} of {1}': 'Versuch {0} von {1}' });
  try {
    assert.equal(verdictLabel('verified', 'edit-selection'), '✓ verifiziert');
    assert.equal(attemptLabel(2, 3), 'Versuch 2 von 3');
  } finally {
    l10n.config({ '': '' });
  }
  assert.equal(attemptLabel(2, 3), 'attempt 2 of 3');
});

test('a card\'s reason from the core\'s message table is translated by template; a later verdict without one shows its own words', async () => {
  const { l10n } = await import('../../../src/webview/l10n');
  const { VERDICT_MESSAGES, msg } = await import('../../../src/core/verify/messages');
  const said = msg('cannotJudge', msg('exitZeroBoth'));
  const t = task([start(), cand('c1', { verdict: 'inconclusive', reason: 'The tests ran but cannot judge this edit: …', reasonSaid: said }), finish()]);
  l10n.config({ [VERDICT_MESSAGES.cannotJudge]: 'Die Tests liefen, können diese Änderung aber nicht beurteilen: {0}.', [VERDICT_MESSAGES.exitZeroBoth]: 'Exit 0 vorher und nachher' });
  try {
    assert.equal(candidateStatus(t, t.candidates[0]).reason, 'Die Tests liefen, können diese Änderung aber nicht beurteilen: Exit 0 vorher und nachher.');
  } finally {
    l10n.config({ '': '' });
  }
  assert.equal(candidateStatus(t, t.candidates[0]).reason, 'The tests ran but cannot judge this edit: the test command exited 0 before and after the change but reports no per-test results, so nothing shows that a test ran or checked this edit; set qwq.tests.command to a runner that reports its tests.');
  const again = task([start(), cand('c1', { verdict: 'inconclusive', reason: 'x', reasonSaid: said }), { type: 'verdict', taskId: 't1', candidateId: 'c1', verdict: 'regressed', summary: 'a test fails now' }, finish()]);
  assert.equal(again.candidates[0].reasonSaid, undefined, 'the earlier message does not outlive its verdict');
  assert.equal(candidateStatus(again, again.candidates[0]).reason, 'A test fails now.');
});
