import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelStore } from '../../../src/extension/panelStore';
import type { PanelEvent } from '../../../src/protocol/panelState';

test('streamed events are batched; task-finished flushes at once', () => {
  const store = new PanelStore(10_000);
  const batches: PanelEvent[][] = [];
  store.onBatch((b) => batches.push(b));
  store.dispatch({ type: 'task-started', taskId: 't', kind: 'explain', instruction: 'why', files: [] });
  store.dispatch({ type: 'thought', taskId: 't', text: 'a' });
  store.dispatch({ type: 'thought', taskId: 't', text: 'b' });
  assert.equal(batches.length, 0, 'nothing is sent before the batch is due');
  assert.deepEqual(store.state.tasks[0].thoughts, ['ab'], 'the authoritative state is current at once');
  store.dispatch({ type: 'task-finished', taskId: 't', outcome: 'no-edit', message: 'explained' });
  assert.equal(batches.length, 1);
  assert.deepEqual(batches[0].map((e) => e.type), ['task-started', 'thought', 'thought', 'task-finished']);
  store.dispose();
});

test('flush with nothing pending sends nothing; dispose stops the timer', () => {
  const store = new PanelStore(5);
  let n = 0;
  store.onBatch(() => n++);
  store.flush();
  store.dispatch({ type: 'clear-history' });
  assert.equal(n, 1);
  store.dispatch({ type: 'thought', taskId: 'x', text: 'y' });
  store.dispose();
  assert.equal(n, 1);
});

test('the store stamps start, phase and finish times (the reducer has no clock)', () => {
  let now = 5_000;
  const store = new PanelStore(10_000, () => now);
  store.dispatch({ type: 'task-started', taskId: 't', kind: 'edit-selection', instruction: 'x', files: [] });
  now = 7_000;
  store.dispatch({ type: 'phase', taskId: 't', phase: 'plan', round: 1 });
  now = 9_000;
  store.dispatch({ type: 'task-finished', taskId: 't', outcome: 'no-edit', message: 'm' });
  const t = store.state.tasks[0];
  assert.deepEqual([t.startedAt, t.phaseSince, t.finishedAt], [5_000, 7_000, 9_000]);
  store.dispose();
});
