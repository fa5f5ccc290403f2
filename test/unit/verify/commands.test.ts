// How the user's own test command is found and rebuilt: package manager, pre/post scripts, chained steps
// whose tool is missing, and each runner's option table for selections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../support/scratchDir';
import { detectTestCommand, buildInvocation, withoutPositionals, commandWord, splitSteps } from '../../../src/core/verify';

function ws(files: Record<string, string>): string {
  const d = scratchDir('qwq-cmd-');
  for (const [p, t] of Object.entries(files)) { mkdirSync(join(d, p, '..'), { recursive: true }); writeFileSync(join(d, p), t); }
  return d;
}
const files = { reporter: '/r/rep.mjs', hook: '/r/hook.cjs' };
const pkgJson = (scripts: Record<string, string>): string => JSON.stringify({ name: 'p', scripts });

test('the package manager comes from the lockfile', () => {
  const scripts = { test: 'vitest run' };
  for (const [lock, pm] of [['package-lock.json', 'npm'], ['pnpm-lock.yaml', 'pnpm'], ['yarn.lock', 'yarn'], ['bun.lockb', 'bun']] as const) {
    const d = ws({ 'package.json': pkgJson(scripts), [lock]: '' });
    assert.equal(detectTestCommand(d)?.script?.pm, pm, lock);
    const inv = buildInvocation(detectTestCommand(d)!, { kind: 'all' }, d, '/r', files, { baseEnv: { PATH: '' }, toolExists: () => true });
    assert.equal(inv.command, `${pm} test`, 'everything selected: the script runs through its package manager, pre/post scripts included');
  }
});

test('npm semantics: pretest and posttest are steps of the run; npm run references are followed', () => {
  const d = ws({ 'package.json': pkgJson({ pretest: 'npm run build', build: 'tsc -p .', test: 'npm run unit', unit: 'mocha --require @babel/register test/', posttest: 'echo done' }) });
  const c = detectTestCommand(d)!;
  assert.deepEqual(c.script?.steps, ['npm run build', 'mocha --require @babel/register test/', 'echo done']);
  assert.equal(c.runner, 'mocha');
  assert.equal(c.prefix, 'npm run build');
  // A selection keeps the build before the runner and replaces the script's own test paths.
  const inv = buildInvocation(c, { kind: 'files', files: ['test/a.spec.js'] }, d, '/r', files, { baseEnv: { PATH: '' }, toolExists: () => true });
  assert.equal(inv.command, 'mocha --require @babel/register test/a.spec.js');
  assert.deepEqual(inv.chain, { before: ['npm run build'], after: [] }, 'the build runs first, as a step of its own');
  // pnpm does not run pre/post scripts unless .npmrc says so.
  const p = ws({ 'package.json': pkgJson({ pretest: 'tsc', test: 'jest' }), 'pnpm-lock.yaml': '' });
  assert.deepEqual(detectTestCommand(p)?.script?.steps, ['jest']);
  const p2 = ws({ 'package.json': pkgJson({ pretest: 'tsc', test: 'jest' }), 'pnpm-lock.yaml': '', '.npmrc': 'enable-pre-post-scripts=true\n' });
  assert.deepEqual(detectTestCommand(p2)?.script?.steps, ['tsc', 'jest']);
});

test('a chained step whose tool is missing (pnpm lint on a machine without pnpm) is skipped, and the result says so', () => {
  const d = ws({ 'package.json': pkgJson({ test: 'pnpm lint && vitest run --typecheck', lint: 'eslint .' }), 'pnpm-lock.yaml': '' });
  const c = detectTestCommand(d)!;
  assert.equal(c.runner, 'vitest');
  const inv = buildInvocation(c, { kind: 'all' }, d, '/r', files, { baseEnv: { PATH: '' }, toolExists: (w) => w !== 'pnpm' });
  assert.equal(inv.command, 'vitest run --typecheck');
  assert.ok(inv.notes.some((n) => /`pnpm` is not installed.*`pnpm lint` was skipped.*`vitest run --typecheck` ran without it/.test(n)), inv.notes.join('\n'));
});

test('`xo && ava && tsd`: ava is the runner; xo and tsd run as steps of their own, so a failing lint step does not hide the tests', () => {
  const d = ws({ 'package.json': pkgJson({ test: 'xo && ava && tsd' }), 'package-lock.json': '' });
  const c = detectTestCommand(d)!;
  assert.equal(c.runner, 'ava');
  const inv = buildInvocation(c, { kind: 'all' }, d, '/r', files, { baseEnv: { PATH: '' }, toolExists: () => true });
  assert.equal(inv.command, 'ava');
  assert.deepEqual(inv.chain, { before: ['xo'], after: ['tsd'] });
  // A selection runs what comes before the runner, not what comes after.
  assert.deepEqual(buildInvocation(c, { kind: 'files', files: ['test/a.js'] }, d, '/r', files, { baseEnv: { PATH: '' }, toolExists: () => true }).chain, { before: ['xo'], after: [] });
});

test('coverage wrappers around a package script: `nyc npm run test-spec` runs mocha (json-schema-traverse); `c8 mocha` too', () => {
  const d = ws({ 'package.json': pkgJson({ eslint: 'eslint index.js spec', 'test-spec': 'mocha spec -R spec', test: 'npm run eslint && nyc npm run test-spec' }) });
  const c = detectTestCommand(d)!;
  assert.equal(c.runner, 'mocha');
  assert.deepEqual(c.script?.steps, ['npm run eslint', 'nyc npm run test-spec']);
  const inv = buildInvocation(c, { kind: 'all' }, d, '/r', files, { baseEnv: { PATH: '' }, toolExists: () => true });
  assert.equal(inv.command, 'nyc npm run test-spec');
  assert.deepEqual(inv.chain, { before: ['npm run eslint'], after: [] });
  assert.equal(inv.results, 'channel');
  assert.equal(detectTestCommand(ws({ 'package.json': pkgJson({ test: 'c8 --reporter=lcov mocha' }) }))?.runner, 'mocha');
});

test('mocha: no reporter flag is added, so the script\'s own `--reporter spec` (body-parser) stays and per-test results still come', () => {
  const d = ws({ 'package.json': pkgJson({ test: 'mocha --require test/support/env --reporter spec --check-leaks --bail test/' }) });
  const inv = buildInvocation(detectTestCommand(d)!, { kind: 'all' }, d, '/r', files, { baseEnv: { PATH: '' }, toolExists: () => true });
  assert.equal(inv.command, 'npm test');
  const hook = JSON.parse(inv.env.QWQ_RUNNER_HOOK);
  assert.deepEqual([hook.runner, hook.args, hook.tail], ['mocha', [], []]);
  assert.equal(inv.results, 'channel');
  assert.equal(inv.env.QWQ_RESULT_CHANNEL, '3,4');
});

test('Node 20: `node --test <glob>` gets its reporters through NODE_OPTIONS, with the user\'s NODE_OPTIONS kept', () => {
  const d = ws({ 'package.json': pkgJson({ test: 'node --test test/*.test.js' }) });
  const inv = buildInvocation(detectTestCommand(d)!, { kind: 'all' }, d, '/r', files, { baseEnv: { PATH: '', NODE_OPTIONS: '--max-old-space-size=4096' }, toolExists: () => true });
  assert.equal(inv.command, 'npm test');
  assert.equal(inv.env.NODE_OPTIONS, '--max-old-space-size=4096 --require=/r/hook.cjs --test-reporter=/r/rep.mjs --test-reporter-destination=stdout --test-reporter=spec --test-reporter-destination=stderr');
});

test('related mode reads each runner\'s option table: option values stay, positionals go', () => {
  assert.equal(withoutPositionals('mocha', 'mocha --require @babel/register --recursive test/'), 'mocha --require @babel/register --recursive');
  assert.equal(withoutPositionals('mocha', 'mocha -r ts-node/register --timeout 5000 --spec test/**/*.ts'), 'mocha -r ts-node/register --timeout 5000');
  assert.equal(withoutPositionals('mocha', 'mocha --reporter dot test'), 'mocha --reporter dot');
  assert.equal(withoutPositionals('vitest', 'vitest run --config ./vitest.config.ts --project unit src/'), 'vitest run --config ./vitest.config.ts --project unit');
  assert.equal(withoutPositionals('node:test', 'node --import tsx --test --test-concurrency 1 test/'), 'node --import tsx --test --test-concurrency 1');
  assert.equal(withoutPositionals('pytest', 'python3 -m pytest -p pytest_asyncio -k "not slow" tests'), 'python3 -m pytest -p pytest_asyncio -k "not slow"');
  assert.equal(withoutPositionals('go', 'go test -tags integration -run TestX ./...'), 'go test -tags integration -run TestX');
  assert.equal(withoutPositionals('tape', "nyc tape -r ./setup.js 'test/**/*.js'"), 'nyc tape -r ./setup.js');
  assert.equal(withoutPositionals('ava', 'ava --timeout 2m --verbose test/*.js'), 'ava --timeout 2m --verbose');
  // The old rule dropped "@babel/register" (it contains '/') and kept "test" (it does not).
  const d = ws({ 'test/a.spec.js': '' });
  const inv = buildInvocation({ runner: 'mocha', prefix: '', base: 'mocha --require @babel/register test', source: '' }, { kind: 'files', files: ['test/a.spec.js'] }, d, '/r', files, { baseEnv: { PATH: '' }, toolExists: () => true });
  assert.equal(inv.command, 'mocha --require @babel/register test/a.spec.js');
});

test('steps and command words: quotes respected, env assignments and wrappers skipped', () => {
  assert.deepEqual(splitSteps(`echo "a && b"; tape 'x;y' && c`), ['echo "a && b"', `tape 'x;y'`, 'c']);
  assert.equal(commandWord('NODE_ENV=test cross-env FOO=1 jest --ci'), 'jest');
  assert.equal(commandWord('npx --yes eslint .'), 'eslint');
});

test('minimist\'s scripts without its devDependencies: lint (eslint), nyc and aud are missing, tape runs alone, and the notes say so', () => {
  const d = ws({ 'package.json': pkgJson({ lint: 'eslint --ext=js,mjs .', pretest: 'npm run lint', 'tests-only': "nyc tape 'test/**/*.js'", test: 'npm run tests-only', posttest: 'aud --production' }) });
  const c = detectTestCommand(d)!;
  assert.equal(c.runner, 'tape');
  assert.deepEqual(c.script?.steps, ['npm run lint', "nyc tape 'test/**/*.js'", 'aud --production']);
  const have = new Set(['npm', 'node', 'tape']);
  const inv = buildInvocation(c, { kind: 'all' }, d, '/r', files, { baseEnv: { PATH: '' }, toolExists: (w) => have.has(w) });
  assert.equal(inv.command, "tape 'test/**/*.js'");
  assert.equal(inv.notes.length, 3, inv.notes.join('\n'));
  assert.match(inv.notes.join('\n'), /`eslint` is not installed, so the step `npm run lint` was skipped/);
  assert.match(inv.notes.join('\n'), /`nyc` is not installed/);
  assert.match(inv.notes.join('\n'), /`aud` is not installed/);
  // With every tool there, each step runs on its own: lint, then the (wrapped) runner, then aud.
  const all = buildInvocation(c, { kind: 'all' }, d, '/r', files, { baseEnv: { PATH: '' }, toolExists: () => true });
  assert.equal(all.command, "nyc tape 'test/**/*.js'");
  assert.deepEqual(all.chain, { before: ['npm run lint'], after: ['aud --production'] });
});
