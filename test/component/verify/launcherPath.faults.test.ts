// Fault suite: the programs that start a test run on the host (bwrap, and the `sh` of the copy mode) are
// never found through a PATH the workspace controls (docs/architecture.md §5, "Isolation"). A run's PATH starts
// with the workspace's node_modules/.bin (npm-script semantics), and Node resolves a spawned program through the
// PATH it is given: a dependency shipping a bin named `bwrap` ran ON THE HOST, outside the sandbox, with the
// user's home, network and files. The same for a relative entry (`.`, `node_modules/.bin`) in the PATH the CLI
// or the extension was started with. Each fake launcher below writes a marker into a folder this test made, then
// execs the real program, so a run that started it still looks normal: only the marker tells.
// HOME, TMPDIR and the kept caches point at throw-away folders; the probes write only files they created.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ensureCli, filesDir } from '../../support/cliWorkspace';
import { scratchDir } from '../../support/scratchDir';
import { victimProjectFiles, writeFiles } from '../../support/victimProject';
import { bwrapAvailable, verifyChanges, type FullVerifyResult, type IsolationMode } from '../../../src/core/verify';
import { resetSandboxDiagnosis } from '../../../src/core/verify/sandboxCheck';
import type { FileChange } from '../../../src/core/edits/types';
import { cliVerifyAsync } from './projects';

const saved = { HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, QWQ_RUN_CACHE_DIR: process.env.QWQ_RUN_CACHE_DIR, QWQ_BASELINE_CACHE_DIR: process.env.QWQ_BASELINE_CACHE_DIR, PATH: process.env.PATH };
const cwd = process.cwd();
const markers = scratchDir('qwq-launcher-markers-');
let realBwrap = '';

const throwAwayEnv = (): Record<string, string> => ({
  HOME: scratchDir('qwq-launcher-home-'), TMPDIR: scratchDir('qwq-launcher-tmp-'),
  QWQ_RUN_CACHE_DIR: scratchDir('qwq-launcher-runcaches-'), QWQ_BASELINE_CACHE_DIR: scratchDir('qwq-launcher-baselines-'),
});

before(() => {
  assert.ok(bwrapAvailable(), 'bubblewrap must run here (apt-get install bubblewrap): the sandbox path is under test');
  realBwrap = spawnSync('sh', ['-c', 'command -v bwrap'], { encoding: 'utf8' }).stdout.trim();
  assert.ok(isAbsolute(realBwrap), `bwrap not found: ${realBwrap}`);
  ensureCli();
  Object.assign(process.env, throwAwayEnv());
});
after(() => {
  for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  process.chdir(cwd);
  resetSandboxDiagnosis();
});

/** A script named like a launcher: leaves `markers/<tag>` (a file only it creates), then runs the real program. */
const fakeLauncher = (tag: string, real: string): string => `#!/bin/sh\n: > '${join(markers, tag)}'\nexec '${real}' "$@"\n`;

/** The victim project, all tests passing, with the given fake launchers (executable) added. */
function victim(launchers: Record<string, string>): string {
  const ws = writeFiles(scratchDir('qwq-launcher-ws-'), victimProjectFiles('probe', 'assert.ok(true);', launchers));
  for (const p of Object.keys(launchers)) chmodSync(join(ws, p), 0o755);
  return ws;
}

const harmless: FileChange[] = [{ path: 'NOTES.md', before: undefined, after: 'notes\n' }];
const verify = (ws: string, isolation: IsolationMode, testCommand?: string): Promise<FullVerifyResult> => verifyChanges({ workspace: ws, changes: harmless, tests: 'all', timeoutMs: 60_000, trusted: true, isolation, testCommand });

function assertGreen(r: FullVerifyResult, isolation: string): void {
  assert.equal(r.verdict, 'verified', `${r.message}\n${r.failureOutput ?? ''}`);
  assert.equal(r.isolation, isolation, r.message);
  assert.deepEqual(r.candidate, { passed: 2, failed: 0 });
}

const assertNotStarted = (tag: string): void => assert.equal(existsSync(join(markers, tag)), false, `the workspace's ${tag} ran on the host (markers: ${readdirSync(markers).join(', ')})`);

test('[sandbox] a node_modules/.bin/bwrap in the workspace is never started: the run uses the system bwrap and stays sandboxed', async () => {
  const ws = victim({ 'node_modules/.bin/bwrap': fakeLauncher('nm-bwrap', realBwrap) });
  assertGreen(await verify(ws, 'sandbox'), 'sandbox');
  assertNotStarted('nm-bwrap');
});

test('[sandbox, CLI] the same through `qwq verify`, and with the workspace\'s own bin folder first on the CLI\'s PATH (direnv\'s PATH_add): verified, sandboxed, neither bwrap of the workspace started', async () => {
  const ws = victim({ 'node_modules/.bin/bwrap': fakeLauncher('cli-nm-bwrap', realBwrap), 'bin/bwrap': fakeLauncher('cli-ws-bwrap', realBwrap) });
  const patch = join(filesDir('qwq-launcher-patch-', { 'edit.patch': 'NOTES.md\n<<<<<<< SEARCH\n=======\nnotes\n>>>>>>> REPLACE\n' }), 'edit.patch');
  const r = await cliVerifyAsync(ws, patch, ['--tests', 'all', '--timeout', '120', '--isolation', 'sandbox'], { ...process.env, ...throwAwayEnv(), PATH: `${join(ws, 'bin')}:${saved.PATH}` });
  assert.equal(r.json.verdict, 'verified', `${r.json.message}\n${r.stderr}`);
  assert.equal(r.json.isolation, 'sandbox');
  assert.equal(r.code, 0);
  assertNotStarted('cli-nm-bwrap');
  assertNotStarted('cli-ws-bwrap');
});

test('[sandbox, CLI] where the only bwrap on the CLI\'s PATH is the workspace\'s, it is not probed or started: "bwrap is not installed", and nothing runs', async () => {
  const ws = victim({ 'bin/bwrap': fakeLauncher('only-ws-bwrap', realBwrap) });
  // node, npm and sh, and no bwrap, beside the workspace's bin folder.
  const tools = scratchDir('qwq-launcher-tools-');
  for (const t of ['node', 'npm', 'sh']) symlinkSync(realpathSync(spawnSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).stdout.trim()), join(tools, t));
  const patch = join(filesDir('qwq-launcher-patch-', { 'edit.patch': 'NOTES.md\n<<<<<<< SEARCH\n=======\nnotes\n>>>>>>> REPLACE\n' }), 'edit.patch');
  const r = await cliVerifyAsync(ws, patch, ['--tests', 'all', '--timeout', '120'], { ...process.env, ...throwAwayEnv(), PATH: `${join(ws, 'bin')}:${tools}` });
  assert.equal(r.json.verdict, 'error', r.json.message);
  assert.match(r.json.message, /bubblewrap \(bwrap\) is not installed/);
  assert.deepEqual(r.json.baseline, { passed: 0, failed: 0 }, 'nothing ran');
  assertNotStarted('only-ws-bwrap');
});

test('[sandbox] relative PATH entries (`.`, `node_modules/.bin`) in the PATH qwq was started with, from inside the workspace: neither the probe nor a run starts the workspace\'s bwrap', async () => {
  const ws = victim({ bwrap: fakeLauncher('dot-bwrap', realBwrap), 'node_modules/.bin/bwrap': fakeLauncher('rel-nm-bwrap', realBwrap) });
  process.chdir(ws);
  process.env.PATH = `.:node_modules/.bin:${saved.PATH}`;
  resetSandboxDiagnosis();
  try {
    assertGreen(await verify(ws, 'sandbox'), 'sandbox');
  } finally {
    process.chdir(cwd);
    process.env.PATH = saved.PATH;
    resetSandboxDiagnosis();
  }
  assertNotStarted('dot-bwrap');
  assertNotStarted('rel-nm-bwrap');
});

// The command is `node --test` itself: through `npm test`, npm starts its script with the PATH's `sh` as it does
// by hand (the user's own package manager, in the mode the user asked to be unsandboxed).
test('[copy] unsandboxed on request, the program that starts the test command is /bin/sh, not a node_modules/.bin/sh of the workspace', async () => {
  const ws = victim({ 'node_modules/.bin/sh': fakeLauncher('nm-sh', '/bin/sh') });
  const r = await verify(ws, 'copy', 'node --test');
  assertGreen(r, 'copy');
  assert.equal(r.command, 'node --test');
  assertNotStarted('nm-sh');
});
