// The sandbox's command line and settings, as pure functions (the runs themselves are in
// test/component/verify/isolation.faults.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bwrapArgs, editableSourcePaths, envIsolationMode, macosSandboxProfile } from '../../../src/core/verify';

test('bwrap mounts in covering order: system read-only, fresh /tmp, the shadow at the workspace path, heavy folders read-only, scratch overlays last', () => {
  const a = bwrapArgs({ workspace: '/home/u/app', shadowRoot: '/tmp/qwq-shadow-1/app', readOnly: ['node_modules', 'pkg/a/.venv'], writable: [{ src: '/tmp/s/nm0/.cache', dest: '/home/u/app/node_modules/.cache' }], network: true });
  const at = (flag: string, dest: string): number => a.findIndex((x, i) => x === flag && a[i + 2] === dest);
  assert.deepEqual(a.slice(0, 3), ['--ro-bind', '/', '/']);
  assert.ok(a.join(' ').includes('--tmpfs /tmp '), 'a fresh /tmp');
  const shadow = at('--bind', '/home/u/app');
  const nm = at('--ro-bind', '/home/u/app/node_modules');
  const venv = at('--ro-bind', '/home/u/app/pkg/a/.venv');
  const cache = at('--bind', '/home/u/app/node_modules/.cache');
  assert.ok(shadow > 0 && shadow < nm && nm < cache && shadow < venv, a.join(' '));
  assert.equal(a[shadow + 1], '/tmp/qwq-shadow-1/app');
  for (const f of ['--unshare-pid', '--die-with-parent']) assert.ok(a.includes(f), f);
  assert.equal(a.includes('--unshare-net'), false, 'network on by default');
  assert.deepEqual(a.slice(-2), ['--chdir', '/home/u/app']);
  assert.ok(bwrapArgs({ workspace: '/w', shadowRoot: '/s', readOnly: [], writable: [], network: false }).includes('--unshare-net'));
});

test('QWQ_SANDBOX turns the sandbox off or requires it', () => {
  assert.equal(envIsolationMode({}), 'auto');
  for (const v of ['off', '0', 'false', 'OFF']) assert.equal(envIsolationMode({ QWQ_SANDBOX: v }), 'fallback');
  for (const v of ['on', '1', 'true']) assert.equal(envIsolationMode({ QWQ_SANDBOX: v }), 'sandbox');
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
