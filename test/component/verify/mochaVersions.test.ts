// mocha 10 (CommonJS) and 12 (ESM, bin/mocha.js) with the script's own `-R dot` (as body-parser's
// `--reporter spec`): per-test results still come, because the runner hook listens to mocha's Runner events
// instead of naming a reporter (docs/architecture.md §5). Each version is installed once under
// test/fixtures/generated (git-ignored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyChanges, type FullVerifyResult } from '../../../src/core/verify';
import { GENERATED, makeProject } from './projects';

function mocha(version: string): string {
  const dir = join(GENERATED, `mocha-${version}`);
  if (!existsSync(join(dir, 'node_modules', 'mocha', 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true }));
    execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', `mocha@${version}`], { stdio: 'inherit' });
  }
  return join(dir, 'node_modules');
}

const show = (r: FullVerifyResult): string => JSON.stringify({ verdict: r.verdict, message: r.message, notes: r.notes }, null, 1);

for (const version of ['10.8.2', '12.0.3']) {
  test(`mocha ${version} with the script's own -R dot: fix verified with its target, break regressed naming the test`, async () => {
    const p = makeProject('mocha', { nodeModules: mocha(version) });
    const pkg = JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8'));
    // -R: the fixture's own argv guard (it checks that no --reporter flag was added) would flag --reporter.
    pkg.scripts.test = 'mocha -R dot test/';
    writeFileSync(join(p.dir, 'package.json'), JSON.stringify(pkg, null, 2));
    const run = (kind: 'fix' | 'brk'): Promise<FullVerifyResult> => {
      const e = p.edits[kind];
      const before = readFileSync(join(p.dir, e.path), 'utf8');
      return verifyChanges({ workspace: p.dir, changes: [{ path: e.path, before, after: before.replace(e.search, e.replace) }], tests: 'all', timeoutMs: 120_000, trusted: true, fixFailing: kind === 'fix' });
    };
    const fix = await run('fix');
    assert.equal(fix.verdict, 'verified', show(fix));
    assert.deepEqual(fix.newlyPassing, ['test/calc.spec.js::calc::multiplies'], show(fix));
    const brk = await run('brk');
    assert.equal(brk.verdict, 'regressed', show(brk));
    assert.deepEqual(brk.newlyFailing, ['test/calc.spec.js::calc::adds'], show(brk));
  });
}
