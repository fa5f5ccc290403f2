// A collector whose parser loads on demand (results/lazyCollector.ts): lines that arrive before the load are read in
// order, results() never answers without the parser, and a parser that cannot load is an error, never "no tests".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lazyCollector } from '../../../src/core/verify/results/lazyCollector';
import { tapCollector } from '../../../src/core/verify';
import type { ResultCollector } from '../../../src/core/verify/results/types';

/** A collector that records its lines as passing tests, loaded when `release` is called. */
function gated(): { load: () => Promise<ResultCollector>; release: () => void; fail: (e: Error) => void } {
  let release!: () => void;
  let fail!: (e: Error) => void;
  const gate = new Promise<void>((ok, no) => { release = ok; fail = no; });
  const lines: string[] = [];
  const inner: ResultCollector = { line: (l) => { lines.push(l); }, results: () => lines.map((id) => ({ id, status: 'passed' as const })), reported: () => lines.length > 0 };
  return { load: async () => { await gate; return inner; }, release, fail };
}

test('lazyCollector: lines before and after the load reach the parser in order; results() waits for ready()', async () => {
  const g = gated();
  const c = lazyCollector('test parser', g.load);
  c.line('a');
  c.line('b');
  assert.throws(() => c.results(), /test parser has not loaded yet/);
  assert.equal(c.reported!(), false);
  g.release();
  await c.ready();
  c.line('c');
  assert.deepEqual(c.results().map((t) => t.id), ['a', 'b', 'c']);
  assert.equal(c.reported!(), true);
});

test('lazyCollector: a parser that cannot load rejects ready() and results() with its name, not an empty result', async () => {
  const g = gated();
  const c = lazyCollector('TAP parser (tap-parser)', g.load);
  c.line('ok 1 - a');
  g.fail(new Error("Cannot find module 'tap-parser'"));
  await assert.rejects(c.ready(), /cannot load the TAP parser \(tap-parser\): Cannot find module 'tap-parser'/);
  assert.throws(() => c.results(), /cannot load the TAP parser/);
});

test('lazyCollector: a failed load nobody awaited leaves no unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const on = (e: unknown): void => { unhandled.push(e); };
  process.on('unhandledRejection', on);
  try {
    const g = gated();
    lazyCollector('parser', g.load);
    g.fail(new Error('gone'));
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    process.off('unhandledRejection', on);
  }
  assert.deepEqual(unhandled, []);
});

test('tapCollector: reads a stream fed before tap-parser loaded, once ready', async () => {
  const c = tapCollector();
  for (const l of ['TAP version 13', 'ok 1 - first', 'not ok 2 - second', '1..2']) c.line(l);
  await c.ready();
  assert.deepEqual(c.results().map((t) => [t.id, t.status]), [['first', 'passed'], ['second', 'failed']]);
});
