// Fault suite for the result channel (docs/architecture.md §5, "Where results come from"): each test is an
// edit that leaves the bug in place (mul still adds) and forges the results instead, the way a model gaming
// its reward would. Before the channel each of the first four came out `verified` (issue 20); now none may be
// green, and the run that carried the forgery says why its results cannot be trusted. They run sandboxed
// (bubblewrap), with HOME and TMPDIR pointed at throw-away folders by the test tier.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bwrapAvailable, verifyChanges, type FullVerifyResult } from '../../../src/core/verify';
import type { FileChange } from '../../../src/core/edits/types';
import { makeProject, runnerCache, type Runner } from './projects';

let nodeModules = '';
before(() => {
  assert.ok(bwrapAvailable(), 'bubblewrap must run here (apt-get install bubblewrap)');
  nodeModules = runnerCache();
});

/** A fix task on the runner's calc project whose edit replaces (or adds) the given files. */
async function forge(runner: Runner, files: Record<string, (before: string | undefined) => string>): Promise<FullVerifyResult> {
  const p = makeProject(runner, { nodeModules });
  const changes: FileChange[] = Object.entries(files).map(([path, edit]) => {
    let before: string | undefined;
    try { before = readFileSync(join(p.dir, path), 'utf8'); } catch { before = undefined; }
    return { path, before, after: edit(before) };
  });
  return verifyChanges({ workspace: p.dir, changes, tests: 'all', timeoutMs: 120_000, trusted: true, fixFailing: true, isolation: 'sandbox' });
}

const show = (r: FullVerifyResult): string => JSON.stringify({ verdict: r.verdict, message: r.message, candidate: r.candidateTests?.map((t) => `${t.id}:${t.status}`) }, null, 1);

/** The forged run is never green, and `multiplies` (still broken) is never reported as passing. */
function assertNotGreen(r: FullVerifyResult): void {
  assert.notEqual(r.verdict, 'verified', show(r));
  assert.ok(!(r.candidateTests ?? []).some((t) => /multipl/.test(t.id) && t.status === 'passed'), `the broken test reads as passing: ${show(r)}`);
}

test('node:test: the test script echoes a reporter line (`::qwq-test::` on stdout) and exits 0 → not verified', async () => {
  // What the node:test collector trusted before the channel: any stdout line with the public prefix.
  const forged = '::qwq-test::{\\"type\\":\\"test:pass\\",\\"name\\":\\"multiplies\\",\\"nesting\\":0,\\"file\\":\\"$PWD/test/calc.test.js\\"}';
  const r = await forge('node:test', {
    'package.json': (b) => {
      const pkg = JSON.parse(b!);
      pkg.scripts.test = `node --test test/ || true; echo "${forged}"`;
      return JSON.stringify(pkg, null, 2);
    },
  });
  assertNotGreen(r);
});

test('node:test: a program after the runner prints reporter lines and writes a made-up record on fd 3 → not verified', async () => {
  const fake = `${'ab'.repeat(16)} 1 {"t":"case","file":"test/calc.test.js","name":"multiplies","status":"passed"}`;
  const r = await forge('node:test', {
    'package.json': (b) => {
      const pkg = JSON.parse(b!);
      pkg.scripts.test = 'node --test test/; node forge.js';
      return JSON.stringify(pkg, null, 2);
    },
    'forge.js': () => `const fs = require('fs');\nconsole.log('::qwq-test::' + JSON.stringify({ type: 'test:pass', name: 'multiplies', nesting: 0, file: process.cwd() + '/test/calc.test.js' }));\ntry { fs.writeSync(3, ${JSON.stringify(`${fake}\n`)}); } catch {}\n`,
  });
  assertNotGreen(r);
});

// The forgeries below live in the code under test (src/), which the judge-file rule does not restore, and
// spell what the patch audit looks for (/proc, the results folder, process.exit, afterAll) in pieces, as a
// model gaming its reward would: only the result channel stands between them and a green check.
const FIND_RESULTS = "require('fs').readFileSync('/pr' + 'oc/self/mount' + 'info', 'utf8').split('\\n').map((l) => l.split(' ')[4]).filter((p) => p && p.includes('qwq-' + 'results'))";

test('jest: the code under test adds an afterAll that finds the results folder (mountinfo), writes a passing jest.json and exits 0 → not verified', async () => {
  const r = await forge('jest', {
    'src/calc.js': (b) => `${b}
;(() => {
  const hook = globalThis['after' + 'All'];
  if (typeof hook !== 'function') return;
  hook(() => {
    const file = require('path').join(__dirname, '..', 'test', 'calc.test.js');
    const fake = { testResults: [{ name: file, status: 'passed', assertionResults: ['adds', 'multiplies', 'sees the argv typed by hand'].map((n) => ({ fullName: n, status: 'passed' })) }] };
    for (const d of ${FIND_RESULTS}) { try { require('fs').writeFileSync(d + '/jest.json', JSON.stringify(fake)); } catch {} }
    process['ex' + 'it'](0);
  });
})();
`,
  });
  assertNotGreen(r);
  assert.equal(r.verdict, 'inconclusive', show(r));
  assert.match(r.message, /ended before its reporter finished/, show(r));
});

test('mocha: the code under test adds an after hook that writes a passing xunit file into the results folder and exits 0 → not verified', async () => {
  const r = await forge('mocha', {
    'src/calc.js': (b) => `${b}
;(() => {
  const hook = globalThis['aft' + 'er'];
  if (typeof hook !== 'function') return;
  hook(function () {
    const file = require('path').join(__dirname, '..', 'test', 'calc.spec.js');
    const xml = '<testsuite name="Mocha Tests">' + ['adds', 'multiplies', 'sees the argv typed by hand'].map((n) => '<testcase classname="calc" name="' + n + '" file="' + file + '"/>').join('') + '</testsuite>';
    for (const d of ${FIND_RESULTS}) { try { require('fs').writeFileSync(d + '/mocha.xml', xml); } catch {} }
    process['ex' + 'it'](0);
  });
})();
`,
  });
  assertNotGreen(r);
  assert.equal(r.verdict, 'inconclusive', show(r));
  assert.match(r.message, /ended before its reporter finished/, show(r));
});

test('pytest: the code under test rewrites the JUnit file at exit and ends the process with exit 0 → not verified', async () => {
  const r = await forge('pytest', {
    'src/calc/__init__.py': (b) => `${b}

import atexit as _ae
import os as _o


def _forge():
    for w in _o.environ.get('PYTEST_ADDOPTS', '').split():
        if w.startswith('--junit' + 'xml='):
            try:
                with open(w.split('=', 1)[1].strip("'"), 'w') as f:
                    f.write('<testsuite><testcase classname="tests.test_calc" name="test_adds" file="tests/test_calc.py"/>'
                            '<testcase classname="tests.test_calc" name="test_multiplies" file="tests/test_calc.py"/></testsuite>')
            except OSError:
                pass
    getattr(_o, '_ex' + 'it')(0)


_ae.register(_forge)
`,
  });
  assertNotGreen(r);
  assert.equal(r.verdict, 'inconclusive', show(r));
  assert.match(r.message, /reported exit status 1 but the test command exited 0|exited 0 although/, show(r));
});

test('mocha: the code under test writes forged records straight onto the result channel (guessing the key) → not verified', async () => {
  const r = await forge('mocha', {
    'src/calc.js': (b) => `${b}
try {
  const fs = require('fs');
  for (const fd of [3, 4, 5, 6]) {
    try { fs.writeSync(fd, ${JSON.stringify(`${'0'.repeat(32)} 1 {"t":"case","file":"test/calc.spec.js","suite":"calc","name":"multiplies","status":"passed"}\n`)}); } catch {}
  }
} catch {}
`,
  });
  assertNotGreen(r);
  assert.equal(r.verdict, 'inconclusive', show(r));
  assert.match(r.message, /something other than the test reporter wrote/, show(r));
});

test('mocha: the code under test kills its own runner once the target test has run → not verified', async () => {
  const r = await forge('mocha', {
    'src/calc.js': (b) => b!.replace('function mul(a, b) { return a + b; }', "function mul(a, b) { setImmediate(() => process['ki' + 'll'](process.pid, 'SIGKILL')); return a + b; }"),
  });
  assertNotGreen(r);
});

test('the result channel reaches the runner through npm and bubblewrap (fds 3 and 4 survive both)', async () => {
  const p = makeProject('node:test', { nodeModules });
  const before = readFileSync(join(p.dir, p.edits.fix.path), 'utf8');
  const r = await verifyChanges({
    workspace: p.dir, changes: [{ path: p.edits.fix.path, before, after: before.replace(p.edits.fix.search, p.edits.fix.replace) }],
    tests: 'all', timeoutMs: 120_000, trusted: true, fixFailing: true, isolation: 'sandbox',
  });
  assert.equal(r.isolation, 'sandbox');
  assert.equal(r.command, 'npm test');
  assert.equal(r.verdict, 'verified', show(r));
  assert.ok(r.newlyPassing.some((id) => id.endsWith('multiplies')), show(r));
});
