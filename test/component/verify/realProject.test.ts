// A real project whose tools write into node_modules, run sandboxed and unchanged (docs/architecture.md §5,
// "Isolation"; issue 19): minimist 1.2.8 from its npm tarball with ALL its devDependencies installed (eslint as
// `pretest`, nyc 10 around tape, `aud` as `posttest`). nyc 10's find-cache-dir ignores CACHE_DIR and writes
// node_modules/.cache/nyc, which the old sandbox refused (and then reran everything in a copy). The install is
// cached under test/fixtures/generated (git-ignored); nothing of it is vendored.
import { treeHash } from '../../support/treeSnapshot';
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED, cliVerifyAsync, ensureCli, type CliVerdict } from './projects';

const dir = join(GENERATED, 'real', 'minimist-1.2.8-full');

before(() => {
  ensureCli();
  if (existsSync(join(dir, 'node_modules/nyc/package.json'))) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['pack', 'minimist@1.2.8', '--pack-destination', dir, '--silent'], { stdio: 'pipe' });
  execFileSync('tar', ['xzf', join(dir, 'minimist-1.2.8.tgz'), '-C', dir, '--strip-components=1']);
  rmSync(join(dir, 'minimist-1.2.8.tgz'));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
});

function cli(patch: string): Promise<CliVerdict> {
  const p = join(GENERATED, 'real', `p-${process.pid}.patch`);
  writeFileSync(p, patch);
  return cliVerifyAsync(dir, p, ['--tests', 'all', '--timeout', '300']);
}

test('minimist 1.2.8 with eslint + nyc 10 + tape + aud: a break is regressed by name in the sandbox, a harmless edit verified, the workspace byte-identical', { timeout: 900_000 }, async () => {
  const before = treeHash(dir);
  const brk = await cli('index.js\n<<<<<<< SEARCH\n\t\tif ((/^--.+=/).test(arg)) {\n=======\n\t\tif ((/^--.+=x/).test(arg)) {\n>>>>>>> REPLACE\n');
  assert.equal(brk.json.isolation, 'sandbox', JSON.stringify(brk.json));
  assert.equal(brk.json.verdict, 'regressed', JSON.stringify(brk.json));
  assert.ok(brk.json.newlyFailing.some((id) => id.includes('long opts')), JSON.stringify(brk.json.newlyFailing));
  const readme = readFileSync(join(dir, 'README.md'), 'utf8').split('\n')[0];
  const ok = await cli(`README.md\n<<<<<<< SEARCH\n${readme}\n=======\n${readme.replace('# minimist', '# minimist (edited)')}\n>>>>>>> REPLACE\n`);
  assert.equal(ok.json.isolation, 'sandbox');
  assert.equal(ok.json.verdict, 'verified', JSON.stringify(ok.json));
  assert.ok(ok.json.baseline.passed > 50, 'per-test results');
  assert.equal(treeHash(dir), before, 'the workspace (node_modules included) changed');
  assert.equal(existsSync(join(dir, 'node_modules/.cache')), false);
});
