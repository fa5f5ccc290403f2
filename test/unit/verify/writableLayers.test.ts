// The node_modules layer and the kept caches (docs/architecture.md §5, "Isolation"), on real folders: what a run
// can write is a scratch copy; what it cannot is bound read-only; only a baseline hands caches on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeModulesLayer } from '../../../src/core/verify/writableLayers';
import { keepRunCaches, keptCacheDir, seedRunCaches } from '../../../src/core/verify/runCaches';

test('a node_modules layer: packages bound read-only, top-level files copied, links recreated, cache folders copied writable', () => {
  const d = mkdtempSync(join(tmpdir(), 'qwq-layer-'));
  try {
    const nm = join(d, 'user/node_modules');
    for (const p of ['dep', '@scope/x', '.bin', '.cache/nyc', '.pnpm/dep@1/node_modules/dep']) mkdirSync(join(nm, p), { recursive: true });
    writeFileSync(join(nm, '.package-lock.json'), '{}');
    writeFileSync(join(nm, '.cache/nyc/old.json'), 'user cache');
    symlinkSync('.pnpm/dep@1/node_modules/dep', join(nm, 'linked'));
    const mounts = nodeModulesLayer(nm, '/w/node_modules', join(d, 'scratch'));
    assert.deepEqual(mounts, [
      { src: join(d, 'scratch'), dest: '/w/node_modules', ro: false },
      { src: nm, dest: '/w/node_modules/.qwq-packages', ro: true },
    ], 'the scratch top level writable, then the user\'s folder read-only inside it: two mounts, however many packages');
    for (const p of ['dep', '@scope', '.bin', '.pnpm']) assert.equal(readlinkSync(join(d, 'scratch', p)), `.qwq-packages/${p}`, p);
    assert.equal(readFileSync(join(d, 'scratch/.package-lock.json'), 'utf8'), '{}');
    assert.equal(readlinkSync(join(d, 'scratch/linked')), '.pnpm/dep@1/node_modules/dep');
    assert.equal(readFileSync(join(d, 'scratch/.cache/nyc/old.json'), 'utf8'), 'user cache', 'starts from the user\'s cache');
    writeFileSync(join(d, 'scratch/.cache/nyc/old.json'), 'changed by a run');
    assert.equal(readFileSync(join(nm, '.cache/nyc/old.json'), 'utf8'), 'user cache', 'a copy, not the user\'s file');
    assert.ok(lstatSync(join(d, 'scratch/.cache')).isDirectory(), 'the cache folder is a real, writable folder');
    // What a run does at the top level is undone by the next call: an added folder, a replaced link, a removed one.
    mkdirSync(join(d, 'scratch/.vite'));
    rmSync(join(d, 'scratch/dep'));
    mkdirSync(join(d, 'scratch/dep'));
    writeFileSync(join(d, 'scratch/dep/index.js'), 'planted');
    rmSync(join(d, 'scratch/@scope'));
    symlinkSync('.cache/nyc', join(d, 'scratch/@scope'));
    nodeModulesLayer(nm, '/w/node_modules', join(d, 'scratch'));
    for (const p of ['dep', '@scope']) assert.equal(readlinkSync(join(d, 'scratch', p)), `.qwq-packages/${p}`, p);
    assert.equal(existsSync(join(d, 'scratch/.vite')), false);
    assert.equal(readFileSync(join(d, 'scratch/.cache/nyc/old.json'), 'utf8'), 'user cache', 'the cache starts again from the user\'s');
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('kept caches: per workspace, seeded as copies, replaced only by keepRunCaches (a baseline)', () => {
  const d = mkdtempSync(join(tmpdir(), 'qwq-kept-'));
  try {
    const env = { QWQ_RUN_CACHE_DIR: join(d, 'kept') };
    const a = keptCacheDir('/work/a', env);
    assert.notEqual(a, keptCacheDir('/work/b', env), 'never shared between workspaces');
    const run1 = { cache: join(d, 'r1/cache'), tmp: join(d, 'r1/tmp') };
    assert.deepEqual(seedRunCaches(a, run1), { warm: false, nm: undefined }, 'nothing kept yet: cold');
    mkdirSync(join(run1.cache, 'go-build'), { recursive: true });
    writeFileSync(join(run1.cache, 'go-build/entry'), 'compiled');
    mkdirSync(join(run1.tmp, 'jest_0'), { recursive: true });
    writeFileSync(join(run1.tmp, 'jest_0/haste'), 'map');
    keepRunCaches(a, { ...run1, nm: [] });
    const run2 = { cache: join(d, 'r2/cache'), tmp: join(d, 'r2/tmp') };
    mkdirSync(run2.tmp, { recursive: true });
    assert.equal(seedRunCaches(a, run2).warm, true);
    assert.equal(readFileSync(join(run2.cache, 'go-build/entry'), 'utf8'), 'compiled');
    assert.equal(readFileSync(join(run2.tmp, 'jest_0/haste'), 'utf8'), 'map');
    // A run (a candidate) writes its copy: the kept layer does not change.
    writeFileSync(join(run2.cache, 'go-build/entry'), 'planted');
    writeFileSync(join(run2.cache, 'go-build/new'), 'planted');
    assert.equal(readFileSync(join(a, 'cache/go-build/entry'), 'utf8'), 'compiled');
    assert.equal(existsSync(join(a, 'cache/go-build/new')), false);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
