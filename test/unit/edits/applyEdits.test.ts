import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits, parseEdits, writeChanges, unifiedDiff, type SyntaxErrorCounter } from '../../../src/core/edits';
import { countSyntaxErrors } from '../../../src/core/context/syntax';

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'qwq-edits-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src/a.js'), 'export function a() {\n  return 1;\n}\n');
  writeFileSync(join(root, 'src/b.js'), 'export const b = 2;\n');
  return root;
}

test('edits across several files produce changes in memory and write nothing', async () => {
  const root = workspace();
  try {
    const { blocks } = parseEdits('src/a.js\n<<<<<<< SEARCH\n  return 1;\n=======\n  return 10;\n>>>>>>> REPLACE\n\nsrc/b.js\n<<<<<<< SEARCH\nexport const b = 2;\n=======\nexport const b = 20;\n>>>>>>> REPLACE\n');
    const r = await applyEdits({ workspace: root, blocks });
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.deepEqual(r.changes.map((c) => [c.path, c.after]), [['src/a.js', 'export function a() {\n  return 10;\n}\n'], ['src/b.js', 'export const b = 20;\n']]);
    assert.equal(readFileSync(join(root, 'src/a.js'), 'utf8'), 'export function a() {\n  return 1;\n}\n', 'nothing written before writeChanges');
    assert.match(unifiedDiff(r.changes), /--- a\/src\/a\.js\n\+\+\+ b\/src\/a\.js\n@@ -1,3 \+1,3 @@\n export function a\(\) \{\n-  return 1;\n\+  return 10;/);
    await writeChanges(root, r.changes);
    assert.equal(readFileSync(join(root, 'src/b.js'), 'utf8'), 'export const b = 20;\n');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('overlays (unsaved editor text) win over the file on disk', async () => {
  const root = workspace();
  try {
    const r = await applyEdits({ workspace: root, overlays: new Map([['src/b.js', 'export const b = 3;\n']]), blocks: [{ path: 'src/b.js', search: 'export const b = 3;\n', replace: 'export const b = 4;\n' }] });
    assert.ok(r.ok);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('paths outside the workspace are refused: ../, absolute, symlink escapes; nothing is written', async () => {
  const root = workspace();
  const outside = mkdtempSync(join(tmpdir(), 'qwq-outside-'));
  try {
    writeFileSync(join(outside, 'secret.txt'), 'x\n');
    symlinkSync(outside, join(root, 'link'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'src/file-link.txt'));
    for (const path of ['../secret.txt', 'src/../../secret.txt', join(outside, 'secret.txt'), '/etc/passwd', 'link/secret.txt', 'link/new.txt', 'src/file-link.txt']) {
      const r = await applyEdits({ workspace: root, blocks: [{ path, search: 'x\n', replace: 'y\n' }] });
      assert.equal(r.ok, false, path);
      if (r.ok) continue;
      assert.equal(r.failures[0].reason, 'outside-workspace', path);
      assert.match(r.failures[0].message, /refused/);
    }
    await assert.rejects(writeChanges(root, [{ path: 'link/secret.txt', before: 'x\n', after: 'y\n' }]), /symbolic link/);
    assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), 'x\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('a binary target is refused', async () => {
  const root = workspace();
  try {
    writeFileSync(join(root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    const r = await applyEdits({ workspace: root, blocks: [{ path: 'logo.png', search: 'PNG\n', replace: 'JPG\n' }] });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.failures[0].reason, 'binary');
      assert.match(r.failures[0].message, /binary file/);
    }
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('a block without a path is malformed', async () => {
  const root = workspace();
  try {
    const r = await applyEdits({ workspace: root, blocks: [{ search: 'a\n', replace: 'b\n' }] });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.failures[0].reason, 'malformed');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('tree-sitter re-parse rejects an edit that adds syntax errors, not one that keeps existing ones', async () => {
  const root = workspace();
  try {
    const broken = await applyEdits({ workspace: root, countSyntaxErrors, blocks: [{ path: 'src/a.js', search: '  return 1;\n}\n', replace: '  return (1;\n' }] });
    assert.equal(broken.ok, false);
    if (!broken.ok) {
      assert.equal(broken.failures[0].reason, 'syntax-error');
      assert.match(broken.failures[0].message, /adds syntax errors/);
    }
    const fine = await applyEdits({ workspace: root, countSyntaxErrors, blocks: [{ path: 'src/a.js', search: '  return 1;\n', replace: '  return 1 + 1;\n' }] });
    assert.ok(fine.ok);
    // A file that already had errors: an edit elsewhere that adds none is accepted.
    writeFileSync(join(root, 'src/c.js'), 'const x = (;\nconst y = 1;\n');
    const keeps = await applyEdits({ workspace: root, countSyntaxErrors, blocks: [{ path: 'src/c.js', search: 'const y = 1;\n', replace: 'const y = 2;\n' }] });
    assert.ok(keeps.ok);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('the syntax counter is injected: unknown languages (undefined) are not blocked', async () => {
  const root = workspace();
  try {
    const scripted: SyntaxErrorCounter = async () => undefined;
    const r = await applyEdits({ workspace: root, countSyntaxErrors: scripted, blocks: [{ path: 'notes.txt', search: '', replace: '((( \n' }] });
    assert.ok(r.ok);
    if (r.ok) assert.deepEqual(r.changes[0], { path: 'notes.txt', before: undefined, after: '((( \n' });
    assert.equal(existsSync(join(root, 'notes.txt')), false);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('a unified diff deleting a file yields a deleted change', async () => {
  const root = workspace();
  try {
    const { blocks } = parseEdits('--- a/src/b.js\n+++ /dev/null\n@@ -1 +0,0 @@\n-export const b = 2;\n');
    const r = await applyEdits({ workspace: root, blocks });
    assert.ok(r.ok);
    if (r.ok) assert.equal(r.changes[0].deleted, true);
  } finally { rmSync(root, { recursive: true, force: true }); }
});
