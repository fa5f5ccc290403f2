// Accept never writes into .git/, .hg/ or .svn/, nor outside the workspace folder, whatever diff reaches the
// review (the agent refuses such edits first; this is the last check before a WorkspaceEdit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refusedPath, splitPatchByFile } from '../../../src/extension/review/candidatePatch';

test('fault: Accept refuses paths inside version-control folders (any case) and outside the workspace', () => {
  for (const p of ['.git/config', '.GIT/hooks/pre-commit', 'sub/.git/config', '.hg/hgrc', '.svn/entries', 'GIT~1/config', '.git./config']) {
    assert.equal(refusedPath(p)?.kind, 'vcs', p);
  }
  for (const p of ['../x.js', '/etc/passwd', 'C:/x', 'a/../../b']) assert.equal(refusedPath(p)?.kind, 'outside', p);
  for (const p of ['src/a.ts', '.github/workflows/ci.yml', '.gitignore', 'src/target/util.js']) assert.equal(refusedPath(p), undefined, p);
  // A diff as the review sees it: the path comes from the b/ side.
  const [fp] = splitPatchByFile('--- a/.git/config\n+++ b/.git/config\n@@ -1 +1,2 @@\n [core]\n+\tfsmonitor = x\n');
  assert.deepEqual(refusedPath(fp.path), { kind: 'vcs', folder: '.git' });
});
