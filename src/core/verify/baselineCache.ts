// The baseline once per state (docs/architecture.md §5): a baseline run is a function of what the tests see, so it
// is cached by content, never by time. The key signs the mirrored files (every path and content hash, overlays
// included), the heavy folders' layout (a reinstalled package changes an inode), the test command with its script
// steps, the selection, the isolation and network the run had, and the environment variables runners read.
//
// Three layers: the shadow's own map (one task), a per-process map per workspace (the extension host: the next
// task), and a per-workspace folder on disk (the CLI: the next process). The disk layer is written only after a
// sandboxed run (there the tests see our cache folder read-only; in the fallback they could forge an entry) and
// every entry names its workspace, so nothing is ever shared between workspaces.
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import type { TestCommand } from './detect';
import type { Selection } from './invocation';
import type { ExecutedRun } from './runTests';
import type { ShadowWorkspace } from './shadow';

/** Bumped when what a cached run means changes (result parsing, invocation): old entries then never match. */
const FORMAT = 'baseline-v1';
/** Entries kept per workspace: in memory (a run holds its output, up to the output cap) and on disk. */
const KEEP_IN_MEMORY = 8;
const KEEP_ON_DISK = 16;

/** Environment the runners read: a baseline under another NODE_OPTIONS or PATH is not the same run. */
const ENV_THAT_MATTERS = [
  'PATH', 'NODE_OPTIONS', 'NODE_ENV', 'NODE_PATH', 'CI', 'TZ', 'LANG', 'LC_ALL',
  'PYTEST_ADDOPTS', 'PYTHONPATH', 'VIRTUAL_ENV', 'GOFLAGS', 'GOPROXY', 'GOTOOLCHAIN', 'GOCACHE', 'CARGO_TARGET_DIR',
];

export function baselineCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.QWQ_BASELINE_CACHE === 'off') return undefined;
  if (env.QWQ_BASELINE_CACHE_DIR) return env.QWQ_BASELINE_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'qwq-coder', 'baselines');
}

/**
 * A signature of a heavy folder's layout: its entries' inode, mtime and size, one level down (two under
 * `@scope` folders and a virtualenv's lib/pythonX/site-packages). npm and pip replace a package's folder on
 * install, so its inode or the parent's mtime changes; no file inside is read.
 */
export function heavySignature(abs: string, budget = 20_000): string {
  const h = createHash('sha1');
  let left = budget;
  const walk = (dir: string, depth: number): void => {
    let names: string[];
    try { names = readdirSync(dir).sort(); } catch { h.update(`!${dir}\n`); return; }
    for (const n of names) {
      if (left-- <= 0) return;
      const st = lstatSync(join(dir, n), { throwIfNoEntry: false });
      if (!st) continue;
      h.update(`${n}\0${st.ino}\0${st.mtimeMs}\0${st.size}\n`);
      const descend = st.isDirectory() && depth < 3 && (n.startsWith('@') || n === 'lib' || /^python\d/.test(n) || n === 'site-packages');
      if (descend) walk(join(dir, n), depth + 1);
    }
  };
  const top = lstatSync(abs, { throwIfNoEntry: false });
  h.update(`${top?.ino ?? 0}\0${top?.mtimeMs ?? 0}\n`);
  walk(abs, 0);
  return h.digest('hex');
}

/** The key of the state a baseline run sees. Call after shadow.sync(): it reads the mirror's manifest. */
export function baselineStateKey(shadow: ShadowWorkspace, cmd: TestCommand, sel: Selection, env: NodeJS.ProcessEnv = process.env): string {
  const h = createHash('sha256');
  h.update(`${FORMAT}\0${shadow.source}\0${shadow.contentHash()}\n`);
  h.update(`${JSON.stringify(cmd)}\0${JSON.stringify(sel)}\n`);
  h.update(`${shadow.isolationMode}\0${shadow.networkSetting}\0${process.platform}\0${process.arch}\0${process.version}\n`);
  for (const k of ENV_THAT_MATTERS) h.update(`${k}=${env[k] ?? '\u0000unset'}\n`);
  for (const r of shadow.heavyFolders()) h.update(`${r}\0${heavySignature(join(shadow.source, r))}\n`);
  return h.digest('hex');
}

const memory = new Map<string, Map<string, ExecutedRun>>();

function workspaceDir(root: string, workspace: string): string {
  return join(root, createHash('sha256').update(workspace).digest('hex').slice(0, 32));
}

interface Entry { format: string; workspace: string; key: string; run: ExecutedRun }

function readDisk(workspace: string, key: string): ExecutedRun | undefined {
  const root = baselineCacheDir();
  if (!root || !/^[0-9a-f]{64}$/.test(key)) return undefined;
  try {
    const e = JSON.parse(readFileSync(join(workspaceDir(root, workspace), `${key}.json`), 'utf8')) as Entry;
    // The folder name is a hash of the workspace; the entry says it again, so a collision or a copied folder never matches.
    if (e.format !== FORMAT || e.workspace !== workspace || e.key !== key || !Array.isArray(e.run?.tests)) return undefined;
    return e.run;
  } catch {
    return undefined;
  }
}

function writeDisk(workspace: string, key: string, run: ExecutedRun): void {
  const root = baselineCacheDir();
  if (!root) return;
  try {
    const dir = workspaceDir(root, workspace);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = join(dir, `.${key}.${randomBytes(4).toString('hex')}.tmp`);
    const entry: Entry = { format: FORMAT, workspace, key, run };
    writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
    renameSync(tmp, join(dir, `${key}.json`));
    // Keep the newest few: a workspace edited all day would otherwise leave one file per state.
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
      .map((f) => ({ f, t: statSync(join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of files.slice(KEEP_ON_DISK)) rmSync(join(dir, f), { force: true });
  } catch {
    // A cache that cannot be written is only a slower next run.
  }
}

/** The cached baseline run for `key`: the shadow's own, this process's for the workspace, or (sandboxed) the disk's. */
export function lookupBaseline(shadow: ShadowWorkspace, key: string): ExecutedRun | undefined {
  const own = shadow.baselineCache.get(key) as ExecutedRun | undefined;
  if (own) return own;
  const mem = memory.get(shadow.source)?.get(key);
  const found = mem ?? (shadow.isolationMode === 'sandbox' ? readDisk(shadow.source, key) : undefined);
  if (found) shadow.baselineCache.set(key, found);
  return found;
}

/** Records a finished baseline run (interrupted ones say nothing about the code and are dropped). */
export function storeBaseline(shadow: ShadowWorkspace, key: string, run: ExecutedRun): void {
  if (run.timedOut || run.aborted) return;
  shadow.baselineCache.set(key, run);
  if (baselineCacheDir() === undefined) return;
  let mem = memory.get(shadow.source);
  if (!mem) memory.set(shadow.source, (mem = new Map()));
  mem.delete(key);
  mem.set(key, run);
  while (mem.size > KEEP_IN_MEMORY) mem.delete(mem.keys().next().value!);
  // Only a sandboxed run persists: there the tests could not write into our cache folder while they ran.
  if (shadow.isolationMode === 'sandbox' && run.isolation === 'sandbox') writeDisk(shadow.source, key, run);
}

// ---- the baseline's build output (buildOnce.ts): kept per state, so the next task's candidate skips the build ----

const BUILD_FORMAT = 'build-v1';
/** Build outputs kept per workspace (they are folders of compiled code, larger than a run's record). */
const KEEP_BUILDS = 4;

/**
 * The key of a build's output: what the build read (buildInputsKey: the mirror's content plus the changed
 * build inputs), the command with its steps, and the toolchain (environment, heavy folders' layout, platform).
 * Any change to one of them is another key: the output is never reused for other inputs.
 */
export function buildStateKey(shadow: ShadowWorkspace, cmd: TestCommand, inputsKey: string, env: NodeJS.ProcessEnv = process.env): string {
  const h = createHash('sha256');
  h.update(`${BUILD_FORMAT}\0${shadow.source}\0${inputsKey}\n${JSON.stringify(cmd)}\n`);
  h.update(`${shadow.isolationMode}\0${process.platform}\0${process.arch}\0${process.version}\n`);
  for (const k of ENV_THAT_MATTERS) h.update(`${k}=${env[k] ?? '\u0000unset'}\n`);
  for (const r of shadow.heavyFolders()) h.update(`${r}\0${heavySignature(join(shadow.source, r))}\n`);
  return h.digest('hex');
}

interface BuildEntry { format: string; workspace: string; key: string; dirs: string[] }

function buildsDir(workspace: string): string | undefined {
  const root = baselineCacheDir();
  return root ? join(workspaceDir(root, workspace), 'builds') : undefined;
}

const safeDir = (d: string): boolean => typeof d === 'string' && d !== '' && !posix.isAbsolute(d) && posix.normalize(d) === d && !d.split('/').includes('..');

/** A kept build output for `key`: the folder holding its output folders, and their paths relative to the
 * workspace. Only sandboxed runs read it, as only sandboxed baseline runs write it (storeBuild). */
export function lookupBuild(shadow: ShadowWorkspace, key: string): { dir: string; dirs: string[] } | undefined {
  const builds = buildsDir(shadow.source);
  if (!builds || shadow.isolationMode !== 'sandbox' || !/^[0-9a-f]{64}$/.test(key)) return undefined;
  try {
    const e = JSON.parse(readFileSync(join(builds, key, 'entry.json'), 'utf8')) as BuildEntry;
    if (e.format !== BUILD_FORMAT || e.workspace !== shadow.source || e.key !== key || !Array.isArray(e.dirs) || !e.dirs.every(safeDir)) return undefined;
    const dir = join(builds, key, 'out');
    return e.dirs.every((d) => existsSync(join(dir, d))) ? { dir, dirs: e.dirs } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps the output folders `dirs` of a baseline run that built (the user's own code, nothing of an edit's) for
 * the next task on the same state, in qwq-coder's per-workspace cache folder, never in the workspace. Only
 * after a sandboxed run: there the tests could not write into this folder (the home folder they see holds
 * no cache), so no run can plant an output for a later one.
 */
export function storeBuild(shadow: ShadowWorkspace, key: string, run: ExecutedRun, dirs: string[]): void {
  const builds = buildsDir(shadow.source);
  if (!builds || shadow.isolationMode !== 'sandbox' || run.isolation !== 'sandbox' || !/^[0-9a-f]{64}$/.test(key) || !dirs.every(safeDir)) return;
  const tmp = join(builds, `.${key}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(builds, { recursive: true, mode: 0o700 });
    for (const d of dirs) {
      mkdirSync(dirname(join(tmp, 'out', d)), { recursive: true });
      cpSync(join(shadow.root, d), join(tmp, 'out', d), { recursive: true, verbatimSymlinks: true });
    }
    const entry: BuildEntry = { format: BUILD_FORMAT, workspace: shadow.source, key, dirs };
    writeFileSync(join(tmp, 'entry.json'), JSON.stringify(entry), { mode: 0o600 });
    rmSync(join(builds, key), { recursive: true, force: true });
    renameSync(tmp, join(builds, key));
    const kept = readdirSync(builds).filter((f) => /^[0-9a-f]{64}$/.test(f))
      .map((f) => ({ f, t: statSync(join(builds, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of kept.slice(KEEP_BUILDS)) rmSync(join(builds, f), { recursive: true, force: true });
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // a cache that cannot be written is only a slower next task
  }
}

/** Forgets every cached baseline of this process (tests). */
export function clearBaselineMemory(): void {
  memory.clear();
}
