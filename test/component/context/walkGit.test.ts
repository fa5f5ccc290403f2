// In a git repository the listing is git's own: tracked plus untracked files, minus what git ignores
// (.gitignore at every level, .git/info/exclude), a tracked file deleted from the work tree left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { walkWorkspace } from '../../../src/core/context/walk';

test('git ls-files -co --exclude-standard decides, in the repository and in a subfolder of it', async () => {
  const root = mkdtempSync(join(tmpdir(), 'qwq-walk-git-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: root });
  const files: Record<string, string> = {
    '.gitignore': '*.log\n',
    'src/.gitignore': '!keep.log\n',
    'src/keep.log': 'x',
    'src/drop.log': 'x',
    'src/main.ts': 'x',
    'src/gone.ts': 'x',
    'tracked-ignored.log': 'x',
    'excluded.ts': 'x',
    'untracked.ts': 'x',
  };
  try {
    git('init', '-q');
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    writeFileSync(join(root, '.git/info/exclude'), 'excluded.ts\n');
    git('add', '.gitignore', 'src/.gitignore', 'src/main.ts', 'src/gone.ts');
    git('add', '-f', 'tracked-ignored.log');
    git('commit', '-qm', 'init');
    rmSync(join(root, 'src/gone.ts'));
    const rels = (await walkWorkspace(root)).files.map((f) => f.rel);
    // A tracked file stays listed even though a pattern matches it, as git does.
    assert.deepEqual(rels, ['.gitignore', 'src/.gitignore', 'src/keep.log', 'src/main.ts', 'tracked-ignored.log', 'untracked.ts']);
    const sub = (await walkWorkspace(join(root, 'src'))).files.map((f) => f.rel);
    assert.deepEqual(sub, ['.gitignore', 'keep.log', 'main.ts']);
    // The walker (git off) agrees except for the tracked-but-ignored file, which only git knows is tracked.
    const walked = (await walkWorkspace(root, { git: false })).files.map((f) => f.rel);
    assert.deepEqual(walked, ['.gitignore', 'src/.gitignore', 'src/keep.log', 'src/main.ts', 'untracked.ts']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
