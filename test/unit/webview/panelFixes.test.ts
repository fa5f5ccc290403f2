// Two things the panel got wrong: a partly accepted card offered "Open Diff" (its review is over, so the button
// could only say "no longer under review"), and a queued follow-up of a thread not on screen showed among the
// new tasks under "Waiting", with nothing to say which conversation it continues.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyPanelState, reduceAll, type PanelEvent, type Resolution } from '../../../src/protocol/panelState';
import { candidateStatus, threads, waitingGroups } from '../../../src/webview/present';

const DIFF = '--- a/src/cart.js\n+++ b/src/cart.js\n@@ -1,3 +1,3 @@\n-a\n+b\n x\n-c\n+d\n';
const APPLIED = '--- a/src/cart.js\n+++ b/src/cart.js\n@@ -1 +1 @@\n-a\n+b\n';
const verifiedTask = (taskId: string, at: number, files = ['src/cart.js']): PanelEvent[] => [
  { type: 'task-started', taskId, kind: 'edit-selection', instruction: `edit ${taskId}`, files, maxRounds: 3, at },
  { type: 'candidate', taskId, candidate: { id: `${taskId}-c1`, round: 1, diff: DIFF, files, verdict: 'verified', reason: 'Your tests pass.' } },
  { type: 'task-finished', taskId, outcome: 'verified', message: 'Verified.', at: at + 1 },
];

test('"Open Diff" is offered per file while the edit is under review, and on no resolved card (partial included)', () => {
  const pending = reduceAll(emptyPanelState(), verifiedTask('t1', 1, ['src/cart.js', 'src/tax.js'])).tasks[0];
  assert.deepEqual(candidateStatus(pending, pending.candidates[0]).openDiff, ['src/cart.js', 'src/tax.js']);
  for (const resolution of ['partial', 'accepted', 'rejected', 'applied-unverified', 'undone', 'stale'] as Resolution[]) {
    const t = reduceAll(emptyPanelState(), [...verifiedTask('t1', 1), {
      type: 'candidate-resolved', taskId: 't1', candidateId: 't1-c1', resolution,
      ...(resolution === 'partial' ? { diff: APPLIED, files: ['src/cart.js'] } : {}),
    }]).tasks[0];
    const st = candidateStatus(t, t.candidates[0]);
    assert.deepEqual(st.openDiff, [], `${resolution}: the review is over, so there is no diff to open`);
    assert.equal(st.preview, false, resolution);
    if (resolution === 'partial') assert.equal(t.candidates[0].diff, APPLIED, 'the card\'s own Diff shows what was applied');
  }
});

test('an edit that never applied offers no "Open Diff"', () => {
  const t = reduceAll(emptyPanelState(), [
    { type: 'task-started', taskId: 't1', kind: 'edit-selection', instruction: 'x', files: ['src/cart.js'], at: 1 },
    { type: 'candidate', taskId: 't1', candidate: { id: 'c1', round: 1, diff: '', files: ['src/cart.js'], applyError: 'SEARCH block not found' } },
  ]).tasks[0];
  assert.deepEqual(candidateStatus(t, t.candidates[0]).openDiff, []);
});

/** Thread A (two turns) is in History; B runs and is on screen; A's follow-up and a new task wait. */
function queuedState() {
  return reduceAll(emptyPanelState(), [
    ...verifiedTask('a1', 10),
    ...verifiedTask('a2', 20),
    { type: 'task-meta', taskId: 'a2', parentTaskId: 'a1', threadId: 'a1', title: 'and keep the name' },
    { type: 'task-started', taskId: 'b1', kind: 'edit-selection', instruction: 'edit b1', files: ['src/cart.js'], at: 30 },
    { type: 'task-queued', taskId: 'q-new', kind: 'generate-tests', title: 'Generate tests for total', files: ['src/cart.js'] },
    { type: 'task-queued', taskId: 'q-a', kind: 'edit-selection', title: 'also round the total', files: ['src/cart.js'], threadId: 'a1' },
    { type: 'task-queued', taskId: 'q-a2', kind: 'edit-selection', title: 'and document it', files: ['src/cart.js'], threadId: 'a1' },
  ]);
}

test('a queued follow-up of a thread not on screen is listed under its thread\'s title, in queue order; a new task stands alone', () => {
  const state = queuedState();
  const all = threads(state);
  assert.deepEqual(all.map((th) => th.id), ['b1', 'a1'], 'B, running, is newest; A is in History');
  const groups = waitingGroups(all, all[0], state.queue ?? []);
  assert.deepEqual(groups.map((g) => ({ thread: g.thread, queued: g.queued.map((q) => q.taskId) })), [
    { thread: undefined, queued: ['q-new'] },
    { thread: { id: 'a1', title: 'edit a1' }, queued: ['q-a', 'q-a2'] },
  ]);
});

test('with its thread on screen, the follow-up shows in the thread and not under "Waiting"', () => {
  const state = queuedState();
  const all = threads(state);
  const a = all.find((th) => th.id === 'a1')!;
  assert.deepEqual(a.queued.map((q) => q.taskId), ['q-a', 'q-a2'], 'the thread lists its own queued turns');
  const groups = waitingGroups(all, a, state.queue ?? []);
  assert.deepEqual(groups.map((g) => g.queued.map((q) => q.taskId)), [['q-new']]);
});

test('a follow-up whose thread left the history waits alone (nothing to open)', () => {
  const state = reduceAll(queuedState(), [{ type: 'remove-task', taskId: 'a1' }]);
  const all = threads(state);
  const groups = waitingGroups(all, all[0], state.queue ?? []);
  assert.deepEqual(groups.map((g) => [g.thread?.id, g.queued.map((q) => q.taskId)]), [[undefined, ['q-new']], [undefined, ['q-a']], [undefined, ['q-a2']]]);
});
