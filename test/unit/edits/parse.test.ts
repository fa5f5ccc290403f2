import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearchReplaceBlocks, parseUnifiedDiff, parseEdits, EditParseError } from '../../../src/core/edits';

const reply = `I'll fix the off-by-one. Here is the change:

src/math.ts
\`\`\`ts
<<<<<<< SEARCH
export function last(xs: number[]) {
  return xs[xs.length];
}
=======
export function last(xs: number[]) {
  return xs[xs.length - 1];
}
>>>>>>> REPLACE
\`\`\`

And a new helper file:

\`\`\`ts
src/util/first.ts
<<<<<<< SEARCH
=======
export const first = (xs: number[]) => xs[0];
>>>>>>> REPLACE
\`\`\`

Then the import, in the same file as before:
<<<<<<< SEARCH
import { a } from './a';
=======
import { a } from './a';
import { first } from './util/first';
>>>>>>> REPLACE
That's all.`;

test('parses blocks out of a whole reply: prose, fences, path lines, several files', () => {
  const blocks = parseSearchReplaceBlocks(reply);
  assert.equal(blocks.length, 3);
  assert.equal(blocks[0].path, 'src/math.ts');
  assert.equal(blocks[0].search, 'export function last(xs: number[]) {\n  return xs[xs.length];\n}\n');
  assert.equal(blocks[0].replace, 'export function last(xs: number[]) {\n  return xs[xs.length - 1];\n}\n');
  assert.equal(blocks[1].path, 'src/util/first.ts');
  assert.equal(blocks[1].search, '');
  assert.equal(blocks[1].replace, 'export const first = (xs: number[]) => xs[0];\n');
  // Prose right above: not a path, so the previous block's path is inherited.
  assert.equal(blocks[2].path, 'src/util/first.ts');
});

test('path in a fence info string and "File:" labels', () => {
  const a = parseSearchReplaceBlocks('```src/a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n```');
  assert.equal(a[0].path, 'src/a.py');
  const b = parseSearchReplaceBlocks('**File: `lib/b.go`**\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE');
  assert.equal(b[0].path, 'lib/b.go');
});

test('CRLF replies parse to LF block text', () => {
  const b = parseSearchReplaceBlocks('a.txt\r\n<<<<<<< SEARCH\r\none\r\n=======\r\ntwo\r\n>>>>>>> REPLACE\r\n');
  assert.deepEqual(b, [{ path: 'a.txt', search: 'one\n', replace: 'two\n', sourceLine: 2 }]);
});

test('malformed blocks get a clear error with a line number', () => {
  const cases: Array<[string, RegExp]> = [
    ['a.ts\n<<<<<<< SEARCH\nfoo\n>>>>>>> REPLACE\n', /before the '=======' divider/],
    ['a.ts\n<<<<<<< SEARCH\nfoo\n', /missing the '=======' divider/],
    ['a.ts\n<<<<<<< SEARCH\nfoo\n=======\nbar\n', /missing '>>>>>>> REPLACE'/],
    ['a.ts\n<<<<<<< SEARCH\nfoo\n<<<<<<< SEARCH\n', /before the '=======' divider/],
    ['a.ts\nfoo\n>>>>>>> REPLACE\n', /without a matching '<<<<<<< SEARCH'/],
    ['a.ts\n<<<<<<< SEARCH\nfoo\n=======\nbar\n=======\nbaz\n>>>>>>> REPLACE', /before '>>>>>>> REPLACE'/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => parseSearchReplaceBlocks(text), (e: unknown) => e instanceof EditParseError && re.test(e.message) && /line \d+/.test(e.message), text);
  }
});

test('parseEdits refuses text without any edits', () => {
  assert.throws(() => parseEdits('Sure! I think the bug is in line 3.'), /no edits found/);
});

test('unified diffs become blocks with line hints; new and deleted files', () => {
  const diff = `diff --git a/src/calc.js b/src/calc.js
--- a/src/calc.js
+++ b/src/calc.js
@@ -1,4 +1,4 @@
 function add(a, b) {
-  return a - b;
+  return a + b;
 }
 
--- /dev/null
+++ b/NEW.md
@@ -0,0 +1,2 @@
+# New
+file
--- a/old.txt
+++ /dev/null
@@ -1 +0,0 @@
-bye
`;
  const blocks = parseUnifiedDiff(diff);
  assert.equal(blocks.length, 3);
  assert.deepEqual(blocks[0], { path: 'src/calc.js', search: 'function add(a, b) {\n  return a - b;\n}\n\n', replace: 'function add(a, b) {\n  return a + b;\n}\n\n', lineHint: 1 });
  assert.equal(blocks[1].path, 'NEW.md');
  assert.equal(blocks[1].search, '');
  assert.equal(blocks[1].replace, '# New\nfile\n');
  assert.equal(blocks[2].path, 'old.txt');
  assert.equal(blocks[2].deleteFile, true);
  assert.equal(parseEdits(diff).format, 'unified-diff');
});
