// The test command's shell grammar through shell-quote: a user's script splits into the steps sh runs, and a
// name we put on a command line is one literal argument (test/component/verify/shellArgs.test.ts runs sh on it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSteps } from '../../../src/core/verify/shellSyntax';
import { commandFromScript } from '../../../src/core/verify';
import { commandWord } from '../../../src/core/verify/invocation';

test('a script splits into its steps on top-level && and ;, each kept as written', () => {
  const cases: Array<[string, string[]]> = [
    ['tsc && mocha test/*.mjs', ['tsc', 'mocha test/*.mjs']],
    ['NODE_ENV=test jest', ['NODE_ENV=test jest']],
    ['a&&b;c', ['a', 'b', 'c']],
    [`node -e "a;b" && x`, [`node -e "a;b"`, 'x']],
    [`echo 'a && b'; c`, [`echo 'a && b'`, 'c']],
    ['echo a\\;b && c', ['echo a\\;b', 'c']],
    ['(cd pkg && npm test) && echo done', ['(cd pkg && npm test)', 'echo done']],
    ['x=$(a && b) && jest', ['x=$(a && b)', 'jest']],
    ['lint || true | cat && vitest run', ['lint || true | cat', 'vitest run']],
    ['jest # then a; b', ['jest # then a; b']],
    [`cross-env FOO="a && b" mocha "test/**/*.js"`, [`cross-env FOO="a && b" mocha "test/**/*.js"`]],
    ['  ;  jest ; ', ['jest']],
  ];
  for (const [script, steps] of cases) assert.deepEqual(splitSteps(script), steps, script);
});

test('the runner step of a chained script is found past quotes and subshells', () => {
  assert.deepEqual(commandFromScript('tsc && mocha test/*.mjs', 's'), { runner: 'mocha', prefix: 'tsc', base: 'mocha test/*.mjs', source: 's' });
  assert.deepEqual(commandFromScript(`node -e "require('x'); run()" && NODE_ENV=test jest --ci`, 's'), { runner: 'jest', prefix: `node -e "require('x'); run()"`, base: 'NODE_ENV=test jest --ci', source: 's' });
});

test('the program a step runs: past assignments (quoted ones too) and env wrappers', () => {
  assert.equal(commandWord('NODE_ENV=test jest'), 'jest');
  assert.equal(commandWord(`FOO="a b" BAR='c d' mocha x`), 'mocha');
  assert.equal(commandWord('cross-env NODE_ENV=test jest'), 'jest');
  assert.equal(commandWord('npx --yes eslint .'), 'eslint');
  assert.equal(commandWord('(cd sub && make)'), 'cd');
  assert.equal(commandWord(`"./node_modules/.bin/tsc" -p .`), './node_modules/.bin/tsc');
});
