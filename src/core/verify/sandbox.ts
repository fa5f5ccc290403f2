// How a test run is kept away from the user's files, credentials and network (docs/architecture.md §5, "Isolation").
//
// - `sandbox` (Linux with bubblewrap): the run sees the system read-only; the shadow mounted read-write AT THE
//   WORKSPACE'S OWN PATH (editable installs, absolute links, tsconfig paths and caches that name the workspace
//   name the candidate); the user's node_modules as a scratch folder of read-only packages with writable
//   cache folders (writableLayers.ts); virtualenvs read-only; fresh /tmp; an empty home folder with only the
//   toolchains shown read-only (homeView.ts); credential-looking variables dropped (envFilter.ts); a network
//   namespace of its own unless the user turned the network on; a PID namespace that ends every process.
// - `copy` (only when the user asked for it: where bwrap cannot run, or with the sandbox turned off): not
//   sandboxed. The heavy folders are copied (nothing shared with the user's files), HOME, caches and TMPDIR
//   are scratch folders, and the workspace and the home folder's top level are compared after every run.
// The mode is decided before a run, from the machine and the user's setting: nothing a test prints or does
// changes it.
// - macOS: `sandbox-exec` with a profile that denies writes outside the copy and the scratch folders
//   (macosSandboxProfile). It cannot be tested on the Linux machines this project is built on: it is written
//   from Apple's SBPL documentation and is unverified.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { diagnoseSandbox } from './sandboxCheck';
import { bwrapFor, SANDBOX_EXEC } from './sandboxLauncher';
import type { HomeView } from './homeView';
import type { Mount } from './writableLayers';
import { msg, renderMessage, SaidError, type Message } from '../messages';

export type IsolationKind = 'sandbox' | 'copy';

/**
 * 'auto': the bubblewrap sandbox; where it cannot run, an error that says why (never a silent downgrade).
 * 'copy' (also spelled 'fallback'): unsandboxed in a copy, on the user's request. 'sandbox': bwrap or an error.
 * QWQ_SANDBOX=off|0|false is the same request as 'copy'.
 */
export type IsolationMode = 'auto' | 'sandbox' | 'copy' | 'fallback';

/** Whether bwrap runs here (installed, and user namespaces allowed). Probed once per process. */
export function bwrapAvailable(): boolean {
  return diagnoseSandbox(bwrapFor()).ok;
}

/** The mode asked for by the environment: QWQ_SANDBOX=off|0|false asks for the copy, =on|1|true requires bwrap. */
export function envIsolationMode(env: NodeJS.ProcessEnv = process.env): IsolationMode {
  const v = (env.QWQ_SANDBOX ?? '').toLowerCase();
  if (['off', '0', 'false', 'no'].includes(v)) return 'copy';
  if (['on', '1', 'true', 'yes'].includes(v)) return 'sandbox';
  return 'auto';
}

/** The sandbox cannot run and the user did not ask for the copy: the run is an error that says why and what to do. */
export class SandboxUnavailableError extends SaidError {
  readonly problem: string;
  readonly fix: string;
  constructor(problem: Message, fix: Message) {
    super(msg('sandboxNotRun', problem, fix));
    this.problem = renderMessage(problem);
    this.fix = renderMessage(fix);
  }
}

/**
 * Resolves a requested mode to what this machine does, before any run. Never downgrades on its own. `bwrap` is
 * the launcher the runs will start (sandboxLauncher.ts): the one probed.
 */
export function resolveIsolation(mode: IsolationMode, env: NodeJS.ProcessEnv, bwrap: string | undefined): 'sandbox' | 'fallback' {
  const asked = mode === 'auto' ? envIsolationMode(env) : mode;
  if (asked === 'copy' || asked === 'fallback') return 'fallback';
  const d = diagnoseSandbox(bwrap);
  if (d.ok) return 'sandbox';
  // macOS: QWQ_SANDBOX=on opts in to sandbox-exec around the copy (see macosSandboxProfile).
  if (asked === 'sandbox' && sandboxExecAvailable()) return 'fallback';
  throw new SandboxUnavailableError(d.problemSaid ?? msg('bwrapDoesNotRun'), d.fixSaid ?? msg('installBwrap'));
}

/** Per-run scratch folders: where the caches that tools write by default go instead of the user's folders. */
export interface Scratch {
  root: string;
  home: string;
  cache: string;
  tmp: string;
  cargoTarget: string;
}

export function makeScratch(root: string): Scratch {
  const s: Scratch = { root, home: join(root, 'home'), cache: join(root, 'cache'), tmp: join(root, 'tmp'), cargoTarget: join(root, 'cargo-target') };
  for (const d of [s.home, s.cache, s.tmp, s.cargoTarget, join(s.cache, 'find-cache-dir'), join(s.cache, 'npm'), join(s.cache, 'go-build')]) mkdirSync(d, { recursive: true });
  return s;
}

/** The environment that sends default caches to the run's scratch folders (both modes). */
export function scratchEnv(s: Scratch, kind: 'sandbox' | 'fallback'): Record<string, string> {
  return {
    // find-cache-dir (nyc, ava, babel-loader, terser-webpack-plugin, prettier) honours CACHE_DIR.
    CACHE_DIR: join(s.cache, 'find-cache-dir'),
    XDG_CACHE_HOME: s.cache,
    CARGO_TARGET_DIR: s.cargoTarget,
    TMPDIR: s.tmp,
    npm_config_cache: join(s.cache, 'npm'),
    // Never the user's (or another workspace's) build cache: this run's, started from the workspace's kept layer.
    GOCACHE: join(s.cache, 'go-build'),
    // Python byte-code beside the sources would land in the mirror; here it is a cache like the others.
    PYTHONPYCACHEPREFIX: join(s.cache, 'pycache'),
    // The sandbox keeps the real HOME path (an empty tmpfs with the toolchains shown); the copy gets a scratch one.
    ...(kind === 'fallback' ? { HOME: s.home, USERPROFILE: s.home } : {}),
  };
}

export interface SandboxPlan {
  /** The user's workspace path: where the shadow is mounted, and the run's working directory. */
  workspace: string;
  /** The shadow mirror on the host. */
  shadowRoot: string;
  /** The home folder as the run sees it (undefined: no home to hide). */
  home?: HomeView;
  /** Mounts inside the workspace view, in order (heavy folders, node_modules layers). */
  layers: Mount[];
  /** Host folders bound read-write at their own path (results, scratch). */
  writable: string[];
  /** Network namespace: false unshares it (the run's own loopback only). */
  network: boolean;
  /** Working directory inside the sandbox (default: the workspace). */
  cwd?: string;
}

/** Host paths that lead to agents and daemons holding keys; covered where they exist. */
const HOST_SOCKETS = ['/run/user', '/var/run/docker.sock', '/run/docker.sock', '/run/containerd', '/run/podman', '/var/run/libvirt'];

/**
 * bwrap's arguments for a plan, up to (not including) the command. Later mounts cover earlier ones, so the
 * order is: the system read-only, fresh /dev /proc /tmp, the empty home with its shown entries, the shadow at
 * the workspace path, the heavy folders inside it, then our own writable folders.
 */
export function bwrapArgs(p: SandboxPlan, exists: (p: string) => boolean = existsSync): string[] {
  const a = ['--ro-bind', '/', '/', '--dev', '/dev', '--tmpfs', '/dev/shm', '--proc', '/proc', '--tmpfs', '/tmp', '--tmpfs', '/var/tmp'];
  for (const s of HOST_SOCKETS) if (exists(s)) a.push(s.endsWith('.sock') ? '--ro-bind' : '--tmpfs', ...(s.endsWith('.sock') ? ['/dev/null', s] : [s]));
  if (p.home) {
    a.push('--tmpfs', p.home.home);
    for (const s of p.home.show) a.push('--ro-bind', s, s);
    for (const m of p.home.mask) a.push(...(m.dir ? ['--tmpfs', m.path] : ['--ro-bind', '/dev/null', m.path]));
  }
  a.push('--bind', p.shadowRoot, p.workspace);
  for (const m of p.layers) a.push(m.ro ? '--ro-bind' : '--bind', m.src, m.dest);
  for (const w of p.writable) a.push('--bind', w, w);
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
  return process.platform === 'darwin' && existsSync(SANDBOX_EXEC);
}
