// The test command runs as the user runs it: a `pretest` build is part of each run (so the candidate is
// built), a chained step whose tool is missing (`pnpm lint && vitest run` on a machine without pnpm) is
// skipped with a note instead of failing the run, and the verdict comes from the tests that then ran.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliVerify, ensureCli, runnerCache } from './projects';
import { scratchDir } from '../../support/scratchDir';

let nodeModules = '';
before(() => {
  ensureCli();
  nodeModules = runnerCache();
});

function ws(files: Record<string, string>): string {
  const d = scratchDir('qwq-usercmd-');
  for (const [p, t] of Object.entries(files)) { mkdirSync(join(d, p, '..'), { recursive: true }); writeFileSync(join(d, p), t); }
  return d;
}
function patchFile(path: string, search: string, replace: string): string {
  const p = join(scratchDir('qwq-usercmd-patch-'), 'p.patch');
  writeFileSync(p, `${path}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n`);
  return p;
}

test('pretest builds the code under test: the candidate is built before its tests run', () => {
  const d = ws({
    'package.json': JSON.stringify({ name: 'built', version: '1.0.0', scripts: { pretest: 'node build.js', test: 'node --test test/' } }),
    'package-lock.json': '{"lockfileVersion":3,"packages":{}}',
    'build.js': "const fs = require('fs'); fs.mkdirSync('dist', { recursive: true }); fs.copyFileSync('src/lib.js', 'dist/lib.js');\n",
    'src/lib.js': 'exports.double = (x) => x + x + 1;\n',
    'test/lib.test.js': "const test = require('node:test'); const assert = require('node:assert');\nconst { double } = require('../dist/lib.js');\ntest('doubles', () => assert.equal(double(2), 4));\ntest('doubles zero', () => assert.equal(double(0), 0));\n",
  });
  // Without the build there is no dist/ at all: skipping pretest would be an error, not a verdict.
  const fix = cliVerify(d, patchFile('src/lib.js', 'exports.double = (x) => x + x + 1;', 'exports.double = (x) => x + x;'), ['--fix-failing']);
  assert.equal(fix.json.verdict, 'verified', JSON.stringify(fix.json));
  assert.deepEqual(fix.json.newlyPassing.sort(), ['test/lib.test.js::doubles', 'test/lib.test.js::doubles zero']);
  // pretest is a step of its own (a failing one would not hide the tests), run before the runner.
  assert.equal(fix.json.command, 'node build.js && node --test test/');
});

test('`pnpm lint && vitest run` on a machine without pnpm: vitest runs alone, and the result says so', () => {
  const d = ws({
    'package.json': JSON.stringify({ name: 'chained', version: '1.0.0', scripts: { lint: 'eslint .', test: 'pnpm lint && vitest run' } }),
    'test/sum.test.mjs': "import { test, expect } from 'vitest';\nimport { sum } from '../src/sum.mjs';\ntest('sums', () => { expect(sum([1, 2])).toBe(3); });\ntest('sums nothing', () => { expect(sum([])).toBe(0); });\n",
    'src/sum.mjs': 'export const sum = (xs) => xs.reduce((a, b) => a + b, 0);\n',
  });
  symlinkSync(nodeModules, join(d, 'node_modules'), 'dir');
  assert.ok(!(process.env.PATH ?? '').split(':').some((p) => p && existsSync(join(p, 'pnpm'))), 'this test needs a machine without pnpm');
  const brk = cliVerify(d, patchFile('src/sum.mjs', 'export const sum = (xs) => xs.reduce((a, b) => a + b, 0);', 'export const sum = (xs) => xs.reduce((a, b) => a + b, 1);'));
  assert.equal(brk.json.verdict, 'regressed', JSON.stringify(brk.json));
  assert.ok(brk.json.newlyFailing.includes('test/sum.test.mjs::sums'), JSON.stringify(brk.json.newlyFailing));
  // The CLI runs related tests first (vitest's own related mode); a regression there is final. vitest runs alone.
  assert.equal(brk.json.command, 'vitest related --run src/sum.mjs');
  assert.match((brk.json.notes ?? []).join('\n'), /`pnpm` is not installed, so the step `pnpm lint` was skipped/);
});
