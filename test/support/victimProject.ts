// The attacked workspace of the verify fault suites: a node:test project whose one dependency lives in
// node_modules, like an installed package, with one honest test and one test whose body is the attack.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes `files` (relative paths; parents created) into `dir` and returns `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): string {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

/** The files of the victim project; `body` runs inside an async node:test test named `name`. */
export function victimProjectFiles(name: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'package.json': JSON.stringify({ name: 'victim', scripts: { test: 'node --test' } }),
    'node_modules/dep/package.json': JSON.stringify({ name: 'dep', main: 'index.js' }),
    'node_modules/dep/index.js': 'module.exports = (a, b) => a + b;\n',
    'src/sum.js': "module.exports = require('dep');\n",
    'test/sum.test.js': `const test = require('node:test'); const assert = require('node:assert'); const fs = require('node:fs');
const path = require('node:path'); const os = require('node:os'); const net = require('node:net');
const sum = require('../src/sum');
test('sum', () => assert.equal(sum(2, 3), 5));
test(${JSON.stringify(name)}, async () => { ${body} });
`,
    ...extra,
  };
}
