// How a test run is kept away from the user's files (docs/architecture.md §5, "Isolation").
//
// - `sandbox` (Linux with bubblewrap): the run sees the whole system read-only, the shadow mounted read-write
//   AT THE WORKSPACE'S OWN PATH (so editable installs, absolute symlinks, tsconfig paths and caches that name
//   the workspace all name the candidate), the user's heavy folders (node_modules, virtualenvs) read-only, a
//   fresh /tmp, and per-shadow scratch folders for the caches tools write by default. A PID namespace ends
//   every process of the run when its shell ends, however the process detached itself.
// - `copy` / `checked` (everywhere else, or with the sandbox turned off): the heavy folders are copied into
//   the shadow (`copy`), or hard-linked file by file where the file system allows it (`checked`: a hard link
//   shares the file's inode, so the files' size/mtime/mode are compared after every run and any change turns
//   the verdict into an error that names the file). Caches are redirected the same way; HOME is not
//   protected on Linux without bubblewrap.
// - macOS: `sandbox-exec` with a profile that denies writes outside the shadow and the scratch folders
//   (macosSandboxProfile). It cannot be tested on the Linux machines this project is built on: it is written
//   from Apple's SBPL documentation and is unverified.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type IsolationKind = 'sandbox' | 'copy' | 'checked';

/** 'auto': bubblewrap when it works here, else the fallback. QWQ_SANDBOX=off (or 0/false) forces the fallback. */
export type IsolationMode = 'auto' | 'sandbox' | 'fallback';

let probed: boolean | undefined;

/** Whether bwrap runs here (installed, and user namespaces allowed). Probed once per process (~40 ms). */
export function bwrapAvailable(): boolean {
  if (probed !== undefined) return probed;
  if (process.platform !== 'linux') return (probed = false);
  const r = spawnSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--die-with-parent', 'true'], { stdio: 'ignore', timeout: 10_000 });
  return (probed = r.status === 0);
}

/** The mode asked for by the environment: QWQ_SANDBOX=off|0|false forces the fallback, =on|1|true requires bwrap. */
export function envIsolationMode(env: NodeJS.ProcessEnv = process.env): IsolationMode {
  const v = (env.QWQ_SANDBOX ?? '').toLowerCase();
  if (['off', '0', 'false', 'no'].includes(v)) return 'fallback';
  if (['on', '1', 'true', 'yes'].includes(v)) return 'sandbox';
  return 'auto';
}

/** Resolves a requested mode to what this machine can do. 'sandbox' without bwrap is an error, not a silent downgrade. */
export function resolveIsolation(mode: IsolationMode = envIsolationMode()): 'sandbox' | 'fallback' {
  const m = mode === 'auto' ? envIsolationMode() : mode;
  if (m === 'fallback') return 'fallback';
  if (bwrapAvailable()) return 'sandbox';
  // macOS: QWQ_SANDBOX=on opts in to sandbox-exec around the fallback's copy (see macosSandboxProfile).
  if (m === 'sandbox' && sandboxExecAvailable()) return 'fallback';
  if (m === 'sandbox') throw new Error('the test sandbox was required (QWQ_SANDBOX=on) but bubblewrap (bwrap) does not run here: install it (Debian: apt-get install bubblewrap)');
  return 'fallback';
}

/** Per-shadow scratch folders: where the caches that tools write by default go instead of the user's folders. */
export interface Scratch {
  root: string;
  home: string;
  cache: string;
  tmp: string;
  cargoTarget: string;
}

export function makeScratch(root: string): Scratch {
  const s: Scratch = { root, home: join(root, 'home'), cache: join(root, 'cache'), tmp: join(root, 'tmp'), cargoTarget: join(root, 'cargo-target') };
  for (const d of [s.home, s.cache, s.tmp, s.cargoTarget, join(s.cache, 'find-cache-dir'), join(s.cache, 'npm')]) mkdirSync(d, { recursive: true });
  return s;
}

/** Entries of the real home that the scratch home does not show: caches go to the scratch cache instead. */
const HOME_SKIP = new Set(['.cache', '.npm']);

/**
 * Fills the scratch HOME with symbolic links to the real home's top-level entries, so tools find their
 * configuration (~/.gitconfig, ~/.cargo, ~/.local, ~/.pyenv…). Inside the sandbox the real home is
 * read-only, so a write through such a link fails (EROFS) and a new file lands in the scratch home.
 * Only for the sandbox: outside it these links would be writable paths into the real home.
 */
export function populateScratchHome(s: Scratch, realHome = homedir()): void {
  let names: string[] = [];
  try { names = readdirSync(realHome); } catch { return; }
  for (const n of names) {
    if (HOME_SKIP.has(n)) continue;
    const at = join(s.home, n);
    if (lstatSync(at, { throwIfNoEntry: false })) continue;
    try { symlinkSync(join(realHome, n), at); } catch { /* a name we cannot link is simply absent */ }
  }
  if (!lstatSync(join(s.home, '.cache'), { throwIfNoEntry: false })) symlinkSync(s.cache, join(s.home, '.cache'));
}

/** The environment that sends default caches to the scratch folders (both the sandbox and the fallback). */
export function scratchEnv(s: Scratch, kind: 'sandbox' | 'fallback'): Record<string, string> {
  return {
    // find-cache-dir (nyc, ava, babel-loader, terser-webpack-plugin, prettier) honours CACHE_DIR.
    CACHE_DIR: join(s.cache, 'find-cache-dir'),
    XDG_CACHE_HOME: s.cache,
    CARGO_TARGET_DIR: s.cargoTarget,
    TMPDIR: s.tmp,
    npm_config_cache: join(s.cache, 'npm'),
    ...(kind === 'sandbox' ? { HOME: s.home } : {}),
  };
}

/** Cache folders some tools create inside node_modules whatever the environment says. */
export const NODE_MODULES_CACHES = ['.cache', '.vite', '.vitest'];

export interface SandboxPlan {
  /** The user's workspace path: where the shadow is mounted, and the run's working directory. */
  workspace: string;
  /** The shadow mirror on the host. */
  shadowRoot: string;
  /** Workspace-relative heavy folders, shown read-only from the user's workspace. */
  readOnly: string[];
  /** Host folders bound read-write at the given path (scratch overlays, results, scratch, build caches). */
  writable: Array<{ src: string; dest: string }>;
  /** Network namespace: false unshares it (loopback only). */
  network: boolean;
  /** Working directory inside the sandbox (default: the workspace). */
  cwd?: string;
}

/**
 * bwrap's arguments for a plan, up to (not including) the command. Later mounts cover earlier ones, so the
 * order is: the system read-only, fresh /dev /proc /tmp, the shadow at the workspace path, the heavy folders
 * read-only inside it, then the writable scratch overlays inside those.
 */
export function bwrapArgs(p: SandboxPlan): string[] {
  const a = ['--ro-bind', '/', '/', '--dev', '/dev', '--tmpfs', '/dev/shm', '--proc', '/proc', '--tmpfs', '/tmp', '--tmpfs', '/var/tmp'];
  a.push('--bind', p.shadowRoot, p.workspace);
  for (const rel of p.readOnly) a.push('--ro-bind', join(p.workspace, rel), join(p.workspace, rel));
  for (const w of p.writable) a.push('--bind', w.src, w.dest);
  a.push('--unshare-pid', '--die-with-parent', '--new-session');
  if (!p.network) a.push('--unshare-net');
  a.push('--chdir', p.cwd ?? p.workspace);
  return a;
}

/**
 * A sandbox-exec (Seatbelt) profile for macOS: reads anywhere, writes only to the shadow, the scratch folders,
 * the results folder and the system temp folders. UNTESTED: this project's machines run Linux, so the profile
 * follows Apple's SBPL syntax as documented and used by other tools; check it on a Mac before relying on it.
 */
export function macosSandboxProfile(writable: string[], network: boolean): string {
  const quote = (p: string): string => `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return [
    '(version 1)',
    '(allow default)',
    '(deny file-write*)',
    `(allow file-write* ${[...writable, '/dev/null', '/dev/tty', '/private/tmp', '/private/var/folders'].map((p) => `(subpath ${quote(p)})`).join(' ')})`,
    ...(network ? [] : ['(deny network-outbound (remote ip))', '(allow network-outbound (remote ip "localhost:*"))']),
    '',
  ].join('\n');
}

/** Whether sandbox-exec exists (macOS). */
export function sandboxExecAvailable(): boolean {
  return process.platform === 'darwin' && existsSync('/usr/bin/sandbox-exec');
}
