// The panel as a conversation: a new task waits for the running one (queued, cancellable), follow-ups are turns
// of one thread with history, History lists threads with distinct titles, and typed text survives a refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyPanelState, reduceAll, threadTasks, type PanelEvent, type TaskView } from '../../../src/protocol/panelState';
import { TaskQueue } from '../../../src/extension/tasks/taskQueue';
import { threadHistory } from '../../../src/extension/tasks/threadHistory';
import { noVerifiedEditNotice } from '../../../src/extension/tasks/notices';
import { followUpTarget, historyRows, supersededTurns, threads } from '../../../src/webview/present';
import { applySubmitResult, emptyViewState } from '../../../src/webview/viewState';

const DIFF = '--- a/src/cart.js\n+++ b/src/cart.js\n@@ -1 +1 @@\n-a\n+b\n';
const started = (taskId: string, instruction: string, at: number, kind = 'edit-selection'): PanelEvent => ({ type: 'task-started', taskId, kind, instruction, files: ['src/cart.js'], maxRounds: 3, at });
const finished = (taskId: string, outcome: 'verified' | 'no-edit' = 'verified', extra: object = {}): PanelEvent => ({ type: 'task-finished', taskId, outcome, message: 'done', at: 1, ...extra });
const verified = (taskId: string, id: string): PanelEvent => ({ type: 'candidate', taskId, candidate: { id, round: 1, diff: DIFF, files: ['src/cart.js'], verdict: 'verified', reason: 'Your tests pass.' } });

test('a second task waits in the queue; the running one is never cancelled, and the next starts when it ends', async () => {
  const q = new TaskQueue();
  const order: string[] = [];
  assert.equal(await q.turn('a'), true);
  assert.equal(q.busy, true);
  const b = q.turn('b').then((go) => { order.push(`b:${go}`); });
  const c = q.turn('c').then((go) => { order.push(`c:${go}`); });
  assert.deepEqual(q.pending, ['b', 'c']);
  assert.equal(q.running, 'a', 'the running task keeps running');
  assert.equal(q.cancel('c'), true, 'a queued task can be cancelled');
  assert.equal(q.cancel('a'), false, 'the running one is not cancelled by the queue');
  await c;
  assert.deepEqual(order, ['c:false']);
  q.release('a');
  await b;
  assert.deepEqual(order, ['c:false', 'b:true']);
  assert.equal(q.running, 'b');
  q.release('b');
  assert.equal(q.busy, false);
});

test('the panel shows a queued task until it starts or is cancelled; it starts in its thread', () => {
  let s = reduceAll(emptyPanelState(), [started('t1', 'fix the discount', 10), { type: 'task-queued', taskId: 't2', kind: 'generate-tests', title: 'Generate tests', files: [] }]);
  assert.deepEqual(s.queue?.map((q) => q.taskId), ['t2']);
  assert.equal(s.tasks[0].outcome, 'running', 'the first task still runs');
  s = reduceAll(s, [finished('t1'), started('t2', 'Generate tests', 20, 'generate-tests')]);
  assert.deepEqual(s.queue, []);
  s = reduceAll(s, [{ type: 'task-queued', taskId: 't3', kind: 'edit-selection', title: 'again', files: [], threadId: 't1' }, { type: 'queue-removed', taskId: 't3' }]);
  assert.deepEqual(s.queue, []);
  s = reduceAll(s, [{ type: 'task-queued', taskId: 't4', kind: 'edit-selection', title: 'refine', files: [], threadId: 't1' }, started('t4', 'refine', 30)]);
  assert.equal(s.tasks.find((t) => t.taskId === 't4')!.threadId, 't1', 'a queued follow-up keeps its thread');
});

test('follow-ups are turns of one thread, oldest first; History lists threads, not turns', () => {
  const s = reduceAll(emptyPanelState(), [
    started('t1', 'apply the discount', 10), verified('t1', 'c1'), finished('t1'),
    started('t2', 'also handle negative amounts', 20), { type: 'task-meta', taskId: 't2', parentTaskId: 't1', threadId: 't1', title: 'also handle negative amounts' }, finished('t2', 'no-edit'),
    started('t3', 'explain total', 30, 'explain'), finished('t3', 'no-edit', { explanation: 'It sums.' }),
    started('t4', 'and the tax?', 40, 'explain'), { type: 'task-meta', taskId: 't4', parentTaskId: 't3', threadId: 't3', title: 'and the tax?' }, finished('t4', 'no-edit', { explanation: 'No tax.' }),
  ]);
  const list = threads(s);
  assert.deepEqual(list.map((th) => [th.id, th.turns.map((t) => t.taskId)]), [['t3', ['t3', 't4']], ['t1', ['t1', 't2']]]);
  assert.deepEqual(threadTasks(s, 't1').map((t) => t.taskId), ['t1', 't2']);
  const rows = historyRows(list);
  assert.deepEqual(rows.map((r) => [r.taskId, r.title, r.turns]), [['t3', 'explain total', 2], ['t1', 'apply the discount', 2]]);
  // Removing a thread's row removes all its turns.
  const after = reduceAll(s, [{ type: 'remove-task', taskId: 't1' }]);
  assert.deepEqual(after.tasks.map((t) => t.taskId), ['t3', 't4']);
});

test('two threads with the same words get distinct titles in History', () => {
  const s = reduceAll(emptyPanelState(), [started('t1', 'Edit', 10), finished('t1'), started('t2', 'Edit', 20), finished('t2'), started('t3', 'Edit', 30), finished('t3')]);
  assert.deepEqual(historyRows(threads(s)).map((r) => r.title), ['Edit (3)', 'Edit (2)', 'Edit']);
});

function oneTurn(events: PanelEvent[]): TaskView {
  return reduceAll(emptyPanelState(), [started('t1', 'apply the discount', 10), { type: 'thought', taskId: 't1', text: 'SECRET THINKING' }, { type: 'plan', taskId: 't1', text: 'Divide by 100 in total.' }, ...events]).tasks[0];
}

test('a thread\'s history for the model: the request, the final plan and what became of the edit; never the thinking', () => {
  const pending = oneTurn([verified('t1', 'c1'), finished('t1', 'verified', { best: { id: 'c1', round: 1, diff: DIFF, files: ['src/cart.js'], verdict: 'verified' } })]);
  const [turn] = threadHistory([pending], 'c1');
  assert.equal(turn.request, 'apply the discount');
  assert.match(turn.answer, /Divide by 100 in total\./);
  assert.match(turn.answer, /applied to the files you see now/);
  assert.doesNotMatch(turn.answer, /SECRET THINKING/);
  const accepted = oneTurn([verified('t1', 'c1'), finished('t1'), { type: 'candidate-resolved', taskId: 't1', candidateId: 'c1', resolution: 'accepted' }]);
  assert.match(threadHistory([accepted])[0].answer, /accepted this edit: it is in the files now/);
  const undone = oneTurn([verified('t1', 'c1'), finished('t1'), { type: 'candidate-resolved', taskId: 't1', candidateId: 'c1', resolution: 'undone' }]);
  assert.match(threadHistory([undone])[0].answer, /undid it: the files are as they were before it/);
  const explained = reduceAll(emptyPanelState(), [started('t9', 'explain', 1, 'explain'), { type: 'thought', taskId: 't9', text: 'SECRET' }, finished('t9', 'no-edit', { explanation: 'It sums.' })]).tasks[0];
  assert.deepEqual(threadHistory([explained]), [{ request: 'explain', answer: 'It sums.' }]);
});

test('a thread whose edit was accepted or undone can still continue, from the current file (no refinement refused)', () => {
  const pending = oneTurn([verified('t1', 'c1'), finished('t1')]);
  assert.deepEqual(followUpTarget(pending), { candidateId: 'c1', placeholder: 'Refine this edit…' });
  const accepted = oneTurn([verified('t1', 'c1'), finished('t1'), { type: 'candidate-resolved', taskId: 't1', candidateId: 'c1', resolution: 'accepted' }]);
  assert.equal(followUpTarget(accepted).candidateId, undefined, 'an accepted edit continues from the file, not from the candidate');
  const undone = oneTurn([verified('t1', 'c1'), finished('t1'), { type: 'candidate-resolved', taskId: 't1', candidateId: 'c1', resolution: 'undone' }]);
  assert.equal(followUpTarget(undone).candidateId, undefined);
  assert.doesNotMatch(followUpTarget(undone).placeholder, /Refine this edit/, 'no "Refine this edit" on an undone edit');
});

test('text typed in the composer survives a refusal; it is cleared only once the task started', () => {
  const v = emptyViewState();
  v.draft = 'rename total to grandTotal';
  v.extraPills = [{ kind: 'file', path: 'src/util.js' }];
  v.pending = { r1: { where: 'composer', text: v.draft } };
  applySubmitResult(v, 'r1', false);
  assert.equal(v.draft, 'rename total to grandTotal', 'refused: the text stays');
  assert.equal(v.extraPills.length, 1);
  v.pending = { r2: { where: 'composer', text: v.draft } };
  applySubmitResult(v, 'r2', true);
  assert.equal(v.draft, '');
  assert.deepEqual(v.extraPills, []);
  // A follow-up's text, by thread.
  v.followUps.t1 = 'also negative amounts';
  v.pending = { r3: { where: 't1', text: 'also negative amounts' } };
  applySubmitResult(v, 'r3', false);
  assert.equal(v.followUps.t1, 'also negative amounts');
  v.pending = { r4: { where: 't1', text: 'also negative amounts' } };
  applySubmitResult(v, 'r4', true);
  assert.equal(v.followUps.t1, '');
});

test('the notice for a task without a verified edit is plain words, not the core\'s summary', () => {
  const jargon = 'no verified edit: 3 round(s) without a verified edit. The best attempt (1 of 3) is NOT verified: regressed: 1 test fails';
  const notices = [
    noVerifiedEditNotice({ outcome: 'unverified', message: jargon }),
    noVerifiedEditNotice({ outcome: 'no-edit', message: 'no verified edit: 1 round(s) without a verified edit; no candidate edit applied' }),
    noVerifiedEditNotice({ outcome: 'no-edit', message: 'all tests pass already: nothing to fix' }),
  ];
  for (const n of notices) assert.doesNotMatch(n, /round\(s\)|NOT verified|regressed:|not-fixed:/, n);
  assert.deepEqual(notices, [
    'QwQ found no edit that passes your tests. The closest attempt is in the panel, not verified.',
    'QwQ found no edit: none of its attempts applied to your files.',
    'QwQ made no edit: All tests pass already: nothing to fix.',
  ]);
});

test('once a later turn\'s edit was accepted, earlier pending versions are superseded (no Accept over it)', () => {
  const s = reduceAll(emptyPanelState(), [
    started('t1', 'apply the discount', 10), verified('t1', 'c1'), finished('t1'),
    started('t2', 'also clamp', 20), { type: 'task-meta', taskId: 't2', threadId: 't1', parentTaskId: 't1' }, verified('t2', 'c2'), finished('t2'),
    started('t3', 'and rename', 30), { type: 'task-meta', taskId: 't3', threadId: 't1', parentTaskId: 't2' }, verified('t3', 'c3'), finished('t3'),
  ]);
  assert.deepEqual([...supersededTurns(threadTasks(s, 't1'))], [], 'nothing accepted yet: every version may be accepted');
  const accepted = reduceAll(s, [{ type: 'candidate-resolved', taskId: 't2', candidateId: 'c2', resolution: 'accepted' }]);
  assert.deepEqual([...supersededTurns(threadTasks(accepted, 't1'))].sort(), ['t1'], 'turn 1 is superseded by the accepted turn 2; turn 3 builds on it');
});
