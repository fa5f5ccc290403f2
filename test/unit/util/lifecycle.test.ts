import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DisposableStore, MutableDisposable, Emitter, toDisposable } from '../../../src/core/util/lifecycle';

test('DisposableStore disposes in reverse order, once', () => {
  const order: number[] = [];
  const store = new DisposableStore();
  store.add(toDisposable(() => order.push(1)));
  store.add(toDisposable(() => order.push(2)));
  store.dispose();
  store.dispose();
  assert.deepEqual(order, [2, 1]);
  assert.equal(store.size, 0);
});

test('DisposableStore disposes items added after it was disposed', () => {
  const store = new DisposableStore();
  store.dispose();
  let disposed = false;
  store.add(toDisposable(() => { disposed = true; }));
  assert.equal(disposed, true);
});

test('MutableDisposable disposes the value it replaces', () => {
  const log: string[] = [];
  const m = new MutableDisposable();
  m.value = toDisposable(() => log.push('a'));
  m.value = toDisposable(() => log.push('b'));
  assert.deepEqual(log, ['a']);
  m.dispose();
  assert.deepEqual(log, ['a', 'b']);
});

test('Emitter delivers to listeners until they are disposed', () => {
  const e = new Emitter<number>();
  const got: number[] = [];
  const sub = e.event((n) => got.push(n));
  e.fire(1);
  sub.dispose();
  e.fire(2);
  assert.deepEqual(got, [1]);
  assert.equal(e.listenerCount, 0);
});
