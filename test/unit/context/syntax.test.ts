import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countSyntaxErrors } from '../../../src/core/context/syntax';

test('countSyntaxErrors: clean code has none', async () => {
  assert.equal(await countSyntaxErrors('a.ts', 'export function f(a: number): number { return a + 1; }\n'), 0);
  assert.equal(await countSyntaxErrors('a.py', 'def f(a):\n    return a + 1\n'), 0);
  assert.equal(await countSyntaxErrors('a.go', 'package a\n\nfunc F() int { return 1 }\n'), 0);
  assert.equal(await countSyntaxErrors('a.rs', 'fn f() -> i32 { 1 }\n'), 0);
});

test('countSyntaxErrors: broken code counts ERROR and MISSING nodes', async () => {
  assert.ok((await countSyntaxErrors('a.ts', 'function f( { return 1 '))! >= 1);
  assert.ok((await countSyntaxErrors('a.py', 'def f(:\n    pass\n'))! >= 1);
  assert.ok((await countSyntaxErrors('a.java', 'class A { void f() { int x = ; } }'))! >= 1);
  // A missing closing brace is a MISSING node, not an ERROR.
  assert.ok((await countSyntaxErrors('a.c', 'int f(void) { return 1;'))! >= 1);
});

test('countSyntaxErrors: more damage, more errors', async () => {
  const one = (await countSyntaxErrors('a.ts', 'const a = ;\nconst b = 2;\n'))!;
  const two = (await countSyntaxErrors('a.ts', 'const a = ;\nconst b = 2;\nfunction g( {\nconst c = ;\n'))!;
  assert.ok(two > one, `${two} > ${one}`);
});

test('countSyntaxErrors: unsupported language is undefined, not an error', async () => {
  assert.equal(await countSyntaxErrors('notes.txt', 'anything ((('), undefined);
  assert.equal(await countSyntaxErrors('Makefile', 'all:'), undefined);
});

test('countSyntaxErrors: tsx and jsx parse JSX', async () => {
  assert.equal(await countSyntaxErrors('a.tsx', 'export const A = () => <div className="x">{1}</div>;\n'), 0);
  assert.equal(await countSyntaxErrors('a.jsx', 'export const A = () => <div>{1}</div>;\n'), 0);
});
