import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/util/lifecycle';
import { PanelStore } from '../../../src/extension/panelStore';

test('a listener that throws does not silence the ones after it; its error is reported', () => {
  const errors: unknown[] = [];
  const e = new Emitter<number>((err) => errors.push(err));
  const heard: string[] = [];
  e.event((n) => heard.push(`a${n}`));
  e.event(() => { throw new Error('boom'); });
  e.event((n) => heard.push(`c${n}`));
  e.fire(1);
  assert.deepEqual(heard, ['a1', 'c1']);
  assert.equal((errors[0] as Error).message, 'boom');
});

test('the panel store keeps batching to the webview when another batch listener throws', () => {
  const store = new PanelStore(10_000);
  const got: number[] = [];
  const original = console.error;
  console.error = () => {};
  try {
    store.onBatch(() => { throw new Error('a broken listener'); });
    store.onBatch((b) => got.push(b.length));
    store.dispatch({ type: 'task-started', taskId: 't', kind: 'explain', instruction: 'why', files: [] });
    store.dispatch({ type: 'task-finished', taskId: 't', outcome: 'no-edit', message: 'explained' });
  } finally {
    console.error = original;
  }
  assert.deepEqual(got, [2]);
  store.dispose();
});
