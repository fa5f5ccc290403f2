// Why bubblewrap cannot run here, in words a user can act on (docs/architecture.md §5, "Isolation"). Probed
// once per process: the sandbox itself, then a network namespace of its own (some kernels cannot bring its
// loopback up). Nothing falls back silently: a run that needs what the probe found missing is an error that
// quotes this diagnosis.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface SandboxDiagnosis {
  /** bwrap runs (user namespaces, PID namespace). */
  ok: boolean;
  /** A network namespace of the run's own works (its loopback comes up). Meaningful only when ok. */
  isolatedNetwork: boolean;
  /** Why not, in one sentence (absent when everything works). */
  problem?: string;
  /** What the user can do about it. */
  fix?: string;
}

/** The kernel switches that decide whether unprivileged user namespaces exist (absent files: undefined). */
export interface KernelSwitches {
  unprivilegedUsernsClone?: string;
  maxUserNamespaces?: string;
  apparmorRestrictUserns?: string;
}

const ALLOW_UNSANDBOXED = 'or allow unsandboxed test runs for this workspace (CLI: --isolation copy; the extension asks once)';

/** Pure: turns a failed probe's stderr and the kernel switches into a problem and a fix. */
export function explainBwrapFailure(p: { platform: NodeJS.Platform; installed: boolean; stderr: string; kernel: KernelSwitches }): { problem: string; fix: string } {
  if (p.platform !== 'linux') {
    return { problem: `the test sandbox (bubblewrap) exists only on Linux, and this is ${p.platform}`, fix: `run the tests unsandboxed in a copy: ${ALLOW_UNSANDBOXED.replace(/^or /, '')}` };
  }
  if (!p.installed) return { problem: 'bubblewrap (bwrap) is not installed', fix: `install it (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap), ${ALLOW_UNSANDBOXED}` };
  if (p.kernel.apparmorRestrictUserns === '1') {
    return { problem: 'AppArmor forbids unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1, as on Ubuntu 24.04), so bwrap cannot start', fix: `add an AppArmor profile that lets /usr/bin/bwrap use user namespaces (Ubuntu ships one: apt-get install apparmor-profiles), or sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0, ${ALLOW_UNSANDBOXED}` };
  }
  if (p.kernel.unprivilegedUsernsClone === '0') return { problem: 'unprivileged user namespaces are switched off (kernel.unprivileged_userns_clone = 0), so bwrap cannot start', fix: `sudo sysctl kernel.unprivileged_userns_clone=1, ${ALLOW_UNSANDBOXED}` };
  if (p.kernel.maxUserNamespaces === '0') return { problem: 'user namespaces are switched off (user.max_user_namespaces = 0), so bwrap cannot start', fix: `sudo sysctl user.max_user_namespaces=15000, ${ALLOW_UNSANDBOXED}` };
  const said = p.stderr.trim().split('\n').filter(Boolean).pop() ?? 'no message';
  return { problem: `bwrap fails to start here (${said})`, fix: `check that user namespaces are allowed for your user (a container may need --privileged or a seccomp profile that allows clone/unshare), ${ALLOW_UNSANDBOXED}` };
}

/** Pure: whether a probe that unshared the network failed only at its loopback. */
export function isLoopbackFailure(stderr: string): boolean {
  return /loopback|RTM_NEWADDR|RTM_NEWLINK/i.test(stderr);
}

const readSwitch = (path: string): string | undefined => {
  try { return readFileSync(path, 'utf8').trim(); } catch { return undefined; }
};

let cached: SandboxDiagnosis | undefined;

/** Probes bwrap (≈ 40 ms once per process). */
export function diagnoseSandbox(): SandboxDiagnosis {
  if (cached) return cached;
  const kernel: KernelSwitches = {
    unprivilegedUsernsClone: readSwitch('/proc/sys/kernel/unprivileged_userns_clone'),
    maxUserNamespaces: readSwitch('/proc/sys/user/max_user_namespaces'),
    apparmorRestrictUserns: readSwitch('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
  };
  if (process.platform !== 'linux') return (cached = { ok: false, isolatedNetwork: false, ...explainBwrapFailure({ platform: process.platform, installed: false, stderr: '', kernel }) });
  const base = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--die-with-parent'];
  const probe = (extra: string[]): { status: number | null; stderr: string; missing: boolean } => {
    const r = spawnSync('bwrap', [...base, ...extra, 'true'], { encoding: 'utf8', timeout: 10_000 });
    return { status: r.status, stderr: r.stderr ?? '', missing: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' };
  };
  const withNet = probe(['--unshare-net']);
  if (withNet.status === 0) return (cached = { ok: true, isolatedNetwork: true });
  const plain = withNet.missing ? withNet : probe([]);
  if (plain.status === 0) {
    return (cached = {
      ok: true, isolatedNetwork: false,
      problem: `bwrap cannot give the tests a network of their own here (${withNet.stderr.trim().split('\n').pop() || 'no message'}${isLoopbackFailure(withNet.stderr) ? ': the kernel refused to bring its loopback up' : ''})`,
      fix: 'turn the network on for the tests (qwq.tests.network, CLI --network): they then share the host\'s network',
    });
  }
  return (cached = { ok: false, isolatedNetwork: false, ...explainBwrapFailure({ platform: process.platform, installed: !plain.missing, stderr: plain.stderr, kernel }) });
}

/** Forgets the probe (tests). */
export function resetSandboxDiagnosis(): void {
  cached = undefined;
}
