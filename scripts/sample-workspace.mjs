// The sample workspace that `npm start` and the UI tests open: a copy of the node fixture workspace (a small cart
// with a bug its own tests catch) without the fixture's patches, else a small generated Node project with a
// passing node:test test. Only the project itself: the break/fix patches are inputs of the verify tests, and a
// user who opens the sample should see a project, not test material.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURE_WORKSPACES = [join(root, 'test/fixtures/workspaces/node'), join(root, 'test/fixtures/generated/workspaces/node')];

/** Writes the generated sample project into `dir` (idempotent) and returns `dir`. */
export function writeGeneratedSample(dir) {
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'qwq-sample', version: '1.0.0', private: true, scripts: { test: 'node --test' } }, null, 2) + '\n');
  writeFileSync(join(dir, 'math.js'), '/** Adds two numbers. */\nexports.add = (a, b) => a + b;\n\n/** Multiplies two numbers. */\nexports.mul = (a, b) => a * b;\n');
  writeFileSync(join(dir, 'test', 'math.test.js'), [
    "const test = require('node:test');",
    "const assert = require('node:assert/strict');",
    "const { add, mul } = require('../math');",
    '',
    "test('add', () => assert.equal(add(2, 3), 5));",
    "test('mul', () => assert.equal(mul(2, 3), 6));",
    '',
  ].join('\n'));
  return dir;
}

/** The source of the sample: a fixture workspace if one exists, else null. */
export function fixtureWorkspace() {
  return FIXTURE_WORKSPACES.find((p) => existsSync(p)) ?? null;
}

/** Files of a fixture workspace that are test material, not part of the project. */
export const FIXTURE_ONLY = ['break.patch', 'fix.patch'];

/**
 * A sample workspace at `dir`: a copy of the fixture (so playing with it never edits the fixture) without its
 * patches, or generated. An existing `dir` is kept (the user may have changed it), except that fixture patches
 * an older version copied into it are removed when they are still the fixture's own.
 */
export function prepareSampleWorkspace(dir) {
  const fixture = fixtureWorkspace();
  if (existsSync(dir)) {
    for (const name of FIXTURE_ONLY) {
      const copy = join(dir, name);
      const original = fixture && join(fixture, name);
      if (existsSync(copy) && original && existsSync(original) && readFileSync(copy, 'utf8') === readFileSync(original, 'utf8')) rmSync(copy);
    }
    return dir;
  }
  if (fixture) cpSync(fixture, dir, { recursive: true, filter: (src) => !(dirname(src) === fixture && FIXTURE_ONLY.includes(basename(src))) });
  else writeGeneratedSample(dir);
  return dir;
}
