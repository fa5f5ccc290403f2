// The sample workspace that `npm start` and the UI tests open: the node fixture workspace when the fixtures
// have one, else a small generated Node project with a passing node:test test.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
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

/** A sample workspace at `dir`: a copy of the fixture (so playing with it never edits the fixture), or generated. */
export function prepareSampleWorkspace(dir) {
  if (existsSync(dir)) return dir;
  const fixture = fixtureWorkspace();
  if (fixture) cpSync(fixture, dir, { recursive: true });
  else writeGeneratedSample(dir);
  return dir;
}
