// Per language, on small fixture files: definitions, references (calls, imports, type references) and
// the enclosing scope at a cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../../src/core/context/fileAnalysis';
import { languageForPath } from '../../../src/core/context/languages';
import { ContextEngine } from '../../../src/core/context/engine';
import { fixtureLanguages } from './helpers';

interface Case {
  file: string;
  defs: string[]; // kind:name@line (1-based start line of the definition)
  refs: string[]; // kind:name@line
  imports: string[];
  /** A cursor (1-based line) and the scope symbol expected around it. */
  cursor: { line: number; scope: string };
}

const cases: Case[] = [
  { file: 'sample.ts', defs: ['interface:Store@3', 'class:MemoryStore@7', 'method:get@10', 'function:loadStore@15', 'function:parseInto@22'],
    refs: ['call:parseInto@18', 'call:readFile@16', 'class:MemoryStore@17', 'type:Store@15', 'import:readFile@1'], imports: ['node:fs/promises'], cursor: { line: 17, scope: 'loadStore' } },
  { file: 'sample.tsx', defs: ['interface:Props@3', 'function:Counter@7', 'function:Button@12'],
    refs: ['call:useState@8', 'class:Button@9', 'type:Props@7'], imports: ['react'], cursor: { line: 9, scope: 'Counter' } },
  { file: 'sample.js', defs: ['class:Greeter@3', 'method:greet@4', 'function:format@9'],
    refs: ['call:format@5', 'call:join@10'], imports: ['node:path'], cursor: { line: 5, scope: 'greet' } },
  { file: 'sample.py', defs: ['class:Cache@5', 'function:put@10', 'function:evict@15'],
    refs: ['call:evict@12', 'call:OrderedDict@8', 'type:Cache@15', 'import:OrderedDict@2'], imports: ['os', 'collections'], cursor: { line: 12, scope: 'put' } },
  { file: 'sample.go', defs: ['interface:Shape@8', 'class:Square@12', 'method:Area@16', 'function:Describe@20'],
    refs: ['call:Sprintf@21', 'call:Area@21', 'type:Shape@20', 'import:fmt@4'], imports: ['fmt', 'strings'], cursor: { line: 21, scope: 'Describe' } },
  { file: 'sample.rs', defs: ['interface:Shape@3', 'class:Square@7', 'method:area@12', 'function:total@17'],
    refs: ['call:area@20', 'type:HashMap@18', 'implementation:Shape@11', 'import:HashMap@1'], imports: ['std::collections::HashMap'], cursor: { line: 13, scope: 'area' } },
  { file: 'Sample.java', defs: ['interface:Shape@5', 'class:Sample@9', 'method:area@16', 'method:square@20', 'method:total@24'],
    refs: ['call:square@17', 'class:Sample@25', 'type:Shape@24', 'import:List@3'], imports: ['java.util.List'], cursor: { line: 17, scope: 'area' } },
  { file: 'sample.c', defs: ['type:point_t@4', 'function:square@9', 'function:distance2@13'],
    refs: ['call:square@17', 'call:printf@16', 'type:point_t@13'], imports: ['stdio.h', 'sample.h'], cursor: { line: 15, scope: 'distance2' } },
  { file: 'sample.cpp', defs: ['module:geo@3', 'class:Shape@5', 'class:Square@10', 'function:total@18'],
    refs: ['call:area@20', 'type:Square@18', 'type:Shape@10'], imports: ['vector'], cursor: { line: 20, scope: 'total' } },
  { file: 'sample.cs', defs: ['interface:IShape@5', 'class:Square@10', 'method:Area@16'],
    refs: ['call:Square@18', 'class:IShape@10'], imports: ['System.Collections.Generic'], cursor: { line: 18, scope: 'Area' } },
  { file: 'sample.rb', defs: ['module:Geo@3', 'class:Square@4', 'method:area@9', 'method:square@13'],
    refs: ['call:square@10'], imports: ['json'], cursor: { line: 10, scope: 'area' } },
  { file: 'sample.php', defs: ['interface:Shape@4', 'class:Square@8', 'method:area@11', 'function:square@16'],
    refs: ['call:square@12'], imports: ['helpers.php'], cursor: { line: 12, scope: 'area' } },
];

for (const c of cases) {
  test(`tags ${c.file}: definitions, references, imports`, async () => {
    const text = readFileSync(join(fixtureLanguages, c.file), 'utf8');
    const a = await analyzeText(languageForPath(c.file)!, text);
    const defs = a.tags.filter((t) => t.role === 'definition').map((t) => `${t.kind}:${t.name}@${t.startRow + 1}`);
    const refs = a.tags.filter((t) => t.role === 'reference').map((t) => `${t.kind}:${t.name}@${t.row + 1}`);
    for (const d of c.defs) assert.ok(defs.includes(d), `missing definition ${d} in ${defs.join(' ')}`);
    for (const r of c.refs) assert.ok(refs.includes(r), `missing reference ${r} in ${refs.join(' ')}`);
    assert.deepEqual(a.imports.map((i) => i.specifier), c.imports);
    for (const d of a.tags.filter((t) => t.role === 'definition')) assert.ok(d.signature && d.signature.includes(d.name), `signature of ${d.name}: ${d.signature}`);
  });

  test(`scope ${c.file}: the cursor's enclosing function comes first`, async () => {
    const engine = new ContextEngine(fixtureLanguages, { cacheDir: false });
    try {
      const packed = await engine.context({ file: c.file, line: c.cursor.line, column: 1, budget: 2000 });
      const first = packed.snippets[0];
      assert.equal(first.kind, 'scope');
      assert.equal(first.symbol, c.cursor.scope);
      assert.ok(first.startLine <= c.cursor.line && c.cursor.line <= first.endLine);
      const lines = readFileSync(join(fixtureLanguages, c.file), 'utf8').split('\n');
      assert.equal(first.text, lines.slice(first.startLine - 1, first.endLine).join('\n'));
    } finally {
      engine.dispose();
    }
  });
}

test('scope: a method inside a class also gets the class header as an outer scope', async () => {
  const engine = new ContextEngine(fixtureLanguages, { cacheDir: false });
  try {
    const packed = await engine.context({ file: 'sample.py', line: 11, column: 9, budget: 2000 });
    assert.equal(packed.snippets[0].symbol, 'put');
    const outer = packed.snippets.find((s) => s.kind === 'scope' && s.symbol === 'Cache');
    assert.ok(outer, JSON.stringify(packed.snippets.map((s) => [s.kind, s.symbol])));
    assert.equal(outer.text, 'class Cache:');
    // evict is called in put and defined in the same file: its definition follows.
    assert.ok(packed.snippets.some((s) => s.kind === 'definition' && s.symbol === 'evict' && s.startLine === 15));
  } finally {
    engine.dispose();
  }
});
