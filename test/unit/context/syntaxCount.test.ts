// countSyntaxErrors parses an edit's text after from the tree of its text before (syntax.ts): the counts must be
// those of a fresh parse, edit after edit, whether the edit adds an error, removes one, or changes lines around one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countSyntaxErrors } from '../../../src/core/context/syntax';

const langs = join(__dirname, '../../fixtures/context/langs');

/** A fresh parse: a path never counted before has no tree to start from. */
let fresh = 0;
const freshCount = (ext: string, text: string): Promise<number | undefined> => countSyntaxErrors(`fresh-${fresh++}${ext}`, text);

for (const file of ['sample.py', 'sample.ts']) {
  test(`${file}: counts after incremental reparses equal fresh parses (random edits, errors added and removed)`, async () => {
    const ext = file.slice(file.lastIndexOf('.'));
    let text = readFileSync(join(langs, file), 'utf8');
    let seed = 7;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const pieces = ['(', ')', '\n', 'x = 1\n', '"', 'é', '{', '}', '', ':', '  '];
    let sawError = false;
    for (let i = 0; i < 60; i++) {
      const at = rand(text.length + 1);
      const cut = rand(4);
      text = text.slice(0, at) + pieces[rand(pieces.length)] + text.slice(Math.min(text.length, at + cut));
      const incremental = await countSyntaxErrors(`edited${ext}`, text);
      const full = await freshCount(ext, text);
      assert.equal(incremental, full, `edit ${i + 1}`);
      if ((full ?? 0) > 0) sawError = true;
    }
    assert.ok(sawError, 'some edits broke the syntax (the test exercised error counts, not only zeros)');
  });
}

test('the same text twice, then back to the first: the counts do not drift', async () => {
  const good = 'def f():\n    return 1\n';
  const bad = 'def f(:\n    return 1\n';
  assert.equal(await countSyntaxErrors('twice.py', good), 0);
  assert.equal(await countSyntaxErrors('twice.py', good), 0);
  assert.ok((await countSyntaxErrors('twice.py', bad))! > 0);
  assert.equal(await countSyntaxErrors('twice.py', good), 0);
});
