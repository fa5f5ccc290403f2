// The keystroke path (engine.ts, purpose 'inline'): definitions capped, no repo map or import lines, and a result
// reused for the same document version and cursor, recomputed after an edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextEngine, inlineMaxDefinitions } from '../../../src/core/context/engine';

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'qwq-inline-'));
  // 20 helpers, all called from one function: an agent request resolves them all, an inline one a few.
  const helpers = Array.from({ length: 20 }, (_, i) => `export function helper${i}(x: number): number {\n  return x + ${i};\n}\n`).join('\n');
  writeFileSync(join(root, 'helpers.ts'), helpers);
  const calls = Array.from({ length: 20 }, (_, i) => `  total += helper${i}(total);`).join('\n');
  writeFileSync(join(root, 'main.ts'), `import { ${Array.from({ length: 20 }, (_, i) => `helper${i}`).join(', ')} } from './helpers';\n\nexport function run(): number {\n  let total = 0;\n${calls}\n  return total;\n}\n`);
  writeFileSync(join(root, 'other.ts'), 'export class Unrelated {\n  method(): void {}\n}\n');
  return root;
}

test('inline: at most inlineMaxDefinitions definitions, no imports or repo map; an agent request gets them all', async () => {
  const root = workspace();
  const engine = new ContextEngine(root, { cacheDir: false });
  try {
    const agent = await engine.context({ file: 'main.ts', line: 10, column: 3, budget: 4096 });
    assert.equal(agent.snippets.filter((s) => s.kind === 'definition').length, 20);
    assert.ok(agent.snippets.some((s) => s.kind === 'import' || s.kind === 'repomap'));
    const inline = await engine.context({ file: 'main.ts', line: 10, column: 3, budget: 4096, purpose: 'inline' });
    const defs = inline.snippets.filter((s) => s.kind === 'definition');
    assert.ok(defs.length > 0 && defs.length <= inlineMaxDefinitions, `${defs.length} definitions`);
    assert.deepEqual(inline.snippets.filter((s) => s.kind === 'import' || s.kind === 'repomap'), []);
    // Nearest the cursor first: line 10 calls helper5, which is kept.
    assert.ok(defs.some((d) => d.symbol === 'helper5'));
  } finally { engine.dispose(); rmSync(root, { recursive: true, force: true }); }
});

test('inline: the same version and cursor reuse the result; an edit (a new version) recomputes it', async () => {
  const root = workspace();
  const engine = new ContextEngine(root, { cacheDir: false });
  try {
    const text = (await import('node:fs')).readFileSync(join(root, 'main.ts'), 'utf8');
    const a = await engine.context({ file: 'main.ts', line: 10, column: 3, budget: 512, text, purpose: 'inline' });
    const b = await engine.context({ file: 'main.ts', line: 10, column: 3, budget: 512, text, purpose: 'inline' });
    assert.deepEqual(b, a);
    assert.strictEqual(b.snippets[0], a.snippets[0], 'the cached snippets themselves');
    b.snippets.pop(); // a caller changing its copy does not change the cache
    assert.equal((await engine.context({ file: 'main.ts', line: 10, column: 3, budget: 512, text, purpose: 'inline' })).snippets.length, a.snippets.length);
    const edited = text.replace('total += helper7(total);', 'total += helper7(total) * 2;');
    const c = await engine.context({ file: 'main.ts', line: 10, column: 3, budget: 512, text: edited, purpose: 'inline' });
    assert.notStrictEqual(c.snippets[0], a.snippets[0], 'a new version is computed afresh');
    assert.match(c.snippets[0].text, /helper7\(total\) \* 2/);
  } finally { engine.dispose(); rmSync(root, { recursive: true, force: true }); }
});

test('an anonymous function with no named definition around it is the scope (`const make = gen(function* () { … })`)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'qwq-anon-'));
  writeFileSync(join(root, 'lib.ts'), 'export function gen<T>(f: () => Generator<T>): T { return f().next().value as T; }\nexport function farAway(): number {\n  return 1;\n}\n');
  const filler = Array.from({ length: 40 }, (_, i) => `  const v${i} = ${i};`).join('\n');
  writeFileSync(join(root, 'main.ts'), `import { gen, farAway } from './lib';\n\nexport const make = gen(function* () {\n  const first = 0;\n${filler}\n  yield farAway();\n});\n`);
  const engine = new ContextEngine(root, { cacheDir: false });
  try {
    // The cursor on the generator's first statement: farAway is called 41 lines below, beyond a ±20-line window.
    const packed = await engine.context({ file: 'main.ts', line: 4, column: 3, budget: 4096 });
    assert.equal(packed.snippets[0].kind, 'scope');
    assert.equal(packed.snippets[0].startLine, 3, 'the generator is the scope');
    assert.ok(packed.snippets.some((s) => s.kind === 'definition' && s.symbol === 'farAway' && s.path === 'lib.ts'));
  } finally { engine.dispose(); rmSync(root, { recursive: true, force: true }); }
});

test('inline: a request does not wait for the workspace index; it uses the open file and what is indexed so far', async () => {
  const root = workspace();
  // Enough files that the build takes many turns of the event loop.
  for (let i = 0; i < 300; i++) writeFileSync(join(root, `filler${i}.ts`), `export function filler${i}(a: number): number {\n  return a * ${i};\n}\n`);
  const engine = new ContextEngine(root, { cacheDir: false, workers: 0 });
  try {
    const text = (await import('node:fs')).readFileSync(join(root, 'main.ts'), 'utf8');
    let built = false;
    const first = await engine.context({ file: 'main.ts', line: 10, column: 3, budget: 512, text, purpose: 'inline' });
    void engine.ready().then(() => { built = true; });
    await Promise.resolve();
    assert.equal(built, false, 'the inline request returned while the index was still being built');
    assert.equal(first.snippets[0].kind, 'scope', 'the open file is analyzed on the keystroke path');
    assert.equal(first.snippets[0].symbol, 'run');
    await engine.ready();
    // Once indexed, the next version of the document gets the definitions from other files.
    const later = await engine.context({ file: 'main.ts', line: 10, column: 3, budget: 512, text: `${text}\n`, purpose: 'inline' });
    assert.ok(later.snippets.some((s) => s.kind === 'definition' && s.path === 'helpers.ts'));
  } finally { engine.dispose(); rmSync(root, { recursive: true, force: true }); }
});
