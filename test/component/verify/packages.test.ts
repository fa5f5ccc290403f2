// Real npm packages that ship their own tape suites (minimist, qs), fetched with `npm pack` at test time and
// cached under test/fixtures/generated (git-ignored). Nothing of them is vendored into the repository.
// Each starts from the package as published with one bug put in (the user's state); the fix takes it out
// (verified, the test that caught it newly passing), a break elsewhere is regressed naming the broken test,
// and a hollow fix is not-fixed. Their devDependencies (eslint, nyc, aud) are not installed, so the test
// script runs tape on its own and the result says so. Tests are named by test, never by assertion.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED, cliVerifyAsync, ensureCli, runnerCache, type CliVerdict } from './projects';
import { scratchDir } from '../../support/scratchDir';

type Edit = [file: string, search: string, replace: string];
interface Case { pkg: string; version: string; bug: Edit; brk: Edit; hollow: Edit; target: string; broken: string }

const CASES: Case[] = [
  {
    pkg: 'minimist', version: '1.2.8', target: 'nums', broken: 'long opts',
    bug: ['index.js', '\tif ((/^0x[0-9a-f]+$/i).test(x)) { return true; }', '\tif ((/^0x[0-9a-f]+$/i).test(x)) { return false; }'],
    hollow: ['index.js', '\tif (typeof x === \'number\') { return true; }', '\tif (typeof x === \'number\') { return true; } // hex?'],
    brk: ['index.js', "\t\tif ((/^--.+=/).test(arg)) {", "\t\tif (false) {"],
  },
  {
    pkg: 'qs', version: '6.17.1', target: 'RFC 1738', broken: 'parses a simple string',
    bug: ['lib/formats.js', "        RFC1738: function (value) {\n            return replace.call(value, percentTwenties, '+');", "        RFC1738: function (value) {\n            return String(value);"],
    hollow: ['lib/formats.js', "        RFC3986: function (value) {\n            return String(value);", "        RFC3986: function (value) {\n            return '' + value;"],
    brk: ['lib/parse.js', "    delimiter: '&',", "    delimiter: ';',"],
  },
];

let nodeModules = '';
before(() => {
  ensureCli();
  nodeModules = runnerCache();
});

/** The package's published tarball, unpacked into a fresh workspace with one bug put in. */
function workspace(c: Case): string {
  const cache = join(GENERATED, 'packages');
  mkdirSync(cache, { recursive: true });
  const tgz = join(cache, `${c.pkg}-${c.version}.tgz`);
  if (!existsSync(tgz)) execFileSync('npm', ['pack', `${c.pkg}@${c.version}`, '--pack-destination', cache, '--silent'], { stdio: 'pipe' });
  const dir = scratchDir(`qwq-pkg-${c.pkg}-`);
  execFileSync('tar', ['xzf', tgz, '-C', dir, '--strip-components=1']);
  const [file, search, replace] = c.bug;
  const text = readFileSync(join(dir, file), 'utf8');
  assert.ok(text.includes(search), `${c.pkg}: the bug's anchor is in ${file}`);
  writeFileSync(join(dir, file), text.replace(search, replace));
  symlinkSync(nodeModules, join(dir, 'node_modules'), 'dir');
  return dir;
}

function patch(edit: Edit): string {
  const [file, search, replace] = edit;
  const p = join(scratchDir('qwq-pkgpatch-'), 'p.patch');
  writeFileSync(p, `${file}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n`);
  return p;
}

const cli = (dir: string, patchFile: string, extra: string[] = []): Promise<CliVerdict> => cliVerifyAsync(dir, patchFile, ['--timeout', '180', ...extra]);

const show = (r: CliVerdict): string => JSON.stringify(r.json, null, 1);

for (const c of CASES) {
  test(`${c.pkg}@${c.version} (its own tape suite): fix verified, break regressed, hollow fix not-fixed`, async () => {
    const dir = workspace(c);
    const [bugFile, bugSearch, bugReplace] = c.bug;
    const fixEdit: Edit = [bugFile, bugReplace, bugSearch];
    const [fix, brk, hollow] = await Promise.all([cli(dir, patch(fixEdit), ['--fix-failing']), cli(dir, patch(c.brk)), cli(dir, patch(c.hollow), ['--fix-failing'])]);

    assert.equal(fix.json.runner, 'tape');
    assert.equal(fix.json.verdict, 'verified', show(fix));
    assert.ok(fix.json.newlyPassing.some((id) => id.includes(c.target)), show(fix));
    assert.ok(fix.json.baseline.passed > 5, 'tests are counted by test');
    assert.ok(![...fix.json.newlyPassing, ...fix.json.newlyFailing].some((id) => /^(should be|with:|as expected)/.test(id)), 'named by test, not by assertion');
    assert.match((fix.json.notes ?? []).join('\n'), /is not installed, so the step/, 'the missing lint/coverage tools are named');

    assert.equal(brk.json.verdict, 'regressed', show(brk));
    assert.ok(brk.json.newlyFailing.some((id) => id.includes(c.broken)), show(brk));

    assert.equal(hollow.json.verdict, 'not-fixed', show(hollow));
    assert.ok(hollow.json.targetsStillFailing?.some((id) => id.includes(c.target)), show(hollow));
  });
}
