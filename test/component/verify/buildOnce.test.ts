// Build steps once (src/core/verify/buildOnce.ts), with the real tsc: a `pretest: tsc` project builds for the
// baseline; a candidate whose change touches no build input reuses that output; one that touches a source file
// builds again, so a breaking source change is still caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyChanges, type FullVerifyResult } from '../../../src/core/verify';
import { clearBaselineMemory } from '../../../src/core/verify/baselineCache';
import { scratchDir } from '../../support/scratchDir';

process.env.QWQ_BASELINE_CACHE = 'off';
const repoModules = join(__dirname, '../../../node_modules');

function tscProject(): string {
  const d = scratchDir('qwq-build-once-');
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'p', private: true, scripts: { pretest: 'rimraf build && tsc', test: 'node --test test/add.test.cjs' } }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'build', module: 'commonjs', target: 'es2020', strict: true }, include: ['src'] }),
    'src/add.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
    'test/add.test.cjs': "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('../build/add.js');\ntest('adds', () => assert.equal(add(2, 3), 5));\n",
    'README.md': '# p\n',
  };
  for (const [p, t] of Object.entries(files)) { mkdirSync(join(d, p, '..'), { recursive: true }); writeFileSync(join(d, p), t); }
  // The real TypeScript compiler; `rimraf` is a tiny stand-in script (a cleaner the build-once logic must skip too).
  mkdirSync(join(d, 'node_modules/.bin'), { recursive: true });
  symlinkSync(join(repoModules, 'typescript'), join(d, 'node_modules/typescript'));
  symlinkSync('../typescript/bin/tsc', join(d, 'node_modules/.bin/tsc'));
  writeFileSync(join(d, 'node_modules/.bin/rimraf'), '#!/bin/sh\nrm -rf "$@"\n', { mode: 0o755 });
  return d;
}

const skipped = (r: FullVerifyResult): boolean => (r.notes ?? []).some((n) => /did not run again/.test(n));

async function verify(d: string, path: string, edit: (t: string) => string, isolation?: 'sandbox' | 'fallback'): Promise<FullVerifyResult> {
  const before = readFileSync(join(d, path), 'utf8');
  return verifyChanges({ workspace: d, changes: [{ path, before, after: edit(before) }], tests: 'all', timeoutMs: 120_000, trusted: true, ...(isolation ? { isolation } : {}) });
}

test('a change to no build input reuses the baseline build (tsc and its cleaner skipped); the verdict is right', async () => {
  const d = tscProject();
  const docs = await verify(d, 'README.md', (t) => `${t}more\n`);
  assert.equal(docs.verdict, 'verified', docs.message);
  assert.ok(skipped(docs), `the candidate should not build again: ${JSON.stringify(docs.notes)}`);
  // A test edit: the test runs against the baseline's build, and a wrong expectation is caught (the acceptance
  // policy runs the user's tests as they were, then the edit's own: never green, the test named).
  const wrongTest = await verify(d, 'test/add.test.cjs', (t) => t.replace('5)', '6)'));
  assert.notEqual(wrongTest.verdict, 'verified', wrongTest.message);
  assert.match(wrongTest.message, /test\/add\.test\.cjs::adds/);
  assert.ok(skipped(wrongTest));
});

test('a change to a source file builds again: a breaking edit is regressed, a good one verified', async () => {
  const d = tscProject();
  const broken = await verify(d, 'src/add.ts', (t) => t.replace('a + b', 'a - b'));
  assert.equal(broken.verdict, 'regressed', broken.message);
  assert.equal(skipped(broken), false, 'a build input changed: tsc must run');
  const fine = await verify(d, 'src/add.ts', (t) => t.replace('a + b', 'b + a'));
  assert.equal(fine.verdict, 'verified', fine.message);
  assert.equal(skipped(fine), false);
  // The tsconfig is a build input and one of the files that judge (docs/architecture.md §5): the judged run keeps
  // the user's, and its build; the edit's own run builds with the edit's (here the build fails). Never verified.
  const config = await verify(d, 'tsconfig.json', (t) => t.replace('"strict":true', '"strict":true,"noImplicitAny":"x"'));
  assert.notEqual(config.verdict, 'verified', config.message);
  assert.match(config.message, /changes your tests/);
});

/** Runs `body` with the per-state cache in a throw-away folder (this file turns it off for the tests above). */
async function withStateCache(body: (keptBuilds: () => number) => Promise<void>): Promise<void> {
  const cache = scratchDir('qwq-build-cache-');
  const saved = { off: process.env.QWQ_BASELINE_CACHE, dir: process.env.QWQ_BASELINE_CACHE_DIR };
  delete process.env.QWQ_BASELINE_CACHE;
  process.env.QWQ_BASELINE_CACHE_DIR = cache;
  clearBaselineMemory();
  try {
    await body(() => readdirSync(cache).flatMap((w) => (existsSync(join(cache, w, 'builds')) ? readdirSync(join(cache, w, 'builds')) : [])).filter((f) => /^[0-9a-f]{64}$/.test(f)).length);
  } finally {
    if (saved.off === undefined) delete process.env.QWQ_BASELINE_CACHE; else process.env.QWQ_BASELINE_CACHE = saved.off;
    if (saved.dir === undefined) delete process.env.QWQ_BASELINE_CACHE_DIR; else process.env.QWQ_BASELINE_CACHE_DIR = saved.dir;
    clearBaselineMemory();
  }
}

test('unsandboxed runs never keep build output for a later task (the tests could plant one): the next task builds', () => withStateCache(async (keptBuilds) => {
  const d = tscProject();
  assert.equal((await verify(d, 'README.md', (t) => `${t}a\n`, 'fallback')).verdict, 'verified');
  const second = await verify(d, 'README.md', (t) => `${t}b\n`, 'fallback');
  assert.equal(second.verdict, 'verified', second.message);
  assert.equal(second.baselineCached, true, 'the baseline is reused in this process');
  assert.equal(skipped(second), false, 'but its build output was not kept: the candidate builds');
  assert.equal(keptBuilds(), 0);
}));

test('a second task on an unchanged workspace skips the build (the baseline\'s output is kept per state, outside the workspace); a changed input builds again', async () => {
  const d = tscProject();
  await withStateCache(async (keptBuilds) => {
    const first = await verify(d, 'README.md', (t) => `${t}first\n`);
    assert.equal(first.verdict, 'verified', first.message);
    assert.equal(first.baselineCached, false);
    assert.equal(keptBuilds(), 1, 'the baseline built and its output was kept');
    // The second task (a new shadow): the baseline is reused, and so is its build: nothing builds.
    const second = await verify(d, 'README.md', (t) => `${t}second\n`);
    assert.equal(second.verdict, 'verified', second.message);
    assert.equal(second.baselineCached, true, 'the baseline is reused');
    assert.ok(skipped(second), `the candidate reuses the kept build output: ${JSON.stringify(second.notes)}`);
    assert.equal(existsSync(join(d, 'build')), false, 'no build output is ever written into the workspace');
    // A change to a build input builds again, and a breaking one is caught.
    const broken = await verify(d, 'src/add.ts', (t) => t.replace('a + b', 'a - b'));
    assert.equal(broken.verdict, 'regressed', broken.message);
    assert.equal(skipped(broken), false, 'a build input changed: tsc must run');
    // The workspace itself changes (the user edits a source file): another state, whose baseline runs and
    // builds; its output is kept beside the first, and the task after it reuses both.
    writeFileSync(join(d, 'src/add.ts'), `${readFileSync(join(d, 'src/add.ts'), 'utf8')}export const version = 2;\n`);
    const changed = await verify(d, 'README.md', (t) => `${t}third\n`);
    assert.equal(changed.verdict, 'verified', changed.message);
    assert.equal(changed.baselineCached, false, 'a changed input is a new state');
    assert.equal(keptBuilds(), 2);
    const again = await verify(d, 'README.md', (t) => `${t}fourth\n`);
    assert.equal(again.baselineCached, true);
    assert.ok(skipped(again));
    assert.equal(existsSync(join(d, 'build')), false);
  });
});
