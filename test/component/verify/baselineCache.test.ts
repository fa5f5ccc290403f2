// The baseline once per state (src/core/verify/baselineCache.ts): a second task on an unchanged workspace reuses
// the baseline through a new shadow, a change to any judged file invalidates it, nothing is shared between
// workspaces, and the tests cannot forge a cached baseline.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bwrapAvailable, verifyChanges, ShadowWorkspace } from '../../../src/core/verify';
import { baselineStateKey, clearBaselineMemory, lookupBaseline } from '../../../src/core/verify/baselineCache';
import { detectTestCommand } from '../../../src/core/verify/detect';
import { scratchDir } from '../../support/scratchDir';

const fixtures = join(__dirname, '../../fixtures/workspaces');
const cacheDir = scratchDir('qwq-baseline-cache-');
process.env.QWQ_BASELINE_CACHE_DIR = cacheDir;

function nodeFixtureCopy(): string {
  const d = scratchDir('qwq-bcache-node-');
  cpSync(join(fixtures, 'node'), d, { recursive: true });
  return d;
}

function fixChange(d: string): { path: string; before: string; after: string } {
  const cart = readFileSync(join(d, 'src/cart.js'), 'utf8');
  return { path: 'src/cart.js', before: cart, after: cart.replace('sub * discountPercent;', '(sub * discountPercent) / 100;') };
}

beforeEach(() => clearBaselineMemory());

const verifyAll = (d: string, isolation: 'sandbox' | 'fallback') =>
  verifyChanges({ workspace: d, changes: [fixChange(d)], tests: 'all', timeoutMs: 60_000, trusted: true, isolation });

for (const isolation of ['sandbox', 'fallback'] as const) {
  test(`${isolation}: a second task on an unchanged workspace reuses the baseline; a changed source, test or package does not`, async () => {
    if (isolation === 'sandbox') assert.ok(bwrapAvailable(), 'bubblewrap must run here: the sandbox path is under test');
    const d = nodeFixtureCopy();
    const first = await verifyAll(d, isolation);
    assert.equal(first.verdict, 'verified');
    assert.equal(first.baselineCached, false);
    const second = await verifyAll(d, isolation);
    assert.equal(second.verdict, 'verified');
    assert.equal(second.baselineCached, true, 'same content, new shadow: the baseline is reused');
    assert.deepEqual(second.baselineTests, first.baselineTests);

    // A test file changed: its baseline must run again.
    const t = join(d, 'test/cart.test.js');
    writeFileSync(t, `${readFileSync(t, 'utf8')}\n// touched\n`);
    const third = await verifyAll(d, isolation);
    assert.equal(third.baselineCached, false, 'a judged file changed: new baseline');
    // A source file not part of the change.
    const f = join(d, 'src/format.js');
    writeFileSync(f, `${readFileSync(f, 'utf8')}\n// touched\n`);
    assert.equal((await verifyAll(d, isolation)).baselineCached, false);
    // A package reinstalled (npm replaces the folder): the heavy folders' signature changes.
    mkdirSync(join(d, 'node_modules/left-pad'), { recursive: true });
    writeFileSync(join(d, 'node_modules/left-pad/index.js'), 'module.exports = 1;\n');
    assert.equal((await verifyAll(d, isolation)).baselineCached, false, 'a new package in node_modules');
    assert.equal((await verifyAll(d, isolation)).baselineCached, true);
    renameSync(join(d, 'node_modules/left-pad'), join(d, 'node_modules/left-pad.old'));
    mkdirSync(join(d, 'node_modules/left-pad'));
    writeFileSync(join(d, 'node_modules/left-pad/index.js'), 'module.exports = 1;\n');
    assert.equal((await verifyAll(d, isolation)).baselineCached, false, 'a package folder replaced');
  });
}

test('the disk layer: a new process (memory cleared) reuses a sandboxed baseline; a fallback one is never persisted', async () => {
  assert.ok(bwrapAvailable(), 'bubblewrap must run here: the sandbox path is under test');
  const d = nodeFixtureCopy();
  assert.equal((await verifyAll(d, 'sandbox')).baselineCached, false);
  clearBaselineMemory();
  assert.equal((await verifyAll(d, 'sandbox')).baselineCached, true, 'read back from disk');

  const e = nodeFixtureCopy();
  assert.equal((await verifyAll(e, 'fallback')).baselineCached, false);
  clearBaselineMemory();
  assert.equal((await verifyAll(e, 'fallback')).baselineCached, false, 'a run outside the sandbox could have forged its entry: never read from disk');
});

test('never shared between workspaces: the same content in another folder runs its own baseline', async () => {
  const a = nodeFixtureCopy();
  const b = nodeFixtureCopy();
  assert.equal((await verifyAll(a, 'fallback')).baselineCached, false);
  assert.equal((await verifyAll(b, 'fallback')).baselineCached, false);
  const sa = new ShadowWorkspace(a, { isolation: 'fallback' });
  const sb = new ShadowWorkspace(b, { isolation: 'fallback' });
  try {
    await sa.sync(); await sb.sync();
    assert.equal(sa.contentHash(), sb.contentHash(), 'same files');
    const cmd = detectTestCommand(a)!;
    assert.notEqual(baselineStateKey(sa, cmd, { kind: 'all' }), baselineStateKey(sb, cmd, { kind: 'all' }));
    // The environment a runner reads is part of the state.
    assert.notEqual(baselineStateKey(sa, cmd, { kind: 'all' }, { ...process.env, NODE_OPTIONS: '--no-warnings' }), baselineStateKey(sa, cmd, { kind: 'all' }));
    // Another test command is another baseline.
    assert.notEqual(baselineStateKey(sa, { ...cmd, base: `${cmd.base} --test-only` }, { kind: 'all' }), baselineStateKey(sa, cmd, { kind: 'all' }));
  } finally { sa.dispose(); sb.dispose(); }
});

test('attack: a test that writes a forged entry into the cache folder changes nothing', async () => {
  assert.ok(bwrapAvailable(), 'bubblewrap must run here: the sandbox path is under test');
  const d = nodeFixtureCopy();
  // The baseline's own test run tries to plant a "baseline" for every state it can name.
  const pkg = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  pkg.scripts.pretest = `mkdir -p ${cacheDir}/planted && echo '{}' > ${cacheDir}/planted/x.json || true`;
  writeFileSync(join(d, 'package.json'), JSON.stringify(pkg));
  const r = await verifyAll(d, 'sandbox');
  assert.equal(r.verdict, 'verified');
  assert.equal(existsSync(join(cacheDir, 'planted')), false, 'the sandboxed test could not write into our cache folder');
  // Only our own entries (one folder per workspace, files named by their 64-hex key) are there.
  for (const w of readdirSync(cacheDir)) {
    assert.match(w, /^[0-9a-f]{32}$/);
    for (const f of readdirSync(join(cacheDir, w))) assert.match(f, /^[0-9a-f]{64}\.json$/);
  }
  // A tampered entry for another workspace (its folder copied over) is refused: the entry names its workspace.
  const shadow = new ShadowWorkspace(d, { isolation: 'sandbox' });
  try {
    await shadow.sync();
    const key = baselineStateKey(shadow, detectTestCommand(d)!, { kind: 'all' });
    clearBaselineMemory();
    const dir = readdirSync(cacheDir).map((w) => join(cacheDir, w)).find((w) => existsSync(join(w, `${key}.json`)))!;
    assert.ok(dir, 'the run was persisted');
    const entry = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as { workspace: string };
    writeFileSync(join(dir, `${key}.json`), JSON.stringify({ ...entry, workspace: '/elsewhere' }));
    assert.equal(lookupBaseline(shadow, key), undefined);
  } finally { shadow.dispose(); }
});
