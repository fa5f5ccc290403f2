// The keystroke path's incremental analysis (symbolIndex.applyEdits: tree.edit + parse(text, oldTree), then
// reanalyzeRange over the changed rows only) must give exactly what a fresh parse gives: every tag field,
// import and binding, and the packed context at the cursor. Edits insert and delete lines, type inside the
// bodies of long classes and of lambdas passed to calls, break and repair the syntax, use multi-byte text
// (UTF-16 offsets, as editors report them), and are undone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SymbolIndex, type TextChange } from '../../../src/core/context/symbolIndex';
import { changedSpan } from '../../../src/core/syntax/textSpan';
import { analyzeText } from '../../../src/core/context/fileAnalysis';
import { AnalysisPool } from '../../../src/core/context/analysisPool';
import { ContextEngine } from '../../../src/core/context/engine';
import type { LanguageId } from '../../../src/core/context/languages';
import { filesDir } from '../../support/scratchDir';

const tsSource = `import { readFile } from 'node:fs/promises';
import {
  join,
  dirname,
} from 'node:path';

export interface Store {
  get(key: string): string | undefined;
}

/** A long class: an edit in one method must not re-read the others, but the class's own tag changes rows. */
export class MemoryStore implements Store {
  private data = new Map<string, string>();
  private readonly label: string = 'café ☕ 名前';

  constructor(private readonly root: Store, name = '😀') {
    this.label = name;
  }

  get(key: string): string | undefined {
    return this.data.get(key) ?? this.root.get(key);
  }

  load(path: string): Promise<void> {
    const pending = readFile(join(dirname(path), 'x'), 'utf8').then((text) => {
      parseInto(this, text);
      return text.length;
    }).catch(() => 0);
    const handler = makeHandler(() => {
      this.get('a');
    });
    void handler;
    return pending.then(() => undefined);
  }
}

export const ratio = 1.5, handlerOf = (s: Store) => {
  return s.get('x');
};

function makeHandler(f: () => void): () => void {
  return f;
}

function parseInto(store: Store, text: string): void {
  void store; void text;
}
`;

/** The languages fixture's Python file: a class, a method calling a function, an import. */
const pySource = readFileSync(join(__dirname, '../../fixtures/context/langs/sample.py'), 'utf8');

/** What a fresh parse of `text` gives, compared field by field with the index's entry (hash included). */
async function assertFresh(index: SymbolIndex, rel: string, lang: LanguageId, text: string, what: string): Promise<void> {
  assert.equal(index.liveText(rel), text, `${what}: live text`);
  assert.deepEqual(index.liveLines(rel), text.split('\n'), `${what}: live lines`);
  const full = await analyzeText(lang, text);
  const got = index.entry(rel)!;
  assert.deepEqual(got.tags, full.tags, `${what}: tags`);
  assert.deepEqual(got.imports, full.imports, `${what}: imports`);
  assert.deepEqual(got.bindings, full.bindings, `${what}: bindings`);
  assert.equal(got.hash, full.hash, `${what}: hash`);
}

function apply(text: string, c: TextChange): string {
  return text.slice(0, c.start) + c.text + text.slice(c.start + c.oldLength);
}

/** Deterministic pseudo-random edits: typed characters, new and deleted lines, broken and repaired syntax. */
function editor(seed: number, pieces: string[]) {
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  return (text: string): TextChange => {
    const start = rand(text.length + 1);
    const kind = rand(4);
    if (kind === 0) return { start, oldLength: Math.min(rand(40), text.length - start), text: '' };
    if (kind === 1) {
      // Delete whole lines.
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      let end = lineStart;
      for (let k = rand(3) + 1; k > 0 && end < text.length; k--) end = text.indexOf('\n', end) === -1 ? text.length : text.indexOf('\n', end) + 1;
      return { start: lineStart, oldLength: end - lineStart, text: '' };
    }
    return { start, oldLength: 0, text: pieces[rand(pieces.length)] };
  };
}

const tsPieces = ['\n', 'x', '(', ')', '{', '}\n', ' foo', '\nexport function added(x: number) { return parseInto(x, "é"); }\n', 'this.get("k");\n', '  const h = makeHandler(() => {\n', '😀', '中文', '\n  other(): void {}\n', '/*', '*/', '`', ';\n'];

for (const [name, seed] of [['a', 7], ['b', 11], ['c', 2024]] as const) {
  test(`incremental analysis equals a fresh parse after each of 120 random edits (TypeScript, run ${name})`, async () => {
    const root = filesDir('qwq-incr-', { 'store.ts': tsSource });
    const index = new SymbolIndex(root, { cacheDir: false });
    try {
      let text = tsSource;
      await index.setDocumentText('store.ts', text);
      const next = editor(seed, tsPieces);
      for (let i = 0; i < 120; i++) {
        const change = next(text);
        await index.applyEdits('store.ts', [change]);
        text = apply(text, change);
        await assertFresh(index, 'store.ts', 'typescript', text, `edit ${i} ${JSON.stringify(change)}`);
      }
    } finally {
      index.dispose();
    }
  });
}

test('incremental analysis equals a fresh parse after random edits (Python: indentation decides the rows)', async () => {
  const root = filesDir('qwq-incr-', { 'cache.py': pySource });
  const index = new SymbolIndex(root, { cacheDir: false });
  try {
    let text = pySource;
    await index.setDocumentText('cache.py', text);
    const next = editor(5, ['\n', '    ', 'x', '\n    def extra(self):\n        return evict(self)\n', '(', ')', ':', 'é', '😀']);
    for (let i = 0; i < 80; i++) {
      const change = next(text);
      await index.applyEdits('cache.py', [change]);
      text = apply(text, change);
      await assertFresh(index, 'cache.py', 'python', text, `edit ${i} ${JSON.stringify(change)}`);
    }
  } finally {
    index.dispose();
  }
});

test('inserting and deleting lines inside a method moves the class end and every later tag, as a fresh parse does', async () => {
  const root = filesDir('qwq-incr-', { 'store.ts': tsSource });
  const index = new SymbolIndex(root, { cacheDir: false });
  try {
    await index.setDocumentText('store.ts', tsSource);
    const classEnd = () => index.entry('store.ts')!.tags.find((t) => t.name === 'MemoryStore' && t.role === 'definition')!.endRow;
    const before = classEnd();
    const inMethod = tsSource.indexOf('this.label = name;');
    const added = tsSource.slice(0, inMethod) + 'this.get("a");\n    this.get("b");\n    ' + tsSource.slice(inMethod);
    await index.setDocumentText('store.ts', added);
    assert.equal(classEnd(), before + 2);
    await assertFresh(index, 'store.ts', 'typescript', added, 'two lines added');
    const removed = added.replace('  get(key: string): string | undefined {\n    return this.data.get(key) ?? this.root.get(key);\n  }\n\n', '');
    await index.setDocumentText('store.ts', removed);
    assert.equal(classEnd(), before - 2);
    await assertFresh(index, 'store.ts', 'typescript', removed, 'a method deleted');
  } finally {
    index.dispose();
  }
});

test('multi-byte text: columns after emoji and CJK on the edited line are UTF-16 columns, as in a fresh parse', async () => {
  const root = filesDir('qwq-incr-', { 'store.ts': tsSource });
  const index = new SymbolIndex(root, { cacheDir: false });
  try {
    await index.setDocumentText('store.ts', tsSource);
    let text = tsSource;
    // Type a call after an emoji on its line, then an identifier with CJK letters, then delete the emoji.
    const at = text.indexOf("name = '😀')") + "name = '😀'".length;
    for (const typed of [', ', 'x', ' = ', 'parseInto', '(', 'this', ', ', "'名前😀'", ')']) {
      const pos = text.indexOf("name = '😀'") + "name = '😀'".length + (text.length - tsSource.length);
      void at;
      await index.applyEdits('store.ts', [{ start: pos, oldLength: 0, text: typed }]);
      text = text.slice(0, pos) + typed + text.slice(pos);
      await assertFresh(index, 'store.ts', 'typescript', text, `typed ${typed}`);
    }
    const emoji = text.indexOf('😀');
    await index.applyEdits('store.ts', [{ start: emoji, oldLength: 2, text: '' }]);
    text = text.slice(0, emoji) + text.slice(emoji + 2);
    await assertFresh(index, 'store.ts', 'typescript', text, 'emoji deleted');
    const fn = text.indexOf('function parseInto');
    await index.applyEdits('store.ts', [{ start: fn, oldLength: 0, text: 'const 名前 = makeHandler(() => {});\n' }]);
    text = text.slice(0, fn) + 'const 名前 = makeHandler(() => {});\n' + text.slice(fn);
    await assertFresh(index, 'store.ts', 'typescript', text, 'a CJK constant');
    assert.ok(index.definitions('名前').some((d) => d.file === 'store.ts'));
  } finally {
    index.dispose();
  }
});

test('undo: editing and then restoring the text gives back the first analysis exactly', async () => {
  const root = filesDir('qwq-incr-', { 'store.ts': tsSource });
  const index = new SymbolIndex(root, { cacheDir: false });
  try {
    await index.setDocumentText('store.ts', tsSource);
    const first = structuredClone(index.entry('store.ts'));
    const edits = ['{', '/*', '\n\n\nfunction z() {', 'class Q {\n'];
    let text = tsSource;
    const history = [text];
    for (const [k, e] of edits.entries()) {
      const at = text.indexOf('\n', Math.floor((text.length * (k + 1)) / (edits.length + 1))) + 1;
      text = text.slice(0, at) + e + text.slice(at);
      history.push(text);
      await index.setDocumentText('store.ts', text);
      await assertFresh(index, 'store.ts', 'typescript', text, `edit ${k}`);
    }
    // Undo step by step (VS Code reports each undo as the reverse change), then all at once back to the start.
    for (const t of history.slice(0, -1).reverse()) {
      await index.setDocumentText('store.ts', t);
      await assertFresh(index, 'store.ts', 'typescript', t, 'undo');
    }
    assert.deepEqual(index.entry('store.ts'), first);
    await index.setDocumentText('store.ts', history[history.length - 1]);
    await index.setDocumentText('store.ts', tsSource);
    assert.deepEqual(index.entry('store.ts'), first);
  } finally {
    index.dispose();
  }
});

test('the inline context after each keystroke equals the context a fresh engine computes for the same text', async () => {
  const helpers = Array.from({ length: 12 }, (_, i) => `export function helper${i}(x: number): number {\n  return x + ${i};\n}\n`).join('\n');
  const root = filesDir('qwq-incr-ctx-', { 'helpers.ts': helpers, 'store.ts': tsSource.replace("import { readFile } from 'node:fs/promises';", `import { readFile } from 'node:fs/promises';\nimport { ${Array.from({ length: 12 }, (_, i) => `helper${i}`).join(', ')} } from './helpers';`) });
  // No time budget for resolving (the clock must not decide what either engine shows), and both engines
  // with their whole index.
  const options = { cacheDir: false as const, inlineResolveMs: Infinity };
  const live = new ContextEngine(root, options);
  try {
    await live.ready();
    let text = readFileSync(join(root, 'store.ts'), 'utf8');
    const next = editor(99, ['x', '\n', 'helper3(1);\n', '    helper7(helper1(2));\n', '😀', '{', '}', '名']);
    for (let i = 0; i < 40; i++) {
      text = apply(text, next(text));
      const lines = text.split('\n');
      const line = 1 + ((i * 7) % lines.length);
      const column = 1 + Math.min(lines[line - 1].length, 4);
      const got = await live.context({ file: 'store.ts', line, column, budget: 512, text, purpose: 'inline' });
      const fresh = new ContextEngine(root, options);
      try {
        await fresh.ready();
        const want = await fresh.context({ file: 'store.ts', line, column, budget: 512, text, purpose: 'inline' });
        assert.deepEqual(got, want, `keystroke ${i} at ${line}:${column}`);
      } finally {
        fresh.dispose();
      }
    }
  } finally {
    live.dispose();
  }
});

test('a file written to disk with the open document\'s text keeps its live tree (a save is not a reparse)', async () => {
  const root = filesDir('qwq-incr-', { 'store.ts': tsSource });
  const index = new SymbolIndex(root, { cacheDir: false });
  try {
    await index.build();
    const edited = tsSource.replace('return f;', 'return f; // saved');
    await index.setDocumentText('store.ts', edited);
    writeFileSync(join(root, 'store.ts'), edited);
    await index.updateFile('store.ts');
    assert.equal(index.liveText('store.ts'), edited, 'the live document is kept');
    await assertFresh(index, 'store.ts', 'typescript', edited, 'after the save');
    // A change on disk that the editor does not have (another program wrote it) replaces the live document.
    writeFileSync(join(root, 'store.ts'), tsSource);
    await index.updateFile('store.ts');
    assert.equal(index.liveText('store.ts'), undefined);
    assert.deepEqual(index.entry('store.ts'), await analyzeText('typescript', tsSource));
  } finally {
    index.dispose();
  }
});

test('changedSpan finds the one changed span as a character-by-character scan does, across its 512-character steps', () => {
  const naive = (old: string, text: string) => {
    let start = 0;
    while (start < Math.min(old.length, text.length) && old[start] === text[start]) start++;
    let oldEnd = old.length;
    let newEnd = text.length;
    while (oldEnd > start && newEnd > start && old[oldEnd - 1] === text[newEnd - 1]) { oldEnd--; newEnd--; }
    return { start, oldEnd, newEnd };
  };
  let seed = 3;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const base = 'ab'.repeat(700) + tsSource + 'a'.repeat(1500);
  const cases: [string, string][] = [[base, base], ['', base], [base, ''], [base, base + 'a'], ['a' + base, base], [base, base.slice(0, 512) + base.slice(1024)]];
  for (let i = 0; i < 300; i++) {
    const at = rand(base.length + 1);
    const del = rand(1200);
    cases.push([base, base.slice(0, at) + ['', 'a', 'ab', '😀', 'x'.repeat(rand(1100))][rand(5)] + base.slice(Math.min(base.length, at + del))]);
  }
  for (const [old, text] of cases) assert.deepEqual(changedSpan(old, text), naive(old, text));
});

test('a big file changed on disk is analyzed in a worker thread, with the same result as on this thread', async () => {
  const big = Array.from({ length: 60 }, (_, i) => tsSource.replace(/MemoryStore/g, `MemoryStore${i}`).replace(/makeHandler/g, `makeHandler${i}`).replace(/parseInto/g, `parseInto${i}`)).join('\n');
  assert.ok(Buffer.byteLength(big) > 32 * 1024);
  const root = filesDir('qwq-incr-', { 'big.ts': 'export const small = 1;\n' });
  const index = new SymbolIndex(root, { cacheDir: false, workers: 2 });
  // Counts the pool's jobs (each goes on to the real worker).
  const analyze = AnalysisPool.prototype.analyze;
  let pooled = 0;
  AnalysisPool.prototype.analyze = function (...args) { pooled++; return analyze.apply(this, args); };
  try {
    await index.build();
    assert.equal(pooled, 0, 'a one-file build parses here');
    writeFileSync(join(root, 'big.ts'), big);
    await index.updateFile('big.ts');
    assert.equal(pooled, 1, 'the big file went to a worker');
    assert.deepEqual(index.entry('big.ts'), await analyzeText('typescript', big));
    assert.equal(index.definitions('MemoryStore42')[0]?.file, 'big.ts');
  } finally {
    AnalysisPool.prototype.analyze = analyze;
    index.dispose();
  }
});
