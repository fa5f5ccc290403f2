// The engine end to end on the fixture workspace: cross-file resolution, incremental updates, packing,
// and bad input (syntax errors, huge, binary and unreadable files, symlink loops, unsupported languages).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextEngine } from '../../../src/core/context/engine';
import { SymbolIndex } from '../../../src/core/context/symbolIndex';
import { walkWorkspace } from '../../../src/core/context/walk';
import { packSnippets, renderSnippet } from '../../../src/core/context/pack';
import { estimateTokens } from '../../../src/core/context/tokens';
import { fixtureWorkspace, scratchWorkspace } from './helpers';

test('cross-file: definitions used in the cursor scope resolve through imports, in priority order', async () => {
  const engine = new ContextEngine(fixtureWorkspace, { cacheDir: false });
  try {
    const packed = await engine.context({ file: 'src/index.ts', line: 7, column: 5, budget: 4000 });
    const kinds = packed.snippets.map((s) => s.kind);
    assert.equal(kinds[0], 'scope');
    assert.equal(packed.snippets[0].symbol, 'main');
    const add = packed.snippets.find((s) => s.kind === 'definition' && s.symbol === 'add');
    assert.ok(add, 'add resolved');
    assert.equal(add.path, 'src/util.ts');
    assert.ok(add.text.startsWith('export function add(a: number, b: number): number'));
    const helper = packed.snippets.find((s) => s.kind === 'definition' && s.symbol === 'helper');
    assert.equal(helper?.path, 'src/lib/index.ts');
    assert.ok(packed.snippets.some((s) => s.kind === 'import' && s.text === "import { helper } from './lib';"));
    // Priority: scope, then definitions, then imports, then the repo map.
    const order = ['scope', 'definition', 'import', 'repomap'];
    const ranks = kinds.map((k) => order.indexOf(k));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    // `import * as path` is used as `path.sep` in main (no tag, but a word of the scope): kept.
    assert.ok(packed.snippets.some((s) => s.kind === 'import' && s.symbol === 'node:path'));
  } finally {
    engine.dispose();
  }
});

test('cross-file: Python definitions resolve through relative imports', async () => {
  const engine = new ContextEngine(fixtureWorkspace, { cacheDir: false });
  try {
    const packed = await engine.context({ file: 'py/pkg/shapes.py', line: 7, column: 5, budget: 4000 });
    const circle = packed.snippets.find((s) => s.kind === 'definition' && s.symbol === 'Circle');
    assert.equal(circle?.path, 'py/pkg/core.py');
    // No TypeScript definition leaks into a Python file's context.
    assert.ok(!packed.snippets.some((s) => s.kind === 'definition' && s.path.endsWith('.ts')));
  } finally {
    engine.dispose();
  }
});

test('budget: the packed context never exceeds the budget and tokens add up', async () => {
  const engine = new ContextEngine(fixtureWorkspace, { cacheDir: false });
  try {
    for (const budget of [40, 120, 400, 4000]) {
      const packed = await engine.context({ file: 'src/index.ts', line: 7, column: 5, budget });
      assert.ok(packed.tokens <= budget, `${packed.tokens} <= ${budget}`);
      assert.equal(packed.tokens, packed.snippets.reduce((a, s) => a + estimateTokens(renderSnippet(s)), 0));
      assert.ok(packed.snippets.length >= 1);
    }
    // A tiny budget keeps the line under the cursor.
    const tiny = await engine.context({ file: 'src/index.ts', line: 7, column: 5, budget: 30 });
    assert.ok(tiny.snippets[0].text.includes('calc.push(add(1, 2));'));
  } finally {
    engine.dispose();
  }
});

test('budget: an injected tokenizer is used for counting', async () => {
  const words = (t: string) => t.split(/\s+/).filter(Boolean).length;
  const engine = new ContextEngine(fixtureWorkspace, { cacheDir: false, count: words });
  try {
    const packed = await engine.context({ file: 'src/index.ts', line: 7, column: 5, budget: 500 });
    assert.equal(packed.tokens, packed.snippets.reduce((a, s) => a + words(renderSnippet(s)), 0));
  } finally {
    engine.dispose();
  }
});

test('pack: duplicates and covered snippets are dropped', () => {
  const s = { path: 'a.ts', startLine: 1, endLine: 10, kind: 'scope' as const, text: 'x\n'.repeat(10).trimEnd() };
  const inner = { path: 'a.ts', startLine: 3, endLine: 4, kind: 'definition' as const, symbol: 'f', text: 'x\nx' };
  const other = { path: 'b.ts', startLine: 3, endLine: 4, kind: 'definition' as const, symbol: 'g', text: 'y\ny' };
  const packed = packSnippets([s, inner, s, other], { budget: 1000 });
  assert.deepEqual(packed.snippets.map((x) => x.path + x.startLine), ['a.ts1', 'b.ts3']);
});

test('incremental: an edit updates the tags through tree.edit and a reparse', async () => {
  const scratch = scratchWorkspace();
  const index = new SymbolIndex(scratch.root, { cacheDir: false });
  try {
    await index.build();
    assert.equal(index.definitions('multiply').length, 0);
    const text = readFileSync(join(scratch.root, 'src/util.ts'), 'utf8');
    await index.setDocumentText('src/util.ts', text);
    const at = text.indexOf('export class Calculator');
    const added = 'export function multiply(a: number, b: number): number {\n  return a * b;\n}\n\n';
    await index.applyEdits('src/util.ts', [{ start: at, oldLength: 0, text: added }]);
    const defs = index.definitions('multiply');
    assert.equal(defs.length, 1);
    assert.equal(defs[0].file, 'src/util.ts');
    assert.equal(defs[0].tag.startRow, text.slice(0, at).split('\n').length - 1);
    // Rows after the edit shifted by the four inserted lines.
    assert.equal(index.definitions('Calculator')[0].tag.startRow, 9 + 4);
    // Rename by replacing text: the old name is gone, the new one is there.
    const live = index.liveText('src/util.ts')!;
    await index.setDocumentText('src/util.ts', live.replace('function multiply', 'function times'));
    assert.equal(index.definitions('multiply').length, 0);
    assert.equal(index.definitions('times').length, 1);
  } finally {
    index.dispose();
    scratch.cleanup();
  }
});

test('file changes: created, changed and deleted files update the index and the import graph', async () => {
  const scratch = scratchWorkspace();
  const index = new SymbolIndex(scratch.root, { cacheDir: false });
  try {
    await index.build();
    writeFileSync(join(scratch.root, 'src/extra.ts'), "import { add } from './util';\nexport function twice(a: number) { return add(a, a); }\n");
    await index.updateFile('src/extra.ts');
    assert.equal(index.definitions('twice')[0]?.file, 'src/extra.ts');
    assert.ok(index.importGraph().importersOf('src/util.ts').includes('src/extra.ts'));
    writeFileSync(join(scratch.root, 'src/extra.ts'), 'export function thrice(a: number) { return 3 * a; }\n');
    await index.updateFile('src/extra.ts');
    assert.equal(index.definitions('twice').length, 0);
    assert.ok(!index.importGraph().importersOf('src/util.ts').includes('src/extra.ts'));
    rmSync(join(scratch.root, 'src/extra.ts'));
    await index.updateFile('src/extra.ts');
    assert.equal(index.definitions('thrice').length, 0);
    assert.ok(!index.files.includes('src/extra.ts'));
  } finally {
    index.dispose();
    scratch.cleanup();
  }
});

test('disk cache: a second index loads from the cache without parsing', async () => {
  const scratch = scratchWorkspace();
  const cacheDir = mkdtempSync(join(tmpdir(), 'qwq-ctx-cache-'));
  try {
    const first = new SymbolIndex(scratch.root, { cacheDir });
    const s1 = await first.build();
    first.dispose();
    assert.ok(s1.parsed > 0);
    const second = new SymbolIndex(scratch.root, { cacheDir });
    const s2 = await second.build();
    assert.equal(s2.parsed, 0);
    assert.equal(s2.fromCache, s1.parsed);
    assert.deepEqual(second.definitions('add').map((d) => d.file), ['src/util.ts']);
    second.dispose();
    // A changed file is parsed again; the rest still come from the cache.
    writeFileSync(join(scratch.root, 'src/util.ts'), 'export function sum(a: number, b: number) { return a + b; }\n');
    const third = new SymbolIndex(scratch.root, { cacheDir });
    const s3 = await third.build();
    assert.equal(s3.parsed, 1);
    assert.equal(third.definitions('sum')[0]?.file, 'src/util.ts');
    assert.equal(third.definitions('add').length, 0);
    third.dispose();
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
    scratch.cleanup();
  }
});

test('syntax errors: a broken file still yields its scope and definitions', async () => {
  const scratch = scratchWorkspace();
  const engine = new ContextEngine(scratch.root, { cacheDir: false });
  try {
    const broken = "import { add } from './util';\n\nexport function broken(x: number) {\n  const y = add(x, ;\n  return y +\n}\n\nexport function fine() { return add(1, 2); }\n";
    writeFileSync(join(scratch.root, 'src/broken.ts'), broken);
    const packed = await engine.context({ file: 'src/broken.ts', line: 4, column: 3, budget: 2000 });
    assert.equal(packed.snippets[0].kind, 'scope');
    assert.equal(packed.snippets[0].symbol, 'broken');
    assert.ok(packed.snippets.some((s) => s.kind === 'definition' && s.symbol === 'add' && s.path === 'src/util.ts'));
    assert.ok(engine.index.definitions('fine').length === 1);
  } finally {
    engine.dispose();
    scratch.cleanup();
  }
});

test('unsupported language: a window of lines around the cursor, never an error', async () => {
  const scratch = scratchWorkspace();
  const engine = new ContextEngine(scratch.root, { cacheDir: false });
  try {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i + 1}`);
    writeFileSync(join(scratch.root, 'notes.txt'), lines.join('\n'));
    const packed = await engine.context({ file: 'notes.txt', line: 150, column: 1, budget: 4000 });
    assert.equal(packed.snippets.length, 1);
    const w = packed.snippets[0];
    assert.equal(w.kind, 'window');
    assert.ok(w.startLine < 150 && w.endLine > 150);
    assert.equal(w.text.split('\n')[150 - w.startLine], 'line 150');
  } finally {
    engine.dispose();
    scratch.cleanup();
  }
});

test('huge file: over the size cap it is not indexed, and the cursor gets a window', async () => {
  const scratch = scratchWorkspace();
  const engine = new ContextEngine(scratch.root, { cacheDir: false, walk: { maxFileBytes: 64 * 1024 } });
  try {
    const body = Array.from({ length: 5000 }, (_, i) => `export function f${i}() { return ${i}; }`).join('\n');
    writeFileSync(join(scratch.root, 'src/huge.ts'), body);
    await engine.ready();
    assert.equal(engine.index.definitions('f10').length, 0);
    const packed = await engine.context({ file: 'src/huge.ts', line: 2500, column: 1, budget: 500 });
    assert.equal(packed.snippets[0].kind, 'window');
    assert.ok(packed.snippets[0].text.includes('function f2499()'));
  } finally {
    engine.dispose();
    scratch.cleanup();
  }
});

test('walk: binary, unreadable files and symlink loops are survived', async (t) => {
  const scratch = scratchWorkspace();
  try {
    writeFileSync(join(scratch.root, 'src/blob.ts'), Buffer.from([0x65, 0x78, 0x00, 0x01, 0x02]));
    mkdirSync(join(scratch.root, 'loop'));
    symlinkSync(join(scratch.root, 'loop'), join(scratch.root, 'loop/again'));
    symlinkSync(scratch.root, join(scratch.root, 'src/root-link'));
    symlinkSync(join(scratch.root, 'missing.ts'), join(scratch.root, 'src/dangling.ts'));
    writeFileSync(join(scratch.root, 'src/secret.ts'), 'export const s = 1;\n');
    chmodSync(join(scratch.root, 'src/secret.ts'), 0o000);
    const r = await walkWorkspace(scratch.root);
    const rels = r.files.map((f) => f.rel);
    assert.ok(rels.includes('src/util.ts'));
    assert.ok(!rels.includes('src/blob.ts'));
    assert.ok(r.skipped.some((s) => s.rel === 'src/blob.ts' && s.reason === 'binary'));
    assert.ok(!rels.some((f) => f.includes('root-link') || f.includes('again')), 'symlink loops are entered once');
    if (process.getuid?.() !== 0) assert.ok(r.skipped.some((s) => s.rel === 'src/secret.ts' && s.reason === 'unreadable'));
    else t.diagnostic('running as root: the unreadable file is readable');
    // The index survives the same tree.
    const index = new SymbolIndex(scratch.root, { cacheDir: false });
    await index.build();
    assert.ok(index.files.includes('src/util.ts'));
    index.dispose();
  } finally {
    chmodSync(join(scratch.root, 'src/secret.ts'), 0o644);
    scratch.cleanup();
  }
});

test('bad cursor: a line or column below 1 is a clear error', async () => {
  const engine = new ContextEngine(fixtureWorkspace, { cacheDir: false });
  try {
    await assert.rejects(engine.context({ file: 'src/index.ts', line: 0, column: 1 }), /line must be an integer/);
    await assert.rejects(engine.context({ file: 'src/nope.ts', line: 1, column: 1 }), /ENOENT/);
  } finally {
    engine.dispose();
  }
});

test('incremental: re-reading only the changed top-level declarations equals a full analysis', async () => {
  const { analyzeText } = await import('../../../src/core/context/fileAnalysis');
  const { fixtureLanguages } = await import('./helpers');
  const index = new SymbolIndex(fixtureLanguages, { cacheDir: false });
  try {
    let text = readFileSync(join(fixtureLanguages, 'sample.ts'), 'utf8');
    await index.setDocumentText('sample.ts', text);
    // Deterministic pseudo-random edits: insert lines, delete ranges, type inside bodies, break the syntax.
    let seed = 7;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const inserts = ['\nexport function added(x: number) { return helper(x); }\n', 'call(1);\n', ' foo', '{', '}\n', '\nclass Z extends MemoryStore {}\n'];
    for (let i = 0; i < 150; i++) {
      const start = rand(text.length + 1);
      const change = rand(3) === 0
        ? { start, oldLength: Math.min(rand(30), text.length - start), text: '' }
        : { start, oldLength: 0, text: inserts[rand(inserts.length)] };
      await index.applyEdits('sample.ts', [change]);
      text = text.slice(0, change.start) + change.text + text.slice(change.start + change.oldLength);
      assert.equal(index.liveText('sample.ts'), text);
      const full = await analyzeText('typescript', text);
      const got = index.entry('sample.ts')!;
      assert.deepEqual(got.tags.map((t) => [t.role, t.kind, t.name, t.row, t.column]), full.tags.map((t) => [t.role, t.kind, t.name, t.row, t.column]), `after edit ${i}`);
      assert.deepEqual(got.imports, full.imports);
    }
  } finally {
    index.dispose();
  }
});

test('worker pool: a build in worker threads gives the same index as one on this thread', async () => {
  const scratch = scratchWorkspace();
  try {
    // Enough files to start the pool (it is used from 64 files on).
    for (let i = 0; i < 70; i++) writeFileSync(join(scratch.root, `src/gen${i}.ts`), `import { add } from './util';\nexport function gen${i}(x: number) { return add(x, ${i}); }\n`);
    const inline = new SymbolIndex(scratch.root, { cacheDir: false, workers: 0 });
    const pooled = new SymbolIndex(scratch.root, { cacheDir: false, workers: 2 });
    const a = await inline.build();
    const b = await pooled.build();
    assert.equal(a.parsed, b.parsed);
    assert.deepEqual(pooled.files, inline.files);
    for (const f of inline.files) assert.deepEqual(pooled.entry(f), inline.entry(f), f);
    assert.equal(pooled.definitions('gen42')[0]?.file, 'src/gen42.ts');
    assert.equal(pooled.importGraph().importersOf('src/util.ts').length, inline.importGraph().importersOf('src/util.ts').length);
    inline.dispose();
    pooled.dispose();
  } finally {
    scratch.cleanup();
  }
});
