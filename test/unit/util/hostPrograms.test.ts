// Host programs started on a workspace (git for the listing, bwrap for a run): found outside the workspace and the
// shadows' folder, and given only the PATH entries they may come from (core/util/hostPrograms.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostProgramFor, trustedPathVar, workspaceControlled } from '../../../src/core/util/hostPrograms';

test('trustedPathVar keeps the absolute entries outside the workspace, node_modules and the shadows\' folder, in order', () => {
  const path = ['.', '', 'node_modules/.bin', '/home/u/app/bin', '/usr/local/bin', '/home/u/lib/node_modules/.bin', '/tmp/x/bin', '/usr/bin', '/usr/local/bin/'].join(':');
  assert.equal(trustedPathVar(workspaceControlled('/home/u/app', '/tmp'), path), '/usr/local/bin:/usr/bin');
  assert.equal(trustedPathVar(workspaceControlled('/home/u/app', '/tmp'), ''), '', 'an empty PATH stays empty (not the current folder)');
  assert.deepEqual(workspaceControlled(undefined, '/tmp'), ['/tmp']);
});

test('hostProgramFor skips the workspace (also named through a link to it) and the shadows\' folder (the system temp folder)', () => {
  const d = realpathSync(mkdtempSync(join(tmpdir(), 'qwq-hostprog-unit-')));
  const savedTmp = process.env.TMPDIR;
  try {
    const ws = join(d, 'ws');
    const shadows = join(d, 'shadows');
    const dirs = { ws: join(ws, 'bin'), shadow: join(shadows, 'qwq-shadow-1', 'bin'), good: join(d, 'tools') };
    for (const x of Object.values(dirs)) {
      mkdirSync(x, { recursive: true });
      writeFileSync(join(x, 'git'), '#!/bin/sh\n');
      chmodSync(join(x, 'git'), 0o755);
    }
    symlinkSync(ws, join(d, 'ws-link'));
    process.env.TMPDIR = shadows;
    const path = [dirs.ws, dirs.shadow, dirs.good].join(':');
    assert.equal(hostProgramFor('git', ws, path), join(dirs.good, 'git'));
    assert.equal(hostProgramFor('git', join(d, 'ws-link'), path), join(dirs.good, 'git'), 'the workspace named through a link');
    assert.equal(hostProgramFor('git', ws, [dirs.ws, dirs.shadow].join(':')), undefined, 'none trusted: none (the caller goes on without git)');
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = savedTmp;
    rmSync(d, { recursive: true, force: true });
  }
});
