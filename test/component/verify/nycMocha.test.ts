// A real package whose published tarball ships its mocha suite behind nyc: json-schema-traverse@0.4.1
// (`npm run eslint && nyc npm run test-spec`, test-spec = `mocha spec -R spec`). nyc wraps npm, npm runs
// mocha with its own `-R spec` reporter, and a lint step comes first: per-test results must still come
// through (the result channel passes through nyc and npm; mocha's events are read whatever its reporter).
// Its devDependencies mocha ^3.4.2 and nyc ^11.0.2 are installed once under test/fixtures/generated
// (git-ignored); eslint is not, so the lint step is skipped or fails, and either way hides no test.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyChanges, type FullVerifyResult } from '../../../src/core/verify';
import { GENERATED } from './projects';
import { scratchDir } from '../../support/scratchDir';

const PKG = 'json-schema-traverse@0.4.1';
const DEPS = ['mocha@3.5.3', 'nyc@11.9.0'];
let nodeModules = '';

before(() => {
  const dir = join(GENERATED, 'nyc-mocha');
  const marker = join(dir, 'installed.json');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== JSON.stringify(DEPS)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true }));
    execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', ...DEPS], { stdio: 'inherit' });
    writeFileSync(marker, JSON.stringify(DEPS));
  }
  nodeModules = join(dir, 'node_modules');
  // nyc 11 writes its cache into node_modules/.cache: an existing folder gets a writable scratch overlay in
  // the sandbox (docs/architecture.md §5), so every run of this test takes the same path.
  mkdirSync(join(nodeModules, '.cache'), { recursive: true });
});

const BUG = ['var post = cb.post || function() {};', 'var post = function() {};'] as const;

/** The package as published, with one bug put in (post-order callbacks dropped): the user's state. */
function workspace(): { dir: string; bugged: string } {
  const cache = join(GENERATED, 'packages');
  mkdirSync(cache, { recursive: true });
  const tgz = join(cache, 'json-schema-traverse-0.4.1.tgz');
  if (!existsSync(tgz)) execFileSync('npm', ['pack', PKG, '--pack-destination', cache, '--silent'], { stdio: 'pipe' });
  const dir = scratchDir('qwq-pkg-jst-');
  execFileSync('tar', ['xzf', tgz, '-C', dir, '--strip-components=1']);
  const text = readFileSync(join(dir, 'index.js'), 'utf8');
  assert.ok(text.includes(BUG[0]), 'the bug\'s anchor is in index.js');
  const bugged = text.replace(BUG[0], BUG[1]);
  writeFileSync(join(dir, 'index.js'), bugged);
  symlinkSync(nodeModules, join(dir, 'node_modules'), 'dir');
  return { dir, bugged };
}

const show = (r: FullVerifyResult): string => JSON.stringify({ verdict: r.verdict, message: r.message, newlyPassing: r.newlyPassing, newlyFailing: r.newlyFailing, notes: r.notes }, null, 1);

test(`${PKG} (nyc + mocha -R spec after a lint step): the fix is verified with its targets newly passing, a break names the failing test`, async () => {
  const { dir, bugged } = workspace();
  const run = (after: string, fix: boolean): Promise<FullVerifyResult> =>
    verifyChanges({ workspace: dir, changes: [{ path: 'index.js', before: bugged, after }], tests: 'all', timeoutMs: 180_000, trusted: true, fixFailing: fix });
  const fix = await run(bugged.replace(BUG[1], BUG[0]), true);
  assert.equal(fix.verdict, 'verified', show(fix));
  assert.ok(fix.newlyPassing.some((id) => id.endsWith('pre and post::should traverse schema in post-order')), show(fix));
  assert.ok((fix.baselineTests ?? []).length >= 10, `per-test results, not an exit code: ${show(fix)}`);
  assert.ok(fix.notes?.some((n) => /npm run eslint/.test(n)), `the lint step is named: ${show(fix)}`);

  const brk = await run(bugged.replace('(opts.allKeys && !(key in traverse.skipKeywords))', '(opts.allKeys && false)'), false);
  assert.equal(brk.verdict, 'regressed', show(brk));
  assert.ok(brk.newlyFailing.includes('spec/index.spec.js::json-schema-traverse allKeys option::should traverse objects with allKeys: true option'), show(brk));
});
