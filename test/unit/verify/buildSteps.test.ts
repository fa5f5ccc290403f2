// Build steps in test scripts (src/core/verify/buildSteps.ts): which steps build, where they write, what they read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesDir } from '../../support/scratchDir';
import { buildInputMatcher, buildOutputDirs, buildStepsOf, isBuildStep } from '../../../src/core/verify/buildSteps';
import { detectTestCommand } from '../../../src/core/verify/detect';

const project = (files: Record<string, string>): string => filesDir('qwq-build-', files);

test('isBuildStep: compilers and build scripts, not cleaners or linters', () => {
  for (const s of ['tsc', 'npx tsc -p .', './node_modules/.bin/tsc', 'npm run build', 'cross-env NODE_ENV=test npm run build:cjs', 'yarn build', 'babel src -d lib', 'rollup -c', 'vite build']) assert.equal(isBuildStep(s), true, s);
  for (const s of ['rimraf build', 'eslint .', 'standard', 'npm run lint', 'tsc-watch', 'echo tsc', 'node build-check.js']) assert.equal(isBuildStep(s), false, s);
});

test('buildStepsOf: pretest and `x && runner` steps before the runner', () => {
  const root = project({ 'package.json': JSON.stringify({ scripts: { pretest: 'rimraf build && tsc', test: 'npm run lint && mocha', lint: 'eslint .' } }) });
  const cmd = detectTestCommand(root)!;
  assert.deepEqual(buildStepsOf(cmd).map((s) => s.step), ['tsc']);
  assert.deepEqual(buildStepsOf({ runner: 'node:test', prefix: 'tsc -b && echo ok', base: 'node --test', source: 's' }).map((s) => s.step), ['tsc -b']);
});

test('buildOutputDirs: tsconfig outDir (through extends and -p), and --out-dir/-d arguments', async () => {
  const root = project({
    'tsconfig.base.json': '{ "compilerOptions": { "outDir": "./build/" } }',
    'tsconfig.test.json': '{ "extends": "./tsconfig.base.json" }',
    'package.json': JSON.stringify({ scripts: { pretest: 'tsc -p tsconfig.test.json && babel src --out-dir lib', test: 'mocha' } }),
  });
  assert.deepEqual((await buildOutputDirs(root, detectTestCommand(root)!)).sort(), ['build', 'lib']);
  const viaScript = project({ 'package.json': JSON.stringify({ scripts: { build: 'esbuild src/index.ts --outdir=dist', test: 'npm run build && node --test' } }) });
  assert.deepEqual(await buildOutputDirs(viaScript, detectTestCommand(viaScript)!), ['dist']);
});

test('buildInputMatcher: a tsc build reads its include folders and configs, not tests, docs or other folders', async () => {
  const root = project({
    'tsconfig.json': '{ "compilerOptions": { "outDir": "build" }, "include": ["src/**/*"] }',
    'package.json': JSON.stringify({ scripts: { pretest: 'tsc', test: 'mocha test/*.mjs' } }),
  });
  const inputs = (await buildInputMatcher(root, detectTestCommand(root)!))!;
  assert.equal(inputs('src/a.ts'), true);
  assert.equal(inputs('src/deep/b.ts'), true);
  assert.equal(inputs('test/a.mjs'), false);
  assert.equal(inputs('test/a.test.ts'), false);
  assert.equal(inputs('scripts/shared.ts'), true, 'tsc compiles what src imports from outside include');
  assert.equal(inputs('README.md'), false);
  assert.equal(inputs('tsconfig.json'), true);
  assert.equal(inputs('package.json'), true);
  // Any other build tool: every file but docs is an input (we cannot read its inputs).
  const rollup = project({ 'package.json': JSON.stringify({ scripts: { pretest: 'rollup -c', test: 'mocha' } }) });
  const all = (await buildInputMatcher(rollup, detectTestCommand(rollup)!))!;
  assert.equal(all('test/a.mjs'), true);
  assert.equal(all('docs/x.md'), false);
  // No build step: no matcher.
  const none = project({ 'package.json': JSON.stringify({ scripts: { test: 'mocha' } }) });
  assert.equal(await buildInputMatcher(none, detectTestCommand(none)!), undefined);
});
