// The start and test scripts' pure parts: the sample workspace holds a project and no fixture patches; the
// system packages are chosen by group; the test tiers are found by folder and counted from TAP.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_ONLY, fixtureWorkspace, prepareSampleWorkspace } from '../../../scripts/sample-workspace.mjs';
import { missingSystemDeps, SYSTEM_DEPS } from '../../../scripts/system-deps.mjs';
import { findFiles, groupLeftovers, seconds, tapCounts, TIERS } from '../../../scripts/test.mjs';

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
  assert.deepEqual(SYSTEM_DEPS.component.map((d) => d.pkg).sort(), ['bubblewrap', 'cargo', 'git', 'golang-go', 'python3-pytest']);
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

test('counts come from tap-parser: every test point but a suite\'s, skip and todo as skipped', () => {
  // What node:test writes for a suite of two (one failing), a test with a subtest, a skip and a todo.
  const tap = [
    'TAP version 13', '# Subtest: suite', '    # Subtest: a', '    ok 1 - a', '      ---', '      duration_ms: 1', '      ...',
    '    # Subtest: b', '    not ok 2 - b', '      ---', '      duration_ms: 1', "      failureType: 'testCodeFailure'", '      ...', '    1..2',
    'not ok 1 - suite', '  ---', '  duration_ms: 2', "  type: 'suite'", '  ...',
    '# Subtest: parent', '    # Subtest: child', '    ok 1 - child', '      ---', '      duration_ms: 1', '      ...', '    1..1',
    'ok 2 - parent', '  ---', '  duration_ms: 1', '  ...',
    '# Subtest: skipped', 'ok 3 - skipped # SKIP', '# Subtest: todo', 'not ok 4 - todo # TODO', '1..4',
    '# tests 5', '# suites 1', '# pass 3', '# fail 1', '# skipped 1', '# todo 1', '',
  ].join('\n');
  assert.deepEqual(tapCounts(tap), { passed: 3, failed: 1, skipped: 2 });
  assert.deepEqual(tapCounts(''), { passed: 0, failed: 0, skipped: 0 });
});

test('a tier\'s duration reads as seconds, then minutes and seconds', () => {
  assert.equal(seconds(41_600), '42 s');
  assert.equal(seconds(185_000), '3 min 05 s');
});

test('what a tier leaves in its TMPDIR is named by prefix, with a count', () => {
  assert.equal(groupLeftovers(['qwq-bg-lPnCmT', 'qwq-cli-apply-5hE7gp', 'qwq-cli-apply-G6l8wB', 'stray.txt']), 'qwq-bg-*, qwq-cli-apply-* ×2, stray.txt');
});
