import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutAtBlockEnd, shapeInlineCompletion, trimSuffixDuplicate } from '../../../src/extension/inline/postprocess';

test('a block opened on the cursor line keeps its body and its closing brace, nothing after', () => {
  const raw = '\n  return a + b;\n}\n\nfunction other() {\n  return 1;\n}';
  assert.equal(cutAtBlockEnd(raw, 'function add(a, b) {'), '\n  return a + b;\n}');
});

test('Python: a block opened by ":" stops at the dedent, without a closer', () => {
  const raw = '\n    return a + b\n\ndef other():\n    pass';
  assert.equal(cutAtBlockEnd(raw, 'def add(a, b):'), '\n    return a + b');
});

test('inside a block, the completion stops where the block ends', () => {
  const raw = 'const x = 1;\n  const y = 2;\n}\nconsole.log(x);';
  assert.equal(cutAtBlockEnd(raw, '  '), 'const x = 1;\n  const y = 2;');
});

test('a single-line completion is left alone', () => {
  assert.equal(cutAtBlockEnd('a + b;', '  return '), 'a + b;');
});

test('characters already after the cursor are not repeated', () => {
  assert.equal(trimSuffixDuplicate('a, b)', ')'), 'a, b');
  assert.equal(trimSuffixDuplicate('foo(x);', ');\n'), 'foo(x');
  assert.equal(trimSuffixDuplicate('data', 'a = 1'), 'data', 'a letter overlap in the middle of a word is not a duplicate');
});

test('whole lines that the suffix already has are trimmed', () => {
  const suffix = '\n}\n';
  assert.equal(trimSuffixDuplicate('\n  return a + b;\n}', suffix), '\n  return a + b;');
});

test('shapeInlineCompletion returns undefined when nothing is left', () => {
  assert.equal(shapeInlineCompletion(')', '  foo(', ')'), undefined);
  assert.equal(shapeInlineCompletion('\n  return a + b;\n}\nmore()', 'function add(a, b) {', '\n'), '\n  return a + b;\n}');
});

test('model artifacts never reach the ghost text: think blocks, template tokens, invalid UTF-8, control characters', async () => {
  const { stripModelArtifacts } = await import('../../../src/extension/inline/postprocess');
  assert.equal(stripModelArtifacts('<think>hmm</think>return 1;'), 'return 1;');
  assert.equal(stripModelArtifacts('return 1;<think>and then'), 'return 1;');
  assert.equal(stripModelArtifacts('return 1;</think>'), 'return 1;');
  assert.equal(stripModelArtifacts('x + 1;<|im_end|>\n<|im_start|>user'), 'x + 1;');
  assert.equal(stripModelArtifacts('a<|fim_middle|>b'), 'a');
  assert.equal(stripModelArtifacts('a<|endoftext|>'), 'a');
  assert.equal(stripModelArtifacts('ok\uFFFD\uD800\u0007;'), 'ok;');
  assert.equal(stripModelArtifacts('keeps\ttabs\nand lines'), 'keeps\ttabs\nand lines');
  assert.equal(stripModelArtifacts('emoji 😀 stays'), 'emoji 😀 stays');
  assert.equal(shapeInlineCompletion('<think>\n</think>', '', ''), undefined, 'nothing left: no suggestion');
});
