import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync, existsSync, lstatSync, utimesSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShadowWorkspace } from '../../../src/core/verify';

const made: string[] = [];
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

function ws(): string {
  const d = mkdtempSync(join(tmpdir(), 'qwq-shadow-src-'));
  made.push(d);
  mkdirSync(join(d, 'src'));
  mkdirSync(join(d, 'node_modules/dep'), { recursive: true });
  mkdirSync(join(d, '.git'));
  writeFileSync(join(d, 'src/a.js'), 'a\n');
  writeFileSync(join(d, 'src/b.js'), 'b\n');
  writeFileSync(join(d, 'node_modules/dep/index.js'), 'dep\n');
  writeFileSync(join(d, '.git/HEAD'), 'ref\n');
  return d;
}

test('mirrors the workspace, never links heavy folders writably, skips .git, and cleans up on dispose', async () => {
  const src = ws();
  const s = new ShadowWorkspace(src, { isolation: 'copy' });
  const stats = await s.sync();
  assert.equal(stats.copied, 3);
  assert.equal(readFileSync(join(s.root, 'src/a.js'), 'utf8'), 'a\n');
  // The copy mode: heavy folders are copied, never hard-linked or symlinked: nothing shared with the user's files.
  assert.ok(lstatSync(join(s.root, 'node_modules')).isDirectory());
  assert.notEqual(lstatSync(join(s.root, 'node_modules/dep/index.js')).ino, lstatSync(join(src, 'node_modules/dep/index.js')).ino);
  assert.equal(s.isolationKind, 'copy');
  assert.equal(existsSync(join(s.root, '.git')), false);
  const root = s.root;
  s.dispose();
  assert.equal(existsSync(root), false);
  assert.equal(existsSync(join(src, 'src/a.js')), true, 'the workspace is untouched');
});

test('warm sync copies only what changed, removes deleted files, and takes overlays', async () => {
  const src = ws();
  const s = new ShadowWorkspace(src);
  try {
    await s.sync();
    const h1 = s.contentHash();
    const idle = await s.sync();
    assert.equal(idle.copied, 0);
    assert.equal(idle.hashed, 0, 'unchanged mtime/size: not even read');
    writeFileSync(join(src, 'src/a.js'), 'A changed\n');
    rmSync(join(src, 'src/b.js'));
    const after = await s.sync();
    assert.deepEqual([after.copied, after.removed], [1, 1]);
    assert.equal(readFileSync(join(s.root, 'src/a.js'), 'utf8'), 'A changed\n');
    assert.equal(existsSync(join(s.root, 'src/b.js')), false);
    assert.notEqual(s.contentHash(), h1);
    // Touched but identical content: hashed, not copied.
    utimesSync(join(src, 'src/a.js'), new Date(), new Date(Date.now() + 5000));
    const touched = await s.sync();
    assert.deepEqual([touched.hashed, touched.copied], [1, 0]);
    // Unsaved editor text wins; without the overlay the disk text comes back.
    await s.sync(new Map([['src/a.js', 'unsaved\n'], ['src/new.js', 'new\n']]));
    assert.equal(readFileSync(join(s.root, 'src/a.js'), 'utf8'), 'unsaved\n');
    assert.equal(readFileSync(join(s.root, 'src/new.js'), 'utf8'), 'new\n');
    await s.sync();
    assert.equal(readFileSync(join(s.root, 'src/a.js'), 'utf8'), 'A changed\n');
    assert.equal(existsSync(join(s.root, 'src/new.js')), false);
  } finally { s.dispose(); }
});

test('withChanges applies changes in the mirror only, then the next sync restores it', async () => {
  const src = ws();
  const s = new ShadowWorkspace(src);
  try {
    await s.sync();
    const seen = await s.withChanges([{ path: 'src/a.js', before: 'a\n', after: 'edited\n' }, { path: 'src/c.js', before: undefined, after: 'c\n' }, { path: 'src/b.js', before: 'b\n', after: '', deleted: true }], async () =>
      [readFileSync(join(s.root, 'src/a.js'), 'utf8'), existsSync(join(s.root, 'src/c.js')), existsSync(join(s.root, 'src/b.js'))]);
    assert.deepEqual(seen, ['edited\n', true, false]);
    assert.equal(readFileSync(join(src, 'src/a.js'), 'utf8'), 'a\n');
    assert.equal(existsSync(join(src, 'src/c.js')), false);
    await s.sync();
    assert.equal(readFileSync(join(s.root, 'src/a.js'), 'utf8'), 'a\n');
    assert.equal(existsSync(join(s.root, 'src/b.js')), true);
    assert.equal(existsSync(join(s.root, 'src/c.js')), false);
  } finally { s.dispose(); }
});

test('withChanges refuses paths that leave the mirror', async () => {
  const s = new ShadowWorkspace(ws());
  try {
    await s.sync();
    await assert.rejects(s.withChanges([{ path: '../escape.txt', before: undefined, after: 'x\n' }], async () => 1), /outside the workspace/);
    assert.equal(existsSync(join(s.root, '..', 'escape.txt')), false);
  } finally { s.dispose(); }
});
