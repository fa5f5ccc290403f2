// Why bubblewrap cannot run here, in words a user can act on (docs/architecture.md §5, "Isolation"). Probed
// once per process: the sandbox itself, then a network namespace of its own (some kernels cannot bring its
// loopback up). Nothing falls back silently: a run that needs what the probe found missing is an error that
// quotes this diagnosis. The bwrap probed is the one the runs start (an absolute path: sandboxLauncher.ts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { msg, renderMessage, type Message } from '../messages';
import { SYSTEM_SHELL } from './sandboxLauncher';

export interface SandboxDiagnosis {
  /** bwrap runs (user namespaces, PID namespace). */
  ok: boolean;
  /** A network namespace of the run's own works (its loopback comes up). Meaningful only when ok. */
  isolatedNetwork: boolean;
  /** Why not, in one sentence (absent when everything works). */
  problem?: string;
  /** What the user can do about it. */
  fix?: string;
  /** `problem` and `fix` in the message table's terms. */
  problemSaid?: Message;
  fixSaid?: Message;
}

/** The kernel switches that decide whether unprivileged user namespaces exist (absent files: undefined). */
export interface KernelSwitches {
  unprivilegedUsernsClone?: string;
  maxUserNamespaces?: string;
  apparmorRestrictUserns?: string;
}

/** The diagnosis's problem and fix: English, and in the message table's terms for a view that translates them. */
export interface BwrapExplanation {
  problem: string;
  fix: string;
  problemSaid: Message;
  fixSaid: Message;
}

const explained = (problemSaid: Message, fixSaid: Message): BwrapExplanation => ({ problem: renderMessage(problemSaid), fix: renderMessage(fixSaid), problemSaid, fixSaid });

/** Pure: turns a failed probe's stderr and the kernel switches into a problem and a fix. */
export function explainBwrapFailure(p: { platform: NodeJS.Platform; installed: boolean; stderr: string; kernel: KernelSwitches }): BwrapExplanation {
  const orCopy = msg('orAllowUnsandboxed');
  if (p.platform !== 'linux') return explained(msg('bwrapOnlyLinux', p.platform), msg('runUnsandboxed'));
  if (!p.installed) return explained(msg('bwrapMissing'), msg('bwrapInstall', orCopy));
  if (p.kernel.apparmorRestrictUserns === '1') return explained(msg('apparmorUserns'), msg('apparmorUsernsFix', orCopy));
  if (p.kernel.unprivilegedUsernsClone === '0') return explained(msg('usernsCloneOff'), msg('usernsCloneFix', orCopy));
  if (p.kernel.maxUserNamespaces === '0') return explained(msg('userNamespacesOff'), msg('userNamespacesFix', orCopy));
  const said = p.stderr.trim().split('\n').filter(Boolean).pop();
  return explained(msg('bwrapFails', said ?? msg('noStderr')), msg('bwrapFailsFix', orCopy));
}

/** Pure: whether a probe that unshared the network failed only at its loopback. */
export function isLoopbackFailure(stderr: string): boolean {
  return /loopback|RTM_NEWADDR|RTM_NEWLINK/i.test(stderr);
}

const readSwitch = (path: string): string | undefined => {
  try { return readFileSync(path, 'utf8').trim(); } catch { return undefined; }
};

const cached = new Map<string, SandboxDiagnosis>();

/**
 * Probes `bwrap`, the absolute path the runs will start (sandboxLauncher.ts; undefined: none was found, which is
 * "bwrap is missing"), ≈ 40 ms once per path and process. No default: an undefined must never become a lookup.
 */
export function diagnoseSandbox(bwrap: string | undefined): SandboxDiagnosis {
  const key = bwrap ?? '';
  let d = cached.get(key);
  if (!d) cached.set(key, (d = probeSandbox(bwrap)));
  return d;
}

// ---- a working probe, remembered between processes (the CLI is one process per verify: ~6-10 ms each) ----
// Only a full success is kept (bwrap and a network namespace of its own both work); anything else is probed
// again every time, so a machine that was fixed is seen at once. The key holds everything the answer depends
// on that can change without notice: the bwrap binary, this boot, this user and the namespaces this process
// runs in (a container sharing the home folder has others), and the kernel switches. A run whose bwrap fails
// anyway forgets it (forgetSandboxProbe).

/** Where the remembered probe is kept: the user's cache folder, which a sandboxed test cannot see. */
export function sandboxProbeFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'qwq-coder', 'sandbox-probe.json');
}

function probeKey(bwrap: string, kernel: KernelSwitches): string | undefined {
  try {
    const st = statSync(bwrap);
    const namespaces = ['user', 'mnt', 'pid', 'net'].map((n) => readlinkSync(`/proc/self/ns/${n}`));
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return JSON.stringify([1, bwrap, st.dev, st.ino, st.size, st.mtimeMs, st.ctimeMs, boot, process.getuid?.(), namespaces, kernel]);
  } catch {
    return undefined;
  }
}

function rememberedWorking(key: string): boolean {
  try { return (JSON.parse(readFileSync(sandboxProbeFile(), 'utf8')) as { key?: unknown }).key === key; } catch { return false; }
}

function rememberWorking(key: string): void {
  const file = sandboxProbeFile();
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, JSON.stringify({ key }));
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true }); // best effort: the next process probes again
  }
}

/** A sandboxed run's bwrap failed although the probe said it works: probe again next time, in every process. */
export function forgetSandboxProbe(): void {
  cached.clear();
  try { rmSync(sandboxProbeFile(), { force: true }); } catch { /* nothing kept */ }
}

function probeSandbox(bwrap: string | undefined): SandboxDiagnosis {
  const kernel: KernelSwitches = {
    unprivilegedUsernsClone: readSwitch('/proc/sys/kernel/unprivileged_userns_clone'),
    maxUserNamespaces: readSwitch('/proc/sys/user/max_user_namespaces'),
    apparmorRestrictUserns: readSwitch('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
  };
  if (process.platform !== 'linux' || !bwrap) return { ok: false, isolatedNetwork: false, ...explainBwrapFailure({ platform: process.platform, installed: false, stderr: '', kernel }) };
  const key = probeKey(bwrap, kernel);
  if (key && rememberedWorking(key)) return { ok: true, isolatedNetwork: true };
  const d = probeNow(bwrap, kernel);
  if (key && d.ok && d.isolatedNetwork) rememberWorking(key);
  return d;
}

function probeNow(bwrap: string, kernel: KernelSwitches): SandboxDiagnosis {
  const base = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--die-with-parent'];
  const probe = (extra: string[]): { status: number | null; stderr: string; missing: boolean } => {
    // What a run starts inside (a bare `true` would be looked up on this PATH, and a PATH without it read as "bwrap fails").
    const r = spawnSync(bwrap, [...base, ...extra, SYSTEM_SHELL, '-c', ':'], { encoding: 'utf8', timeout: 10_000 });
    return { status: r.status, stderr: r.stderr ?? '', missing: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' };
  };
  const withNet = probe(['--unshare-net']);
  if (withNet.status === 0) return { ok: true, isolatedNetwork: true };
  const plain = withNet.missing ? withNet : probe([]);
  if (plain.status === 0) {
    return {
      ok: true, isolatedNetwork: false,
      ...explained(msg('noOwnNetwork', withNet.stderr.trim().split('\n').pop() || msg('noStderr'), isLoopbackFailure(withNet.stderr) ? msg('loopbackRefused') : ''), msg('networkOnFix')),
    };
  }
  return { ok: false, isolatedNetwork: false, ...explainBwrapFailure({ platform: process.platform, installed: !plain.missing, stderr: plain.stderr, kernel }) };
}

/** Forgets the probes, the remembered one too (tests). */
export function resetSandboxDiagnosis(): void {
  forgetSandboxProbe();
}
