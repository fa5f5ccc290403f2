import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBlocksToText, type ParsedEditBlock } from '../../../src/core/edits';

const blk = (search: string, replace: string, extra: Partial<ParsedEditBlock> = {}): ParsedEditBlock => ({ search, replace, ...extra });

function ok(before: string | undefined, blocks: ParsedEditBlock[]): { text: string; levels: string[] } {
  const r = applyBlocksToText(before, blocks);
  if (!r.ok) assert.fail(r.failures.map((f) => f.message).join('\n'));
  return r;
}

test('exact match replaces the lines', () => {
  const r = ok('a\nb\nc\n', [blk('b\n', 'B\n')]);
  assert.equal(r.text, 'a\nB\nc\n');
  assert.deepEqual(r.levels, ['exact']);
});

test('indentation-insensitive match re-indents the replacement', () => {
  const file = 'class A:\n    def f(self):\n        return 1\n';
  const r = ok(file, [blk('def f(self):\n    return 1\n', 'def f(self):\n    x = 2\n    return x\n')]);
  assert.equal(r.text, 'class A:\n    def f(self):\n        x = 2\n        return x\n');
  assert.deepEqual(r.levels, ['indentation']);
});

test('trailing whitespace, CR and blank edge lines are tolerated at the last level', () => {
  const r = ok('x = 1   \ny = 2\n', [blk('\nx = 1\ny = 2\t\n\n', 'x = 10\ny = 2\n')]);
  assert.equal(r.text, 'x = 10\ny = 2\n');
  assert.deepEqual(r.levels, ['whitespace']);
});

test('CRLF files stay CRLF, including new lines', () => {
  const r = ok('one\r\ntwo\r\nthree\r\n', [blk('two\n', 'two\ntwo and a half\n')]);
  assert.equal(r.text, 'one\r\ntwo\r\ntwo and a half\r\nthree\r\n');
});

test('a missing final newline stays missing; a present one stays present', () => {
  assert.equal(ok('a\nb', [blk('b\n', 'c\n')]).text, 'a\nc');
  assert.equal(ok('a\nb\n', [blk('b\n', 'c\n')]).text, 'a\nc\n');
  assert.equal(ok('a\r\nb', [blk('b\n', 'c\nd\n')]).text, 'a\r\nc\r\nd');
  assert.equal(ok('a\nb', [blk('b\n', '')]).text, 'a');
});

test('blocks may come in any order, including one that depends on another', () => {
  const file = 'one\ntwo\nthree\n';
  const r = ok(file, [blk('THREE\n', '3\n'), blk('three\n', 'THREE\n'), blk('one\n', '1\n')]);
  assert.equal(r.text, '1\ntwo\n3\n');
});

test('an ambiguous match is an error naming the lines', () => {
  const r = applyBlocksToText('x\ny\nx\n', [blk('x\n', 'z\n')]);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.failures[0].reason, 'ambiguous');
  assert.match(r.failures[0].message, /matches 2 places \(lines 1, 3\)/);
});

test('a line hint (diff hunks) picks the nearest of equal matches', () => {
  const r = ok('x\ny\nx\n', [blk('x\n', 'z\n', { lineHint: 3 })]);
  assert.equal(r.text, 'x\ny\nz\n');
});

test('hallucinated SEARCH text: not found, with the closest lines', () => {
  const file = 'function add(a, b) {\n  return a - b;\n}\n\nfunction mul(a, b) {\n  return a * b;\n}\n';
  const r = applyBlocksToText(file, [blk('function add(x, y) {\n  return x - y;\n}\n', 'function add(x, y) {\n  return x + y;\n}\n')], { path: 'calc.js' });
  assert.equal(r.ok, false);
  if (r.ok) return;
  const f = r.failures[0];
  assert.equal(f.reason, 'not-found');
  assert.match(f.message, /block 1 in calc\.js: the SEARCH text was not found\. Did you mean these lines \(1-3\)\?\nfunction add\(a, b\) \{\n  return a - b;\n\}/);
});

test('an edit that is already applied is reported as such', () => {
  const r = applyBlocksToText('a\nB\nc\n', [blk('b\n', 'B\n')]);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.failures[0].reason, 'already-applied');
  assert.match(r.failures[0].message, /already/);
});

test('empty SEARCH creates a file; it is refused on an existing non-empty file but fine on an empty one', () => {
  assert.equal(ok(undefined, [blk('', 'hello\n')]).text, 'hello\n');
  assert.equal(ok('', [blk('', 'hello\n')]).text, 'hello\n');
  const r = applyBlocksToText('content\n', [blk('', 'hello\n')]);
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.failures[0].reason, 'create-on-existing');
});

test('non-empty SEARCH on a missing file is not-found', () => {
  const r = applyBlocksToText(undefined, [blk('x\n', 'y\n')]);
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.failures[0].message, /does not exist/);
});

test('all or nothing: one failing block fails the whole set', () => {
  const r = applyBlocksToText('a\nb\n', [blk('a\n', 'A\n'), blk('zzz\n', 'y\n')]);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.failures.length, 1);
    assert.equal(r.failures[0].blockIndex, 1);
  }
});
