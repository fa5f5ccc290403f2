// Attack: a file or package name chosen by whoever writes the workspace (a model's edit can add a test file) is
// put on the runner's command line by a selection. Run by the real sh, it must arrive as one literal argument:
// no command substitution, no second command, no glob, no variable. A stub runner prints the argv it got.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInvocation, type Selection, type TestCommand } from '../../../src/core/verify';
import { scratchDir } from '../../support/scratchDir';

const HOSTILE = ['$(touch x)', '`touch x`', 'a;touch x', 'a && touch x', 'a\ntouch x', 'a | touch x', `it's "quoted"`, 'a b', '*', '$HOME', '${PATH}', '-rf', '', 'x>y', '\\', '#c', '~root', "'", '"'];

const stubs = scratchDir('qwq-shell-stubs-');
for (const name of ['mocha', 'vitest', 'python3', 'go']) {
  const p = join(stubs, name);
  writeFileSync(p, `#!${process.execPath}\nprocess.stdout.write(JSON.stringify(process.argv.slice(2)));\n`);
  chmodSync(p, 0o755);
}

function argvOf(cmd: TestCommand, sel: Selection): { argv: string[]; left: string[] } {
  const root = scratchDir('qwq-shell-root-');
  writeFileSync(join(root, 'decoy.js'), '');
  const inv = buildInvocation(cmd, sel, root, '/r', { reporter: '/r/rep.mjs', hook: '/r/hook.cjs' }, { baseEnv: { PATH: stubs }, toolExists: () => true });
  const home = scratchDir('qwq-shell-home-');
  const out = execFileSync('/bin/sh', ['-c', inv.command], { cwd: root, env: { PATH: stubs, HOME: home, TMPDIR: home }, encoding: 'utf8' });
  return { argv: JSON.parse(out) as string[], left: [...readdirSync(root), ...readdirSync(home)].sort() };
}

const cases: Array<[string, TestCommand, (names: string[]) => Selection, string[]]> = [
  ['mocha test files', { runner: 'mocha', prefix: '', base: 'mocha test/', source: '' }, (f) => ({ kind: 'files', files: f }), []],
  ['pytest test files', { runner: 'pytest', prefix: '', base: 'python3 -m pytest -q tests', source: '' }, (f) => ({ kind: 'files', files: f }), ['-m', 'pytest', '-q']],
  ['vitest related changed files', { runner: 'vitest', prefix: '', base: 'vitest run', source: '' }, (f) => ({ kind: 'related', changed: f }), ['related', '--run']],
  ['go packages', { runner: 'go', prefix: '', base: 'go test ./...', source: '' }, (p) => ({ kind: 'packages', packages: p }), ['test', '-json']],
];

for (const [what, cmd, select, before] of cases) {
  test(`${what}: every hostile name reaches the runner as one literal argument, and nothing else runs`, () => {
    const { argv, left } = argvOf(cmd, select(HOSTILE));
    assert.deepEqual(argv, [...before, ...HOSTILE]);
    assert.deepEqual(left, ['decoy.js'], 'no file was created by the names');
  });
}
