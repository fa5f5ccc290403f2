// The repo map: PageRank over the reference graph, personalized to the current file and the task's words,
// rendered within a token budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SymbolIndex } from '../../../src/core/context/symbolIndex';
import { buildRepoMap, pagerank, rankDefinitions, words } from '../../../src/core/context/repoMap';
import { renderSnippet } from '../../../src/core/context/pack';
import { estimateTokens } from '../../../src/core/context/tokens';

function workspace(files: Record<string, string>): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'qwq-repomap-'));
  for (const [f, t] of Object.entries(files)) writeFileSync(join(root, f), t);
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

test('pagerank: rank flows along edges and restarts at the personalization', () => {
  // 0 -> 1 -> 2, personalized to 0.
  const edges = new Map([[0, new Map([[1, 1]])], [1, new Map([[2, 1]])]]);
  const r = pagerank(3, edges, Float64Array.from([1, 0, 0]));
  assert.ok(r[0] > r[1] && r[1] > r[2] && r[2] > 0);
  assert.ok(Math.abs(r.reduce((a, b) => a + b, 0) - 1) < 1e-6);
});

test('words: identifiers and phrases split into lower-case words', () => {
  assert.deepEqual(words('parseHTTPRequest_v2'), ['parse', 'http', 'request', 'v2']);
  assert.deepEqual(words('Fix the tokenizer-cache'), ['fix', 'the', 'tokenizer', 'cache']);
});

const files = {
  'core.ts': 'export function coreThing() { return 1; }\nexport class Engine { run() { return coreThing(); } }\n',
  'a.ts': "import { coreThing, Engine } from './core';\nexport function useA() { return coreThing() + new Engine().run(); }\n",
  'b.ts': "import { coreThing } from './core';\nexport function useB() { return coreThing(); }\n",
  'tokenizer.ts': 'export function tokenizeCache(s: string) { return s.split(" "); }\n',
  'lonely.ts': 'export function lonely() { return 0; }\n',
};

test('rank: the most referenced definitions come first; task words and focus files bias the ranking', async () => {
  const ws = workspace(files);
  const index = new SymbolIndex(ws.root, { cacheDir: false });
  try {
    await index.build();
    const plain = rankDefinitions(index, {});
    assert.equal(plain.definitions[0].tag.name, 'coreThing');
    assert.equal(plain.files[0].file, 'core.ts');
    const task = rankDefinitions(index, { taskWords: ['speed up the tokenizer cache'] });
    assert.equal(task.definitions[0].tag.name, 'tokenizeCache');
    const focused = rankDefinitions(index, { focusFiles: ['lonely.ts'] });
    assert.equal(focused.files[0].file, 'lonely.ts');
  } finally {
    index.dispose();
    ws.cleanup();
  }
});

test('render: an outline of signatures within the budget, larger budgets show more', async () => {
  const ws = workspace(files);
  const index = new SymbolIndex(ws.root, { cacheDir: false });
  try {
    await index.build();
    let last = 0;
    for (const budget of [20, 60, 200, 2000]) {
      const map = buildRepoMap(index, { budget });
      assert.ok(map.tokens <= budget);
      assert.equal(map.tokens, map.snippets.reduce((a, s) => a + estimateTokens(renderSnippet(s)), 0));
      const shown = map.snippets.reduce((a, s) => a + s.text.split('\n').length, 0);
      assert.ok(shown >= last);
      last = shown;
    }
    const full = buildRepoMap(index, { budget: 2000 });
    assert.equal(full.snippets[0].path, 'core.ts');
    assert.match(full.snippets[0].text, /1: export function coreThing\(\)/);
    const excluded = buildRepoMap(index, { budget: 2000, exclude: ['core.ts'] });
    assert.ok(!excluded.snippets.some((s) => s.path === 'core.ts'));
  } finally {
    index.dispose();
    ws.cleanup();
  }
});
