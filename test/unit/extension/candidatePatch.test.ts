import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTwoFilesPatch } from 'diff';
import { applyFilePatch, isUnchanged, minimalReplacement, splitPatchByFile } from '../../../src/extension/review/candidatePatch';

const before = 'export function add(a, b) {\n  return a - b;\n}\n';
const after = 'export function add(a, b) {\n  return a + b;\n}\n';

test('a multi-file diff splits by file, with created files marked', () => {
  const diff = createTwoFilesPatch('a/src/math.js', 'b/src/math.js', before, after) + createTwoFilesPatch('/dev/null', 'b/test/new.test.js', '', 'ok\n');
  const files = splitPatchByFile(diff);
  assert.deepEqual(files.map((f) => [f.path, f.created, f.deleted]), [['src/math.js', false, false], ['test/new.test.js', true, false]]);
  assert.equal(applyFilePatch(before, files[0]), after);
  assert.equal(applyFilePatch('', files[1]), 'ok\n');
});

test('a patch that no longer applies gives undefined, never a loose result', () => {
  const [fp] = splitPatchByFile(createTwoFilesPatch('a/m.js', 'b/m.js', before, after));
  assert.equal(applyFilePatch('something else entirely\n', fp), undefined);
});

test('an empty diff has no files', () => {
  assert.deepEqual(splitPatchByFile(''), []);
});

test('minimalReplacement keeps the common prefix and suffix', () => {
  const r = minimalReplacement(before, after);
  assert.equal(before.slice(0, r.start) + r.text + before.slice(r.end), after);
  assert.equal(r.text, '+');
  const same = minimalReplacement('abc', 'abc');
  assert.equal(same.text, '');
  assert.equal(same.start, same.end);
  const grow = minimalReplacement('ab', 'abab');
  assert.equal('ab'.slice(0, grow.start) + grow.text + 'ab'.slice(grow.end), 'abab');
});

test('minimalReplacement does not split a CRLF', () => {
  const b = 'a\r\nb';
  const a = 'a\nb';
  const r = minimalReplacement(b, a);
  assert.equal(b.slice(0, r.start) + r.text + b.slice(r.end), a);
  assert.ok(r.start <= 1);
});

test('isUnchanged compares open documents by version, disk reads by text', () => {
  assert.equal(isUnchanged({ text: 'x', version: 3 }, { text: 'x', version: 3 }), true);
  assert.equal(isUnchanged({ text: 'x', version: 3 }, { text: 'x', version: 5 }), false, 'an edit that was undone still counts');
  assert.equal(isUnchanged({ text: 'x' }, { text: 'x', version: 9 }), true);
  assert.equal(isUnchanged({ text: 'x' }, { text: 'y', version: 9 }), false);
});
