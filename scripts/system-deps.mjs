// The system packages that npm cannot install, by what needs them:
// - tools:     building code-server's native modules (kerberos, native-keymap, @vscode/spdlog, keytar…) when the
//              toolchain is installed into .tools/ (`npm start`, `npm run tools`, the integration and e2e tiers);
// - component: the component tests run the fixture workspaces' real tests (Go, pytest, cargo), git, and the sandbox;
// - browser:   Debian's chromium, which the integration and e2e tiers drive.
// On Debian as root a missing package is installed with apt-get, so `npm start` and `npm test` stay one command;
// anywhere else the missing packages are named (with the apt-get line that installs them) and nothing runs.
// Each check looks for what the package provides (a header, a command), not at dpkg, so a machine that has the
// files some other way passes too.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const runs = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const headers = (...paths) => () => paths.every((p) => existsSync(p));

export const SYSTEM_DEPS = {
  tools: [
    { pkg: 'build-essential', ok: () => runs('make', ['--version']) && runs('g++', ['--version']) },
    { pkg: 'python3', ok: () => runs('python3', ['--version']) },
    { pkg: 'pkg-config', ok: () => runs('pkg-config', ['--version']) },
    { pkg: 'libkrb5-dev', ok: headers('/usr/include/krb5.h', '/usr/include/gssapi/gssapi.h') },
    { pkg: 'libx11-dev', ok: headers('/usr/include/X11/Xlib.h') },
    { pkg: 'libxkbfile-dev', ok: headers('/usr/include/X11/extensions/XKBfile.h') },
    { pkg: 'libsecret-1-dev', ok: headers('/usr/include/libsecret-1/libsecret/secret.h') },
  ],
  component: [
    { pkg: 'golang-go', ok: () => runs('go', ['version']) },
    { pkg: 'python3-pytest', ok: () => runs('python3', ['-m', 'pytest', '--version']) },
    { pkg: 'cargo', ok: () => runs('cargo', ['--version']) },
    { pkg: 'bubblewrap', ok: () => runs('bwrap', ['--version']) },
    { pkg: 'git', ok: () => runs('git', ['--version']) },
  ],
  browser: [
    { pkg: 'chromium', ok: () => existsSync(process.env.QWQ_CHROMIUM ?? '/usr/bin/chromium') },
  ],
};

/** The Debian packages of `groups` whose check fails, without duplicates, in a stable order. */
export function missingSystemDeps(groups, deps = SYSTEM_DEPS) {
  const missing = [];
  for (const g of groups) {
    if (!deps[g]) throw new Error(`unknown system-deps group '${g}' (${Object.keys(deps).join(', ')})`);
    for (const c of deps[g]) if (!missing.includes(c.pkg) && !c.ok()) missing.push(c.pkg);
  }
  return missing;
}

/** Whether this process may install packages itself: root, with apt-get on PATH. */
export function canApt() {
  return process.getuid?.() === 0 && runs('apt-get', ['--version']);
}

/**
 * Makes sure the packages of `groups` are present: installs the missing ones with apt-get when root on Debian,
 * otherwise throws an error that names them. `why` says in the message what needs them.
 */
export function ensureSystemDeps(groups, { why = 'this command', log = console.log } = {}) {
  const missing = missingSystemDeps(groups);
  if (missing.length === 0) return [];
  if (!canApt()) {
    throw new Error(`${why} needs system packages that are missing: ${missing.join(', ')}\n`
      + `  on Debian/Ubuntu: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`system: installing ${missing.join(', ')} with apt-get (needed by ${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another apt-get may hold the dpkg lock for a while: wait for it rather than fail.
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  execFileSync('apt-get', [...lock, 'update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', [...lock, 'install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  const still = missingSystemDeps(groups);
  if (still.length) throw new Error(`still missing after apt-get: ${still.join(', ')}`);
  return missing;
}
