// Python byte-code in sandboxed runs (docs/architecture.md §5, "Warm, safe caches"; issue 24): each run writes its
// .pyc files into its own cache (PYTHONPYCACHEPREFIX), a completed baseline keeps them for later runs, and
// nothing lands beside the sources. Before, the runs had the prefix but were forbidden to write, so every run
// compiled every module (pytest's own too) from source: 2.7× the time of running pytest by hand twice on
// node-gyp's gyp suite (bench/verify.bench.ts, real projects). And because a kept .pyc is trusted by
// (mtime, size), an edit of the same size written within the second of the sync must not run the old code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, realpathSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { ShadowWorkspace, verifyChanges } from '../../../src/core/verify';
import { keptCacheDir } from '../../../src/core/verify/runCaches';
import { filesDir, scratchDir } from '../../support/scratchDir';

process.env.QWQ_RUN_CACHE_DIR = scratchDir('qwq-pyc-runcaches-');
process.env.QWQ_BASELINE_CACHE = 'off';

const BROKEN = 'def add(a, b):\n    return a - b\n';
const FIXED = 'def add(a, b):\n    return a + b\n'; // the same size: only the content tells them apart
const workspace = (): string => filesDir('qwq-pyc-ws-', {
  'pytest.ini': '[pytest]\ntestpaths = tests\n',
  'calc.py': BROKEN,
  'tests/test_calc.py': 'import os, sys\nsys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))\nfrom calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n\ndef test_zero():\n    assert add(0, 0) == 0\n',
});

function files(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) files(join(dir, e.name), out); else out.push(join(dir, e.name));
  }
  return out;
}

test('a same-size edit written within the second of the sync gets a later mtime second than the file it replaced', async () => {
  const ws = workspace();
  const shadow = new ShadowWorkspace(ws);
  try {
    await shadow.sync();
    const before = statSync(join(shadow.root, 'calc.py')).mtimeMs;
    await shadow.withChanges([{ path: 'calc.py', before: BROKEN, after: FIXED }], async () => {
      const after = statSync(join(shadow.root, 'calc.py')).mtimeMs;
      assert.ok(Math.floor(after / 1000) > Math.floor(before / 1000), `${after} vs ${before}`);
    });
  } finally { shadow.dispose(); }
});

test('the mirror keeps the source\'s mtimes, so byte-code kept from one shadow is still valid in the next (each CLI verify makes a new one)', async () => {
  const ws = workspace();
  // An old mtime, as a file in a checked-out project has: the mirror's copy must say the same, not its write time.
  utimesSync(join(ws, 'calc.py'), 1_600_000_000, 1_600_000_000);
  const src = statSync(join(ws, 'calc.py')).mtimeMs;
  for (let i = 0; i < 2; i++) {
    const shadow = new ShadowWorkspace(ws);
    try {
      await shadow.sync();
      assert.equal(statSync(join(shadow.root, 'calc.py')).mtimeMs, src, `shadow ${i + 1}`);
      // An edit still lands in a later second than the file it replaced.
      await shadow.withChanges([{ path: 'calc.py', before: BROKEN, after: FIXED }], async () => {
        assert.ok(Math.floor(statSync(join(shadow.root, 'calc.py')).mtimeMs / 1000) > Math.floor(src / 1000));
      });
      // Touched in the workspace without a content change: the mirror follows the new time.
      utimesSync(join(ws, 'calc.py'), 1_600_000_100, 1_600_000_100);
      await shadow.sync();
      assert.equal(statSync(join(shadow.root, 'calc.py')).mtimeMs, 1_600_000_100_000);
      utimesSync(join(ws, 'calc.py'), 1_600_000_000, 1_600_000_000);
    } finally { shadow.dispose(); }
  }
});

test('sandboxed pytest: byte-code goes to the kept cache (pytest\'s own and the workspace\'s), never beside the sources; a same-size fix is verified', async () => {
  const ws = workspace();
  const r = await verifyChanges({ workspace: ws, changes: [{ path: 'calc.py', before: BROKEN, after: FIXED }], tests: 'all', timeoutMs: 120_000, trusted: true, fixFailing: true, isolation: 'sandbox' });
  assert.equal(r.isolation, 'sandbox', r.message);
  assert.equal(r.verdict, 'verified', r.message);
  assert.deepEqual(r.newlyPassing.map((id) => id.split('::').pop()), ['test_add']);
  const kept = join(keptCacheDir(realpathSync(ws)), 'cache', 'pycache');
  const pyc = files(kept).filter((f) => f.endsWith('.pyc'));
  assert.ok(pyc.some((f) => /\/_pytest\/.*\.pyc$/.test(f)), `pytest's own byte-code is kept (${pyc.length} .pyc files)`);
  assert.ok(pyc.some((f) => f.includes(`${realpathSync(ws)}/calc.`)), 'the workspace\'s byte-code is kept, under its own path');
  assert.deepEqual(files(ws).filter((f) => f.includes('__pycache__')), [], 'no __pycache__ in the workspace');
  // A second verify: its baseline reads the kept byte-code in place, and the kept layer still holds it after.
  const again = await verifyChanges({ workspace: ws, changes: [{ path: 'calc.py', before: BROKEN, after: FIXED }], tests: 'all', timeoutMs: 120_000, trusted: true, fixFailing: true, isolation: 'sandbox' });
  assert.equal(again.verdict, 'verified', again.message);
  assert.equal(files(kept).filter((f) => f.endsWith('.pyc')).length, pyc.length, 'the kept byte-code carried over');
});

test('a candidate reads the kept byte-code in place, read-only: an edit cannot write there (and nothing is copied per run)', async () => {
  const ws = workspace();
  // The probe writes only a file of its own name, into this test's throw-away run-cache folder.
  const probe = `${FIXED}\nimport os as _os, sys as _sys\ntry:\n    with open(_os.path.join(_sys.pycache_prefix, 'qwq-probe-planted'), 'w') as _f:\n        _f.write('planted')\n    raise RuntimeError('the candidate could write into the byte-code cache it reads')\nexcept OSError:\n    pass\n`;
  const r = await verifyChanges({ workspace: ws, changes: [{ path: 'calc.py', before: BROKEN, after: probe }], tests: 'all', timeoutMs: 120_000, trusted: true, fixFailing: true, isolation: 'sandbox' });
  assert.equal(r.verdict, 'verified', r.message);
  const kept = join(keptCacheDir(realpathSync(ws)), 'cache', 'pycache');
  assert.deepEqual(files(kept).filter((f) => f.endsWith('qwq-probe-planted')), []);
});
