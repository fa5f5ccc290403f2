// A workspace's node_modules view (writableLayers.ts: one link per package) waits between shadows beside the
// kept caches (runCaches.ts keptViewDir), so a new shadow (every CLI verify) takes it instead of making every link
// again. What a run changed in it is repaired before the next run, in the next shadow too: the tampering below
// (a package link replaced by a folder, a stray file, a cache folder) never reaches it. Throw-away folders only.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ShadowWorkspace, bwrapAvailable, detectTestCommand, runTests } from '../../../src/core/verify';
import { keptCacheDir, keptViewDir } from '../../../src/core/verify/runCaches';

const dir = mkdtempSync(join(tmpdir(), 'qwq-kept-view-'));
const savedCacheDir = process.env.QWQ_RUN_CACHE_DIR;
before(() => { process.env.QWQ_RUN_CACHE_DIR = join(dir, 'run-caches'); });
after(() => {
  if (savedCacheDir === undefined) delete process.env.QWQ_RUN_CACHE_DIR; else process.env.QWQ_RUN_CACHE_DIR = savedCacheDir;
  rmSync(dir, { recursive: true, force: true });
});

const sandboxed = bwrapAvailable();

function workspace(name: string): string {
  const ws = join(dir, name);
  for (const p of ['alpha', 'beta']) {
    mkdirSync(join(ws, 'node_modules', p), { recursive: true });
    writeFileSync(join(ws, 'node_modules', p, 'index.js'), `module.exports = '${p}';\n`);
  }
  writeFileSync(join(ws, 'package.json'), '{"name":"w","version":"1.0.0"}\n');
  return ws;
}

/** What a run sees of node_modules: its names, where beta links to, and whether a stray file or evil code shows. */
const LOOK = "ls -A node_modules | tr '\\n' ' '; echo; readlink node_modules/beta; node -e \"console.log(require('beta'))\"; test -e node_modules/stray && echo STRAY; test -e node_modules/beta/evil.js && echo EVIL; true";

async function look(shadow: ShadowWorkspace, ws: string): Promise<string> {
  await shadow.sync();
  const r = await runTests(shadow.root, detectTestCommand(ws, LOOK)!, { kind: 'all' }, { timeoutMs: 30_000 });
  return r.output;
}

/** The view's folder in a shadow's scratch (the first node_modules of the workspace). */
const viewOf = (shadow: ShadowWorkspace): string => join(dirname(shadow.root), '.qwq-scratch', 'nm', '0');

test('a new shadow takes the last shadow\'s node_modules view, repaired: the same links, none of a run\'s changes', { skip: !sandboxed && 'bwrap does not run here: the view exists only in the sandbox' }, async () => {
  const ws = workspace('ws');
  const home = keptViewDir(keptCacheDir(ws), 'node_modules');
  const a = new ShadowWorkspace(ws, { isolation: 'sandbox', parentDir: dir });
  let alphaLink: number;
  try {
    const seen = await look(a, ws);
    assert.match(seen, /alpha beta/);
    assert.match(seen, /\.qwq-packages\/beta/);
    const view = viewOf(a);
    alphaLink = lstatSync(join(view, 'alpha')).ino;
    // What a run could have left (the view is writable inside the sandbox): beta replaced by a folder of its own,
    // a stray file, a cache folder.
    unlinkSync(join(view, 'beta'));
    mkdirSync(join(view, 'beta'));
    writeFileSync(join(view, 'beta', 'evil.js'), '');
    writeFileSync(join(view, 'beta', 'index.js'), "module.exports = 'evil';\n");
    writeFileSync(join(view, 'stray'), '');
    mkdirSync(join(view, '.cache', 'x'), { recursive: true });
  } finally {
    a.dispose();
  }
  assert.ok(existsSync(home), 'the view waits for the next shadow');
  assert.equal(existsSync(join(home, '.cache')), false, 'without the cache copies it held');

  // The user adds a package meanwhile.
  mkdirSync(join(ws, 'node_modules', 'gamma'));
  writeFileSync(join(ws, 'node_modules', 'gamma', 'index.js'), "module.exports = 'gamma';\n");
  const b = new ShadowWorkspace(ws, { isolation: 'sandbox', parentDir: dir });
  try {
    const seen = await look(b, ws);
    assert.match(seen, /alpha beta gamma/);
    assert.match(seen, /\.qwq-packages\/beta/);
    assert.match(seen, /^beta$/m, 'require(beta) is the user\'s package');
    assert.doesNotMatch(seen, /STRAY|EVIL|^evil$/m);
    assert.equal(existsSync(home), false, 'taken, not shared');
    assert.equal(lstatSync(join(viewOf(b), 'alpha')).ino, alphaLink, 'the link was moved, not made again');
  } finally {
    b.dispose();
  }
  assert.ok(existsSync(home));
});

test('two shadows at once: one takes the kept view, the other makes its own; one is kept afterwards', { skip: !sandboxed && 'bwrap does not run here: the view exists only in the sandbox' }, async () => {
  const ws = workspace('ws2');
  const home = keptViewDir(keptCacheDir(ws), 'node_modules');
  const first = new ShadowWorkspace(ws, { isolation: 'sandbox', parentDir: dir });
  await look(first, ws);
  first.dispose();
  const a = new ShadowWorkspace(ws, { isolation: 'sandbox', parentDir: dir });
  const b = new ShadowWorkspace(ws, { isolation: 'sandbox', parentDir: dir });
  try {
    const [sa, sb] = await Promise.all([look(a, ws), look(b, ws)]);
    for (const s of [sa, sb]) assert.match(s, /alpha beta/);
  } finally {
    a.dispose();
    b.dispose();
  }
  assert.ok(existsSync(home));
  assert.deepEqual(readdirSync(dirname(home)), [home.split('/').pop()]);
});
