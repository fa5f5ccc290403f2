// Fault suite: the git the context engine runs on the host to list a workspace is never one the workspace put
// there (docs/architecture.md §5, "Isolation"; core/util/hostPrograms.ts). The listing runs before any sandbox,
// on every task and on the way to every edit, with the workspace as the current folder: a `git` found through a
// relative PATH entry (`.`, an empty entry, `node_modules/.bin`) or an entry inside the workspace (direnv's
// PATH_add) ran ON THE HOST with the user's home, network and files. So did the program .git/config names as
// `core.fsmonitor`, which `git ls-files` starts. Each fake below writes a marker into a folder this test made,
// then (a fake git) execs the real one, so a listing that started it still looks right: only the marker tells.
// Each test also checks that the listing still comes from the real git (a tracked file that .gitignore matches
// is listed, which only git knows), or from the walker where no git may be trusted.
// HOME, TMPDIR and the caches point at throw-away folders; the probes write only files they created.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { CLI, ensureCli } from '../../support/cliWorkspace';
import { walkWorkspace } from '../../../src/core/context/walk';

const saved = { HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, PATH: process.env.PATH };
const cwd = process.cwd();
// Every folder is made here, beside (not inside) the throw-away TMPDIR: the shadows' folder counts as the
// workspace's, and the trusted shim of one test must lie outside it.
const base = realpathSync(tmpdir());
const made: string[] = [];
const folder = (prefix: string): string => { const d = mkdtempSync(join(base, prefix)); made.push(d); return d; };
const markers = folder('qwq-gitpath-markers-');
let realGit = '';

before(() => {
  realGit = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  assert.ok(isAbsolute(realGit), `git must be installed here (apt-get install git): ${realGit}`);
  realGit = realpathSync(realGit);
  ensureCli();
  Object.assign(process.env, { HOME: folder('qwq-gitpath-home-'), TMPDIR: folder('qwq-gitpath-tmp-'), XDG_CONFIG_HOME: folder('qwq-gitpath-config-'), XDG_CACHE_HOME: folder('qwq-gitpath-cache-') });
});
after(() => {
  for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  process.chdir(cwd);
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const executable = (path: string, text: string): void => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, 0o755);
};

/** A script named `git`: leaves `markers/<tag>` (a file only it creates), then runs the real git. */
const fakeGit = (tag: string): string => `#!/bin/sh\n: > '${join(markers, tag)}'\nexec '${realGit}' "$@"\n`;

/** What git lists: gen/kept.ts is tracked although .gitignore matches it (the walker leaves it out). */
const BY_GIT = ['.gitignore', 'gen/kept.ts', 'src/main.ts'];
const BY_WALKER = ['.gitignore', 'src/main.ts'];

/**
 * A git repository with a fake `git` in its root, in node_modules/.bin and in bin/ (each with its own marker,
 * `<tag>-root`, `<tag>-nm`, `<tag>-bin`; .git/info/exclude keeps them out of the listing).
 */
function repo(tag: string): string {
  const ws = folder('qwq-gitpath-ws-');
  const files: Record<string, string> = {
    '.gitignore': '*.log\ngen/\n',
    'src/main.ts': 'export function mainThing(): number {\n  return 1;\n}\n',
    'gen/kept.ts': 'export function keptThing(): number {\n  return 2;\n}\n',
    'gen/dropped.ts': 'export function droppedThing(): number {\n  return 3;\n}\n',
    'debug.log': 'x\n',
  };
  for (const [rel, text] of Object.entries(files)) { mkdirSync(dirname(join(ws, rel)), { recursive: true }); writeFileSync(join(ws, rel), text); }
  const git = (...args: string[]) => {
    const r = spawnSync(realGit, ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: ws, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  git('init', '-q');
  git('add', '.gitignore', 'src/main.ts');
  git('add', '-f', 'gen/kept.ts');
  git('commit', '-qm', 'init');
  writeFileSync(join(ws, '.git/info/exclude'), '/git\n/bin/\n/hooks/\n');
  executable(join(ws, 'git'), fakeGit(`${tag}-root`));
  executable(join(ws, 'node_modules/.bin/git'), fakeGit(`${tag}-nm`));
  executable(join(ws, 'bin/git'), fakeGit(`${tag}-bin`));
  return ws;
}

const assertNotStarted = (...tags: string[]): void => {
  for (const tag of tags) assert.equal(existsSync(join(markers, tag)), false, `the workspace's ${tag} ran on the host (markers: ${readdirSync(markers).join(', ')})`);
};
const allFakes = (tag: string): string[] => [`${tag}-root`, `${tag}-nm`, `${tag}-bin`];

/** Lists `ws` from inside it, with `path` as the PATH qwq was started with. */
async function listFrom(ws: string, path: string): Promise<string[]> {
  process.chdir(ws);
  process.env.PATH = path;
  try {
    return (await walkWorkspace(ws)).files.map((f) => f.rel);
  } finally {
    process.chdir(cwd);
    process.env.PATH = saved.PATH;
  }
}

for (const [name, entry] of [['`.`', '.'], ['an empty entry', ''], ['`node_modules/.bin`', 'node_modules/.bin'], ['the workspace\'s own bin/ (absolute)', 'bin']] as const) {
  test(`[walk] ${name} first on the PATH: the workspace's git is not started, the real git lists (.gitignore and tracked files as git says)`, async () => {
    const tag = `walk-${entry.replace(/\W/g, '') || 'empty'}`;
    const ws = repo(tag);
    const first = entry === 'bin' ? join(ws, 'bin') : entry;
    assert.deepEqual(await listFrom(ws, `${first}:${saved.PATH}`), BY_GIT);
    assertNotStarted(...allFakes(tag));
  });
}

test('[walk] core.fsmonitor in the workspace\'s .git/config is not started by the listing (git ls-files would start it)', async () => {
  const ws = repo('fsmon');
  executable(join(ws, 'hooks/fsmonitor'), `#!/bin/sh\n: > '${join(markers, 'fsmon-hook')}'\nexit 1\n`);
  const r = spawnSync(realGit, ['config', 'core.fsmonitor', join(ws, 'hooks/fsmonitor')], { cwd: ws, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(await listFrom(ws, saved.PATH ?? ''), BY_GIT);
  assertNotStarted('fsmon-hook', ...allFakes('fsmon'));
});

test('[walk] a trusted git that is a shim and looks `git` up again gets no workspace entry on its PATH', async () => {
  const ws = repo('shim');
  // A user's own wrapper (outside the workspace): drops its folder from the PATH, then runs the next `git`.
  const shims = folder('qwq-gitpath-shim-');
  executable(join(shims, 'git'), `#!/bin/sh\nPATH=$(printf %s "$PATH" | sed "s#^${shims}:##")\nexport PATH\nexec git "$@"\n`);
  assert.deepEqual(await listFrom(ws, `${shims}:.:node_modules/.bin:${join(ws, 'bin')}:${saved.PATH}`), BY_GIT);
  assertNotStarted(...allFakes('shim'));
});

test('[walk] where the only git on the PATH is the workspace\'s, it is not started: the walker lists, as without git', async () => {
  const ws = repo('only');
  // sh and sed, and no git, beside the workspace's entries.
  const tools = folder('qwq-gitpath-tools-');
  for (const t of ['sh', 'sed']) symlinkSync(realpathSync(spawnSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).stdout.trim()), join(tools, t));
  assert.deepEqual(await listFrom(ws, `.::node_modules/.bin:${join(ws, 'bin')}:${tools}`), BY_WALKER);
  assertNotStarted(...allFakes('only'));
});

test('[CLI] `repomap` run from inside the workspace with `.` and node_modules/.bin on its PATH: the map is git\'s listing, no workspace git started', () => {
  const ws = repo('cli');
  const r = spawnSync(process.execPath, [CLI, 'repomap', '--workspace', '.', '--json'], {
    cwd: ws, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, XDG_CACHE_HOME: folder('qwq-gitpath-clicache-'), PATH: `.:node_modules/.bin:${join(ws, 'bin')}:${saved.PATH}` },
  });
  assert.equal(r.status, 0, r.stderr);
  const paths = (JSON.parse(r.stdout) as { snippets: { path: string }[] }).snippets.map((s) => s.path).sort();
  assert.deepEqual(paths, ['gen/kept.ts', 'src/main.ts'], 'the tracked file .gitignore matches is mapped (git listed it); the ignored, untracked one is not');
  assertNotStarted(...allFakes('cli'));
});
