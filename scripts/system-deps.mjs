// The system packages the tests need beyond npm: Debian's chromium (e2e and integration drive it), Go and
// pytest (the fixture workspaces' own tests). On a fresh Debian machine as root they are installed with apt-get,
// so `npm test` stays one command; anywhere else a missing one is named with the package that provides it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const checks = [
  { pkg: 'chromium', ok: () => existsSync(process.env.QWQ_CHROMIUM ?? '/usr/bin/chromium') },
  { pkg: 'golang-go', ok: () => spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0 },
  { pkg: 'bubblewrap', ok: () => spawnSync('bwrap', ['--version'], { stdio: 'ignore' }).status === 0 },
  { pkg: 'python3-pytest', ok: () => spawnSync('python3', ['-m', 'pytest', '--version'], { stdio: 'ignore' }).status === 0 },
];

export function ensureSystemDeps() {
  const missing = checks.filter((c) => !c.ok()).map((c) => c.pkg);
  if (missing.length === 0) return;
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canApt) throw new Error(`missing system packages: ${missing.join(', ')} (on Debian: apt-get install ${missing.join(' ')})`);
  console.log(`system: installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  const still = checks.filter((c) => !c.ok()).map((c) => c.pkg);
  if (still.length) throw new Error(`still missing after apt-get: ${still.join(', ')}`);
}
