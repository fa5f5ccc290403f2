// The start and test scripts' pure parts: the sample workspace holds a project and no fixture patches; the
// system packages are chosen by group; the test tiers are found by folder and counted from TAP.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_ONLY, fixtureWorkspace, prepareSampleWorkspace } from '../../../scripts/sample-workspace.mjs';
import { missingSystemDeps, SYSTEM_DEPS } from '../../../scripts/system-deps.mjs';
import { findFiles, groupLeftovers, tapCounts, TIERS } from '../../../scripts/test.mjs';

const dir = mkdtempSync(join(tmpdir(), 'qwq-scripts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the sample workspace is the fixture project without its break/fix patches', () => {
  const fixture = fixtureWorkspace();
  assert.ok(fixture && FIXTURE_ONLY.every((f) => existsSync(join(fixture, f))), 'the fixture has the patches this test is about');
  const sample = prepareSampleWorkspace(join(dir, 'sample'));
  const names = readdirSync(sample).sort();
  assert.deepEqual(names, ['package.json', 'src', 'test']);
});

test('an older sample that still holds the fixture patches loses them; files the user changed stay', () => {
  const fixture = fixtureWorkspace()!;
  const sample = join(dir, 'old-sample');
  prepareSampleWorkspace(sample);
  writeFileSync(join(sample, 'fix.patch'), 'my own notes\n');
  writeFileSync(join(sample, 'break.patch'), readFileSync(join(fixture, 'break.patch'), 'utf8'));
  prepareSampleWorkspace(sample);
  assert.equal(existsSync(join(sample, 'break.patch')), false);
  assert.equal(readFileSync(join(sample, 'fix.patch'), 'utf8'), 'my own notes\n');
});

test('system packages by group: each named once, in order, only for the groups asked', () => {
  const deps = {
    tools: [{ pkg: 'a', ok: () => false }, { pkg: 'b', ok: () => true }],
    component: [{ pkg: 'c', ok: () => false }, { pkg: 'a', ok: () => false }],
    browser: [{ pkg: 'chromium', ok: () => false }],
  };
  assert.deepEqual(missingSystemDeps(['tools', 'component'], deps), ['a', 'c']);
  assert.deepEqual(missingSystemDeps([], deps), []);
  assert.throws(() => missingSystemDeps(['nope'], deps), /unknown system-deps group 'nope'/);
  // The unit tier asks for nothing; chromium belongs to the browser tiers only.
  assert.ok(SYSTEM_DEPS.browser.some((d) => d.pkg === 'chromium'));
  assert.ok(!SYSTEM_DEPS.component.some((d) => d.pkg === 'chromium'));
  assert.deepEqual(SYSTEM_DEPS.component.map((d) => d.pkg).sort(), ['bubblewrap', 'git', 'golang-go', 'python3-pytest']);
  assert.ok(SYSTEM_DEPS.tools.some((d) => d.pkg === 'libkrb5-dev'));
});

test('tiers are found by folder: unit files under test/unit, component files under test/component', () => {
  assert.deepEqual(TIERS, ['unit', 'component', 'integration', 'e2e']);
  const unit = findFiles('test/unit', '.test.ts');
  const component = findFiles('test/component', '.test.ts');
  assert.ok(unit.includes('test/unit/scripts/scripts.test.ts'));
  assert.ok(component.includes('test/component/scripts/installTools.test.ts'));
  assert.ok(unit.every((f) => f.startsWith('test/unit/')) && component.every((f) => f.startsWith('test/component/')));
  assert.deepEqual(findFiles('test/no-such-tier', '.test.ts'), []);
});

test('counts come from the TAP summary; cancelled counts as failed', () => {
  assert.deepEqual(tapCounts('ok 1 - a\n# tests 5\n# pass 3\n# fail 1\n# cancelled 1\n# skipped 2\n# todo 0\n'), { passed: 3, failed: 2, skipped: 2 });
  assert.deepEqual(tapCounts(''), { passed: 0, failed: 0, skipped: 0 });
});

test('what a tier leaves in its TMPDIR is named by prefix, with a count', () => {
  assert.equal(groupLeftovers(['qwq-bg-lPnCmT', 'qwq-cli-apply-5hE7gp', 'qwq-cli-apply-G6l8wB', 'stray.txt']), 'qwq-bg-*, qwq-cli-apply-* ×2, stray.txt');
});
