// A runner known only by its exit code (uvu prints its own summary, neither TAP nor JSON): the run says so
// (`results: 'exit-code'`), and a fix that turns a failing suite into one that passes whole is verified,
// while a break is not (docs/architecture.md §5). uvu is installed once under test/fixtures/generated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectTestCommand, ShadowWorkspace, verifyChanges } from '../../../src/core/verify';
import { runTests } from '../../../src/core/verify/runTests';
import { GENERATED } from './projects';
import { scratchDir } from '../../support/scratchDir';

function uvu(): string {
  const dir = join(GENERATED, 'uvu');
  if (!existsSync(join(dir, 'node_modules', 'uvu', 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true }));
    execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', 'uvu@0.5.6'], { stdio: 'inherit' });
  }
  return join(dir, 'node_modules');
}

const BROKEN = 'exports.mul = (a, b) => a + b;\nexports.add = (a, b) => a + b;\n';

function project(): string {
  const d = scratchDir('qwq-uvu-');
  mkdirSync(join(d, 'test'));
  writeFileSync(join(d, 'package.json'), JSON.stringify({ name: 'calc-uvu', version: '1.0.0', scripts: { test: 'uvu test' } }));
  writeFileSync(join(d, 'package-lock.json'), JSON.stringify({ name: 'calc-uvu', lockfileVersion: 3, requires: true, packages: {} }));
  writeFileSync(join(d, 'calc.js'), BROKEN);
  writeFileSync(join(d, 'test', 'calc.js'), "const { test } = require('uvu');\nconst assert = require('uvu/assert');\nconst { add, mul } = require('../calc');\ntest('adds', () => assert.is(add(2, 3), 5));\ntest('multiplies', () => assert.is(mul(2, 3), 6));\ntest.run();\n");
  symlinkSync(uvu(), join(d, 'node_modules'), 'dir');
  return d;
}

test('uvu: known by its exit code only; a fix that makes the failing suite pass whole is verified, a break is not', async () => {
  const d = project();
  const shadow = new ShadowWorkspace(d);
  try {
    await shadow.sync();
    const run = await runTests(shadow.root, detectTestCommand(d)!, { kind: 'all' }, { timeoutMs: 60_000 });
    assert.equal(run.results, 'exit-code', run.output);
    assert.equal(run.exitCode, 1);
    assert.deepEqual(run.tests, []);
  } finally {
    shadow.dispose();
  }
  const change = (after: string): Parameters<typeof verifyChanges>[0] => ({ workspace: d, changes: [{ path: 'calc.js', before: BROKEN, after }], tests: 'all', timeoutMs: 60_000, trusted: true, fixFailing: true });
  const fix = await verifyChanges(change(BROKEN.replace('a + b;\nexports.add', 'a * b;\nexports.add')));
  assert.equal(fix.verdict, 'verified', fix.message);
  const brk = await verifyChanges({ ...change(BROKEN.replace('exports.add = (a, b) => a + b', 'exports.add = (a, b) => a - b')), fixFailing: false });
  assert.notEqual(brk.verdict, 'verified', brk.message);
});
