// Why bubblewrap cannot run here, in words a user can act on (docs/architecture.md §5, "Isolation"). Probed
// once per process: the sandbox itself, then a network namespace of its own (some kernels cannot bring its
// loopback up). Nothing falls back silently: a run that needs what the probe found missing is an error that
// quotes this diagnosis. The bwrap probed is the one the runs start (an absolute path: sandboxLauncher.ts).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

function probeSandbox(bwrap: string | undefined): SandboxDiagnosis {
  const kernel: KernelSwitches = {
    unprivilegedUsernsClone: readSwitch('/proc/sys/kernel/unprivileged_userns_clone'),
    maxUserNamespaces: readSwitch('/proc/sys/user/max_user_namespaces'),
    apparmorRestrictUserns: readSwitch('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
  };
  if (process.platform !== 'linux' || !bwrap) return { ok: false, isolatedNetwork: false, ...explainBwrapFailure({ platform: process.platform, installed: false, stderr: '', kernel }) };
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

/** Forgets the probes (tests). */
export function resetSandboxDiagnosis(): void {
  cached.clear();
}
