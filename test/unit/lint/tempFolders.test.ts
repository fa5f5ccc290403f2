// A test run leaves nothing in the temp folder: a test file that makes a temp folder (mkdtemp) also removes it
// (rmSync, usually in an after hook) or makes it through test/support/scratchDir.ts, which removes it when the
// test process exits. scripts/test.mjs names on each tier's line what a tier left in its TMPDIR all the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../../../scripts/package.mjs';
import { findFiles } from '../../../scripts/test.mjs';

/** The files among `files` that make a temp folder and never remove one. */
function leavesTempFolders(files: Array<{ path: string; text: string }>): string[] {
  return files.filter(({ text }) => /\bmkdtemp(Sync)?\(/.test(text) && !/\brmSync\(|\brm\(|\bscratchDir\(|\bfilesDir\(/.test(text)).map((f) => f.path);
}

test('a test file that makes a temp folder removes it, or makes it through scratchDir', () => {
  const files = ['.ts', '.mjs'].flatMap((ext) => findFiles('test', ext))
    .filter((p) => !p.startsWith('test/fixtures/') && p !== 'test/support/scratchDir.ts')
    .map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
  assert.ok(files.length > 100, `read the test tree (${files.length} files)`);
  assert.deepEqual(leavesTempFolders(files), []);
});

test('the check sees a file that makes a temp folder and leaves it', () => {
  assert.deepEqual(leavesTempFolders([
    { path: 'leaves.test.ts', text: "const d = mkdtempSync(join(tmpdir(), 'x-'));" },
    { path: 'removes.test.ts', text: "const d = mkdtempSync(join(tmpdir(), 'x-'));\nafter(() => rmSync(d, { recursive: true }));" },
    { path: 'scratch.test.ts', text: "const d = scratchDir('x-');" },
  ]), ['leaves.test.ts']);
});
