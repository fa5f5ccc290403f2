// The shared tree cache (src/core/syntax/treeCache.ts): the syntax check and the audit of one change parse its text
// after once between them; the text before is parsed only when the after has errors (or audit hits), incrementally
// from the after; and that gives the same counts, trees and verdicts as fresh parses of both texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'web-tree-sitter';
import { clearTreeCache, loadLanguage, parseStats, withTree, type LanguageId } from '../../../src/core/syntax';
import { countErrorNodes, countSyntaxErrors } from '../../../src/core/context/syntax';
import { syntaxCheck } from '../../../src/core/edits';
import { auditPatch, isTestFile } from '../../../src/core/verify';

const repo = join(__dirname, '..', '..', '..');

const PY = `"""Orders, shapes and a little of everything the grammar has."""
import os
from typing import Iterable


class Shape:
    """A shape."""

    sides: int = 0

    def __init__(self, name: str, *args, **kwargs):
        self.name = name
        self.args = [a for a in args if a]

    @property
    def label(self) -> str:
        return f"{self.name}: {self.sides} sides"

    @staticmethod
    def parse(text):
        if not text:
            return None
        elif text.startswith('#'):
            # a comment line
            return {"comment": text[1:], 'raw': r'\\d+'}
        try:
            return int(text)
        except ValueError as e:
            raise RuntimeError("bad") from e
        finally:
            pass


def total(lines: Iterable[tuple[int, int]]) -> int:
    while True:
        break
    with open(os.devnull) as f:
        f.read()
    return sum(p * q for p, q in lines)


async def fetch(x):
    await x
    lambda y: y + 1
    return [i ** 2 for i in range(10) if i % 2 == 0]
`;

/** A seeded generator: the same edits on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SNIPPETS = ['(', ')', '{', '}', '[', ']', ':', '"', "'", '\n', '    ', 'if x', 'def f(', ',', ';', '=>', '#', '/*', '`', '\n  return', 'x = ', '', '', ''];

/** Some damage and some harmless edits: a span removed and a snippet put in its place. */
function randomEdit(text: string, next: () => number): string {
  const at = Math.floor(next() * text.length);
  const cut = next() < 0.5 ? 0 : Math.floor(next() * 20);
  const put = SNIPPETS[Math.floor(next() * SNIPPETS.length)];
  return text.slice(0, at) + put + text.slice(at + cut);
}

const fresh = new Map<LanguageId, Parser>();
/** A parser of its own, outside the cache: what a parse from scratch gives. */
async function freshParse<R>(id: LanguageId, text: string, read: (root: import('web-tree-sitter').Node) => R): Promise<R> {
  let p = fresh.get(id);
  if (!p) {
    const language = await loadLanguage(id);
    p = new Parser();
    p.setLanguage(language);
    fresh.set(id, p);
  }
  const tree = p.parse(text)!;
  try { return read(tree.rootNode); } finally { tree.delete(); }
}

test('the syntax check and the audit of a clean edit parse its text after once, and never the text before', async () => {
  clearTreeCache();
  const before = PY.replace('lambda y: y + 1', 'lambda y: y + 2');
  const after = PY;
  const change = { path: 'pkg/orders.py', before, after };
  const [syntax, audit] = await Promise.all([
    syntaxCheck(countSyntaxErrors, '/ws/pkg/orders.py', change.path, before, after, [0]),
    auditPatch([change], isTestFile),
  ]);
  assert.equal(syntax, undefined);
  assert.deepEqual(audit.findings, []);
  assert.deepEqual(parseStats(), { full: 1, incremental: 0, reused: 1 });
});

test('an edit that adds errors: the text before is parsed then, incrementally from the after, and the edit is rejected', async () => {
  clearTreeCache();
  const before = PY;
  const after = PY.replace('def total(lines', 'def total((lines');
  const f = await syntaxCheck(countSyntaxErrors, '/ws/pkg/orders.py', 'pkg/orders.py', before, after, [2]);
  assert.equal(f?.reason, 'syntax-error');
  assert.match(f!.message, /block 3 in pkg\/orders\.py: the edit adds syntax errors \(tree-sitter finds \d+ after it, 0 before\)/);
  assert.deepEqual(parseStats(), { full: 1, incremental: 1, reused: 0 });
});

test('an audit hit: the text before is read too (to not blame what it had), parsed from scratch', async () => {
  clearTreeCache();
  const before = "import os\n\ndef add(a, b):\n    return a + b\n";
  const after = "import os\n\ndef add(a, b):\n    os._exit(0)\n    return a + b\n";
  const change = { path: 'pkg/calc.py', before, after };
  const [syntax, audit] = await Promise.all([
    syntaxCheck(countSyntaxErrors, '/ws/pkg/calc.py', change.path, before, after, [0]),
    auditPatch([change], isTestFile),
  ]);
  assert.equal(syntax, undefined);
  assert.deepEqual(audit.findings.map((h) => [h.rule, h.line]), [['exit', 4]]);
  // The after once for both; the before once, from scratch (the audit's rules read the tree's shape).
  assert.deepEqual(parseStats(), { full: 2, incremental: 0, reused: 1 });
  // What the file already had is not blamed.
  assert.deepEqual((await auditPatch([{ path: 'pkg/calc.py', before: after, after: `${after}x = 1\n` }], isTestFile)).findings, []);
});

test('a tree the cache dropped is parsed again when asked for, with the same answer', async () => {
  clearTreeCache();
  const first = await countSyntaxErrors('a.py', 'def f(:\n    pass\n');
  for (let i = 0; i < 12; i++) await countSyntaxErrors(`b${i}.py`, `x = ${i}\n`);
  assert.equal(await countSyntaxErrors('a.py', 'def f(:\n    pass\n'), first);
  assert.equal(parseStats().full, 14);
  assert.equal(parseStats().reused, 0);
});

test('after first, before on demand (incremental from the after): the same error counts, trees and verdicts as two fresh parses', async () => {
  clearTreeCache();
  const files: Array<[string, LanguageId, string]> = [
    ['lib/orders.py', 'python', PY.repeat(3)],
    ['src/audit.ts', 'typescript', readFileSync(join(repo, 'src/core/verify/policy/audit.ts'), 'utf8')],
    ['src/sample.js', 'javascript', readFileSync(join(repo, 'test/fixtures/context/langs/sample.js'), 'utf8')],
    ['pkg/sample.go', 'go', readFileSync(join(repo, 'test/fixtures/context/langs/sample.go'), 'utf8')],
  ];
  const next = random(24);
  let rejected = 0;
  let checked = 0;
  for (const [path, id, original] of files) {
    let before = original;
    for (let i = 0; i < 40; i++) {
      const after = randomEdit(before, next);
      const [was, now] = [await freshParse(id, before, countErrorNodes), await freshParse(id, after, countErrorNodes)];
      const f = await syntaxCheck(countSyntaxErrors, `/ws/${path}`, path, before, after, [0]);
      assert.equal(f !== undefined, now > was, `${path} edit ${i}: verdict`);
      if (f) {
        rejected++;
        assert.match(f.message, new RegExp(`finds ${now} after it, ${was} before`));
      }
      // The counts and trees the cache holds now (the after parsed first, the before from it) are a fresh parse's.
      assert.equal(await countSyntaxErrors(`/ws/${path}`, after), now);
      assert.equal(await countSyntaxErrors(`/ws/${path}`, before), was);
      // The audit reads fresh trees only: the cache gives it the same tree a parse from scratch gives (an incremental
      // reparse of damaged text may recover with another shape; the error count is the same).
      assert.equal(await withTree(id, before, (t) => t.rootNode.toString(), { fresh: true }), await freshParse(id, before, (r) => r.toString()), `${path} edit ${i}: tree before`);
      assert.equal(await withTree(id, after, (t) => t.rootNode.toString(), { fresh: true }), await freshParse(id, after, (r) => r.toString()), `${path} edit ${i}: tree after`);
      checked++;
      // Edits pile up on the file half the time, so later edits land in already damaged text.
      if (next() < 0.5) before = after;
    }
  }
  assert.equal(checked, 160);
  assert.ok(rejected > 20 && rejected < 150, `a mix of rejected and accepted edits (${rejected} rejected)`);
  assert.ok(parseStats().incremental > 20, `the befores were reparsed incrementally (${JSON.stringify(parseStats())})`);
});
