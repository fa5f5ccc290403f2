// The sandbox's command line, home view, environment filter and diagnosis, as pure functions (the runs
// themselves are in test/component/verify/isolation.faults.test.ts and sandboxIntegrity.faults.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bwrapArgs, diagnoseSandbox, editableSourcePaths, envIsolationMode, explainBwrapFailure, homeView, isLoopbackFailure, looksLikeCredential, looksLikeNetworkFailure,
  macosSandboxProfile, refusedWrites, withoutCredentials,
} from '../../../src/core/verify';
import { findHostProgram, trustedSearchDirs, untrustedPath } from '../../../src/core/util/hostPrograms';

test('bwrap mounts in covering order: system read-only, fresh /tmp, the empty home with its toolchains, the shadow, heavy folders, our folders last', () => {
  const home = { home: '/home/u', show: ['/home/u/.cargo'], mask: [{ path: '/home/u/.cargo/credentials.toml', dir: false }], hiddenSecrets: ['.ssh'] };
  const a = bwrapArgs({
    workspace: '/home/u/app', shadowRoot: '/tmp/qwq-shadow-1/app', home, network: false, writable: ['/tmp/results'],
    layers: [{ src: '/tmp/s/nm0', dest: '/home/u/app/node_modules', ro: false }, { src: '/home/u/app/node_modules/dep', dest: '/home/u/app/node_modules/dep', ro: true }, { src: '/home/u/app/.venv', dest: '/home/u/app/.venv', ro: true }],
  }, () => false);
  const at = (flag: string, dest: string): number => a.findIndex((x, i) => x === flag && a[i + (flag === '--tmpfs' ? 1 : 2)] === dest);
  assert.deepEqual(a.slice(0, 3), ['--ro-bind', '/', '/']);
  assert.ok(a.join(' ').includes('--tmpfs /tmp '), 'a fresh /tmp');
  const hidden = at('--tmpfs', '/home/u');
  const cargo = at('--ro-bind', '/home/u/.cargo');
  const token = at('--ro-bind', '/home/u/.cargo/credentials.toml');
  const shadow = at('--bind', '/home/u/app');
  const nm = at('--bind', '/home/u/app/node_modules');
  const dep = at('--ro-bind', '/home/u/app/node_modules/dep');
  const results = at('--bind', '/tmp/results');
  assert.ok(hidden > 0 && hidden < cargo && cargo < token && token < shadow && shadow < nm && nm < dep && dep < results, a.join(' '));
  assert.equal(a[token + 1], '/dev/null', 'a secret inside a shown folder is covered');
  for (const f of ['--unshare-pid', '--die-with-parent', '--unshare-net']) assert.ok(a.includes(f), f);
  assert.deepEqual(a.slice(-2), ['--chdir', '/home/u/app']);
  assert.equal(bwrapArgs({ workspace: '/w', shadowRoot: '/s', layers: [], writable: [], network: true }, () => false).includes('--unshare-net'), false, 'network on: the host network');
  assert.ok(bwrapArgs({ workspace: '/w', shadowRoot: '/s', layers: [], writable: [], network: true }, (p) => p === '/run/user').join(' ').includes('--tmpfs /run/user'), 'agent sockets hidden');
});

test('QWQ_SANDBOX=off asks for the copy; =on requires the sandbox', () => {
  assert.equal(envIsolationMode({}), 'auto');
  for (const v of ['off', '0', 'false', 'OFF']) assert.equal(envIsolationMode({ QWQ_SANDBOX: v }), 'copy');
  for (const v of ['on', '1', 'true']) assert.equal(envIsolationMode({ QWQ_SANDBOX: v }), 'sandbox');
});

test('the home view shows toolchains read-only and never a secret, not even inside a shown folder or on PATH', () => {
  const home = mkdtempSync(join(tmpdir(), 'qwq-home-'));
  try {
    for (const d of ['.ssh', '.aws', '.config/gh', '.cargo/bin', '.pyenv', '.local/bin', 'bin', '.gnupg']) mkdirSync(join(home, d), { recursive: true });
    for (const f of ['.gitconfig', '.npmrc', '.netrc', '.cargo/credentials.toml', '.git-credentials']) writeFileSync(join(home, f), 'x');
    const v = homeView(home, { PATH: `${join(home, 'bin')}:${join(home, '.ssh')}:/usr/bin`, CARGO_HOME: join(home, '.cargo') });
    const shown = v.show.map((p) => p.slice(home.length + 1)).sort();
    assert.deepEqual(shown, ['.cargo', '.gitconfig', '.local/bin', '.pyenv', 'bin']);
    assert.deepEqual(v.mask, [{ path: join(home, '.cargo/credentials.toml'), dir: false }]);
    for (const s of ['.ssh', '.aws', '.npmrc', '.netrc', '.gnupg', '.git-credentials', '.config/gh']) assert.ok(v.hiddenSecrets.includes(s), s);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('credential-looking variables are dropped unless allowed; ordinary ones stay', () => {
  for (const n of ['GH_TOKEN', 'GITHUB_TOKEN', 'NPM_TOKEN', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'OPENAI_API_KEY', 'DB_PASSWORD', 'MY_SECRET', 'SSH_AUTH_SOCK', 'NODE_AUTH_TOKEN', 'STRIPE_KEY']) assert.ok(looksLikeCredential(n), n);
  for (const n of ['PATH', 'HOME', 'LANG', 'NODE_OPTIONS', 'GOFLAGS', 'CI', 'TERM', 'PYTHONPATH', 'KEYBOARD', 'AUTHOR', 'AWS_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE']) assert.equal(looksLikeCredential(n), false, n);
  const r = withoutCredentials({ PATH: '/bin', GH_TOKEN: 't', NPM_TOKEN: 'n' }, ['NPM_TOKEN']);
  assert.deepEqual(r.env, { PATH: '/bin', NPM_TOKEN: 'n' });
  assert.deepEqual(r.dropped, ['GH_TOKEN']);
});

test('a bwrap that cannot start is explained: missing, AppArmor, user namespaces off, loopback', () => {
  const k = {};
  assert.match(explainBwrapFailure({ platform: 'darwin', installed: false, stderr: '', kernel: k }).problem, /only on Linux/);
  assert.match(explainBwrapFailure({ platform: 'linux', installed: false, stderr: '', kernel: k }).fix, /apt-get install bubblewrap/);
  assert.match(explainBwrapFailure({ platform: 'linux', installed: true, stderr: 'bwrap: setting up uid map: Permission denied', kernel: { apparmorRestrictUserns: '1' } }).problem, /AppArmor/);
  assert.match(explainBwrapFailure({ platform: 'linux', installed: true, stderr: '', kernel: { unprivilegedUsernsClone: '0' } }).fix, /unprivileged_userns_clone=1/);
  assert.match(explainBwrapFailure({ platform: 'linux', installed: true, stderr: '', kernel: { maxUserNamespaces: '0' } }).fix, /max_user_namespaces/);
  assert.match(explainBwrapFailure({ platform: 'linux', installed: true, stderr: 'bwrap: No permissions to creat new namespace', kernel: k }).problem, /No permissions/);
  for (const e of [explainBwrapFailure({ platform: 'linux', installed: false, stderr: '', kernel: k })]) assert.match(e.fix, /--isolation copy/);
  assert.ok(isLoopbackFailure('bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted'));
  assert.equal(isLoopbackFailure('bwrap: Creating new namespace failed'), false);
});

test('refused writes are found with their paths in Node, Python, Go and shell messages; network failures are recognised', () => {
  assert.deepEqual(refusedWrites("Error: EROFS: read-only file system, open '/w/node_modules/.cache/nyc/x.json'"), ['/w/node_modules/.cache/nyc/x.json']);
  assert.deepEqual(refusedWrites("OSError: [Errno 30] Read-only file system: '/w/.venv/lib/x.pyc'"), ['/w/.venv/lib/x.pyc']);
  assert.deepEqual(refusedWrites('open /usr/local/share/x: read-only file system'), ['/usr/local/share/x']);
  assert.deepEqual(refusedWrites("touch: cannot touch '/usr/x': Read-only file system"), ['/usr/x']);
  assert.deepEqual(refusedWrites('all good'), []);
  assert.ok(looksLikeNetworkFailure('Error: getaddrinfo EAI_AGAIN registry.npmjs.org'));
  assert.equal(looksLikeNetworkFailure('AssertionError: 1 !== 2'), false);
});

test('the macOS profile denies writes except under the given folders, and can deny the network', () => {
  const p = macosSandboxProfile(['/private/var/folders/x/qwq-shadow-1/app', '/tmp/a"b'], false);
  assert.match(p, /^\(version 1\)/);
  assert.match(p, /\(deny file-write\*\)/);
  assert.match(p, /\(allow file-write\* .*\(subpath "\/private\/var\/folders\/x\/qwq-shadow-1\/app"\)/);
  assert.match(p, /\(subpath "\/tmp\/a\\"b"\)/, 'quotes escaped');
  assert.match(p, /deny network-outbound/);
  assert.doesNotMatch(macosSandboxProfile(['/x'], true), /network/);
});

test('editable installs: .pth path lines and setuptools finder mappings inside the workspace become import paths', () => {
  const ws = mkdtempSync(join(tmpdir(), 'qwq-editable-'));
  const sp = join(ws, '.venv/lib/python3.11/site-packages');
  mkdirSync(sp, { recursive: true });
  writeFileSync(join(sp, 'easy-install.pth'), `${join(ws, 'src')}\n/usr/lib/elsewhere\nimport os; os.getcwd()\n`);
  writeFileSync(join(sp, '__editable___other_0_1_finder.py'), `MAPPING: dict[str, str] = {'other': '${join(ws, 'libs/other/other')}', 'ext': '/opt/ext'}\n`);
  writeFileSync(join(sp, '__editable__.flat-0.1.pth'), `${ws}\n`);
  assert.deepEqual(editableSourcePaths(ws, ['.venv']).sort(), ['', 'libs/other', 'src']);
  assert.deepEqual(editableSourcePaths(ws, []), []);
  rmSync(ws, { recursive: true, force: true });
});

test('a launcher is never looked up in a PATH entry the workspace may control: relative, empty, node_modules, inside the workspace or the shadows\' folder', () => {
  const path = ['.', '', 'node_modules/.bin', 'bin', '/home/u/app/bin', '/home/u/app', '/home/u/other/node_modules/.bin', '/tmp/qwq-shadow-1/app/bin', '/home/u/app-tools/bin', '/usr/local/bin/', '/opt/bw/../bin', '/usr/bin'].join(':');
  const dirs = trustedSearchDirs(path, ['/home/u/app', '/tmp']);
  assert.deepEqual(dirs, ['/home/u/app-tools/bin', '/usr/local/bin', '/opt/bin', '/usr/bin']);
  assert.deepEqual(trustedSearchDirs('/usr/bin:/usr/bin/', []), ['/usr/bin']);
  assert.deepEqual(trustedSearchDirs(undefined, []), [], 'no PATH: nowhere');
  assert.equal(untrustedPath('/home/u/app/../app/node_modules/x', []), true);
  assert.equal(untrustedPath('/home/u/app2/bin', ['/home/u/app']), false, 'a sibling folder whose name starts like the workspace is not inside it');
  assert.equal(untrustedPath('/home/u/app/../../../home/u/app/bin', ['/home/u/app/']), true, '.. and a trailing slash do not hide the workspace');
});

test('findHostProgram: the first executable outside the workspace, as a real path; a link into the workspace and a non-executable file are skipped', () => {
  const d = realpathSync(mkdtempSync(join(tmpdir(), 'qwq-launcher-unit-')));
  try {
    const ws = join(d, 'ws');
    const dirs = { ws: join(ws, 'bin'), linked: join(d, 'linked'), plain: join(d, 'plain'), good: join(d, 'good') };
    for (const x of Object.values(dirs)) mkdirSync(x, { recursive: true });
    writeFileSync(join(dirs.ws, 'bw'), '#!/bin/sh\n');
    chmodSync(join(dirs.ws, 'bw'), 0o755);
    symlinkSync(join(dirs.ws, 'bw'), join(dirs.linked, 'bw'));
    writeFileSync(join(dirs.plain, 'bw'), 'not a program\n');
    writeFileSync(join(dirs.good, 'bw'), '#!/bin/sh\n');
    chmodSync(join(dirs.good, 'bw'), 0o755);
    const path = [dirs.ws, dirs.linked, dirs.plain, dirs.good].join(':');
    assert.equal(findHostProgram('bw', [ws], path), join(dirs.good, 'bw'));
    assert.equal(findHostProgram('bw', [], path), join(dirs.ws, 'bw'), 'without the workspace named, its folder is an ordinary PATH entry');
    assert.equal(findHostProgram('bw', [ws], [dirs.ws, dirs.linked, dirs.plain].join(':')), undefined, 'none trusted: not found (the "bwrap is missing" diagnosis)');
    assert.equal(findHostProgram('bw', [ws], ''), undefined, 'an empty PATH: nowhere (not the current folder)');
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('no bwrap that may be trusted is the "bwrap is missing" diagnosis, and nothing is started', () => {
  const d = diagnoseSandbox(undefined);
  assert.equal(d.ok, false);
  assert.match(d.problem ?? '', process.platform === 'linux' ? /bubblewrap \(bwrap\) is not installed/ : /Linux/);
});
