import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoopDetector, findPeriodicTail } from '../../../src/core/model/loopDetector';

function feed(text: string, chunk = 7, d = new LoopDetector()): ReturnType<LoopDetector['push']> {
  for (let i = 0; i < text.length; i += chunk) {
    const v = d.push(text.slice(i, i + chunk));
    if (v) return v;
  }
  return undefined;
}

const normalThought = `Okay, the user wants the parser to accept trailing commas. First I should look at how tokens are read:
the lexer emits COMMA and then the parser expects another value. If the next token is a closing bracket we can
simply stop. But wait, objects and arrays take different paths, so both need the check. Let me think about the
error message too: right now it says "unexpected token", which is fine. Then tests: one for arrays, one for
objects, and one that a lone comma is still an error. That should cover it.`;

test('ordinary reasoning is not a loop', () => {
  assert.equal(feed(normalThought), undefined);
  assert.equal(feed(normalThought, 1), undefined);
});

test('a short passage repeated over and over is periodic', () => {
  const v = feed(`${normalThought} ${'Wait, let me check again. '.repeat(12)}`);
  assert.equal(v?.kind, 'periodic');
  assert.match(v!.detail, /26-character passage|ngram|repeated/);
});

test('a long passage repeated (a large period) is caught too', () => {
  const long = 'So the function returns the sum of the list, and then we add one to handle the sentinel at the end of the input. ';
  const v = feed(normalThought + long.repeat(5), 13);
  assert.ok(v, 'no loop found');
});

test('a phrase that keeps coming back with different words between is an n-gram loop', () => {
  const phrase = 'but wait maybe I should reconsider whether the cache is really invalidated here';
  const text = [1, 2, 3, 4, 5, 6].map((i) => `${phrase}. Step ${i} looks at case ${i * 7} of the table`).join('. ');
  const v = new LoopDetector({ minPeriodicSpan: 100000 }).push(text);
  assert.equal(v?.kind, 'ngram');
  assert.match(v!.detail, /came back 5 times/);
});

test('findPeriodicTail needs enough copies and span', () => {
  assert.equal(findPeriodicTail('abababab'), undefined); // too short to matter
  assert.equal(findPeriodicTail('x'.repeat(50) + 'y'), undefined);
  assert.equal(findPeriodicTail('ab'.repeat(100))?.kind, 'periodic');
});

test('the verdict sticks once found', () => {
  const d = new LoopDetector();
  const v = feed('again and again '.repeat(20), 5, d);
  assert.ok(v);
  assert.deepEqual(d.push('fresh text'), v);
});
