// Build steps once (src/core/verify/buildOnce.ts), with the real tsc: a `pretest: tsc` project builds for the
// baseline; a candidate whose change touches no build input reuses that output; one that touches a source file
// builds again, so a breaking source change is still caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyChanges, type FullVerifyResult } from '../../../src/core/verify';
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

async function verify(d: string, path: string, edit: (t: string) => string): Promise<FullVerifyResult> {
  const before = readFileSync(join(d, path), 'utf8');
  return verifyChanges({ workspace: d, changes: [{ path, before, after: edit(before) }], tests: 'all', timeoutMs: 120_000, trusted: true });
}

test('a change to no build input reuses the baseline build (tsc and its cleaner skipped); the verdict is right', async () => {
  const d = tscProject();
  const docs = await verify(d, 'README.md', (t) => `${t}more\n`);
  assert.equal(docs.verdict, 'verified', docs.message);
  assert.ok(skipped(docs), `the candidate should not build again: ${JSON.stringify(docs.notes)}`);
  // A test edit: the test runs against the baseline's build, and a wrong expectation is caught.
  const wrongTest = await verify(d, 'test/add.test.cjs', (t) => t.replace('5)', '6)'));
  assert.equal(wrongTest.verdict, 'regressed', wrongTest.message);
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
