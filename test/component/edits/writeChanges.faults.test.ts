// Fault: a batch of accepted changes is written all or nothing. When one write fails part-way (a full disk),
// the files already written are put back and the failing one is untouched. Mounts a tiny tmpfs (root, as in
// most containers), or without root makes the second folder unwritable: either way the second write fails
// after the checks passed. Spawns `mount`, so it is a component test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits, writeChanges } from '../../../src/core/edits';

test('fault: when the second file of a batch cannot be written, the first is restored and the second untouched', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'qwq-writechanges-faults-'));
  const small = join(root, 'small');
  mkdirSync(small);
  const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small]).status === 0;
  t.after(() => {
    if (mounted) spawnSync('umount', [small]);
    else chmodSync(small, 0o755);
    rmSync(root, { recursive: true, force: true });
  });
  writeFileSync(join(root, 'a.txt'), 'a = 1\n');
  const big = Buffer.concat([Buffer.from('b = 1\n'), Buffer.alloc(30_000, 'padding\n')]);
  writeFileSync(join(small, 'b.txt'), big);
  const r = await applyEdits({ workspace: root, blocks: [
    { path: 'a.txt', search: 'a = 1\n', replace: 'a = 2\n' },
    { path: 'small/b.txt', search: 'b = 1\n', replace: `b = 2\n${'more\n'.repeat(9000)}` },
  ] });
  assert.ok(r.ok);
  if (!r.ok) return;
  if (!mounted) chmodSync(small, 0o555);
  await assert.rejects(writeChanges(root, r.changes), (e: Error) => {
    assert.match(e.message, /^not written: small\/b\.txt: (ENOSPC|EACCES): [^:]/);
    assert.match(e.message, /the files already written were restored/);
    return true;
  });
  assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'a = 1\n', 'the first file is back as it was');
  assert.deepEqual(readFileSync(join(small, 'b.txt')), big, 'the second file is untouched');
  assert.deepEqual(readdirSync(small), ['b.txt'], 'no temporary file left');
  assert.deepEqual(readdirSync(root).sort(), ['a.txt', 'small']);
});
