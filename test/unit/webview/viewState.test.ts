// The composer's own state, without a DOM: pills follow the editor and the person's removals, a chosen
// completion becomes a pill and leaves the text, and a completion that answers an older query is dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PanelSnapshot } from '../../../src/protocol';
import { applyMentions, chooseMention, composerPills, emptyViewState, pillKey, removePill } from '../../../src/webview/viewState';

const snapshot = { model: { kind: 'ready', model: 'm.gguf' }, trusted: true, version: '0', editor: { file: 'src/cart.js', selection: { startLine: 3, endLine: 9 } } } as PanelSnapshot;

test('the editor\'s file and selection are pills; a removed one stays removed; a mentioned one is removed for good', () => {
  const v = emptyViewState();
  assert.deepEqual(composerPills(snapshot, v).map(pillKey), ['file:src/cart.js', 'selection:src/cart.js:3-9']);
  removePill(v, { kind: 'selection', path: 'src/cart.js', startLine: 3, endLine: 9 });
  assert.deepEqual(composerPills(snapshot, v).map(pillKey), ['file:src/cart.js']);
  v.extraPills = [{ kind: 'symbol', symbol: 'total' }];
  removePill(v, { kind: 'symbol', symbol: 'total' });
  assert.deepEqual(v.extraPills, []);
  assert.deepEqual(v.removedPills, ['selection:src/cart.js:3-9'], 'a mentioned pill is not remembered as removed');
});

test('a chosen completion becomes a pill, its #file: text leaves the draft, and the caret lands where it was', () => {
  const v = emptyViewState();
  v.draft = 'use the helper from #file:dis please';
  v.mention = { kind: 'file', query: 'dis', requestId: 'r1', items: [{ value: 'src/discount.js' }], active: 0 };
  const caret = chooseMention(v, { value: 'src/discount.js' }, 'use the helper from #file:dis'.length);
  assert.equal(v.draft.slice(0, caret).trimEnd(), 'use the helper from', 'the caret is where the mention was');
  assert.match(v.draft, /^use the helper from\s+please$/);
  assert.deepEqual(v.extraPills, [{ kind: 'file', path: 'src/discount.js' }]);
  assert.equal(v.mention, undefined);
  // The same file again adds no second pill.
  v.draft = '#file:dis';
  v.mention = { kind: 'file', query: 'dis', requestId: 'r2', items: [], active: 0 };
  chooseMention(v, { value: 'src/discount.js' }, v.draft.length);
  assert.equal(v.extraPills.length, 1);
});

test('completions that answer an older query are dropped', () => {
  const v = emptyViewState();
  v.mention = { kind: 'symbol', query: 'tot', requestId: 'r2', items: [], active: 0 };
  assert.equal(applyMentions(v, 'r1', [{ value: 'total' }]), false);
  assert.deepEqual(v.mention.items, []);
  assert.equal(applyMentions(v, 'r2', [{ value: 'total' }]), true);
  assert.deepEqual(v.mention?.items, [{ value: 'total' }]);
});
