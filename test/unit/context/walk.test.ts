// The walker outside git: .gitignore rules as git applies them (a nested `!negation` overrides a parent's
// pattern), .git/info/exclude, and maxFiles keeping the first-named folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isIgnoredPath, walkWorkspace } from '../../../src/core/context/walk';

function workspace(files: Record<string, string>): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'qwq-walk-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

const list = async (root: string, maxFiles?: number) => (await walkWorkspace(root, { git: false, maxFiles })).files.map((f) => f.rel);

test('a nested .gitignore can re-include with !pattern what a parent ignores', async () => {
  const ws = workspace({
    '.gitignore': '*.log\ngen/\n',
    'a.log': 'x',
    'src/.gitignore': '!keep.log\n',
    'src/keep.log': 'x',
    'src/drop.log': 'x',
    'src/main.ts': 'x',
    'gen/out.ts': 'x',
  });
  try {
    assert.deepEqual(await list(ws.root), ['.gitignore', 'src/.gitignore', 'src/keep.log', 'src/main.ts']);
    assert.equal(await isIgnoredPath(ws.root, 'src/keep.log'), false);
    assert.equal(await isIgnoredPath(ws.root, 'src/drop.log'), true);
    assert.equal(await isIgnoredPath(ws.root, 'gen/out.ts'), true);
    assert.equal(await isIgnoredPath(ws.root, 'node_modules/x/index.ts'), true);
  } finally {
    ws.cleanup();
  }
});

test('.git/info/exclude is read; a .gitignore negation beats it', async () => {
  const ws = workspace({ '.git/info/exclude': 'secret.ts\n*.tmp.ts\n', '.gitignore': '!keep.tmp.ts\n', 'secret.ts': 'x', 'a.tmp.ts': 'x', 'keep.tmp.ts': 'x', 'main.ts': 'x' });
  try {
    assert.deepEqual(await list(ws.root), ['.gitignore', 'keep.tmp.ts', 'main.ts']);
    assert.equal(await isIgnoredPath(ws.root, 'secret.ts'), true);
  } finally {
    ws.cleanup();
  }
});

test('maxFiles keeps the first-named folders, depth first', async () => {
  const files: Record<string, string> = {};
  for (const d of ['a', 'b', 'c', 'd']) for (const f of ['1', '2', '3']) files[`${d}/${f}.ts`] = 'x';
  files['a/z/deep.ts'] = 'x';
  const ws = workspace(files);
  try {
    assert.deepEqual(await list(ws.root, 5), ['a/1.ts', 'a/2.ts', 'a/3.ts', 'a/z/deep.ts', 'b/1.ts']);
  } finally {
    ws.cleanup();
  }
});
