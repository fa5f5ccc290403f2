// Run folders carry their owner's pid: a sweep removes those whose owner is gone, and only those.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER_FILE, sweepStaleRuns, writeOwnerFile } from '../../../src/core/verify';
import { scratchDir } from '../../support/scratchDir';

test('sweep removes run folders of dead owners, keeps live ones and young folders without an owner', () => {
  const parent = scratchDir('qwq-sweep-');
  const dead = spawnSync('true').pid!; // a process that has exited: its pid names no live process of ours
  const mk = (name: string, pid?: number): string => {
    const d = join(parent, name);
    mkdirSync(join(d, 'ws/sub'), { recursive: true });
    writeFileSync(join(d, 'ws/sub/f'), 'x');
    if (pid !== undefined) writeOwnerFile(d, { pid });
    return d;
  };
  const gone = mk('qwq-shadow-dead', dead);
  const goneResults = mk('qwq-results-dead', dead);
  const mine = mk('qwq-shadow-mine', process.pid);
  const parentsPid = mk('qwq-results-live', process.ppid);
  const ownerless = mk('qwq-shadow-old-format');
  const other = mk('not-ours', dead);
  const r = sweepStaleRuns(parent);
  assert.deepEqual(r.removed.sort(), [gone, goneResults].sort());
  for (const d of [mine, parentsPid, ownerless, other]) assert.ok(existsSync(d), d);
  assert.ok(existsSync(join(mine, OWNER_FILE)));
  // An owner-less folder older than the limit is swept too.
  assert.deepEqual(sweepStaleRuns(parent, { maxOwnerlessAgeMs: -1 }).removed, [ownerless]);
});
