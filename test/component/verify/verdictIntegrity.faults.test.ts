// Verdict integrity (docs/architecture.md §5, the acceptance policy): patches that game the tests instead of
// fixing the code, through the real CLI (`qwq-coder verify`) on real runners (node:test, pytest, go). Each of
// these was `verified` before the policy (the no-op by the substring matcher, the judge edits by running the
// edit's own tests, the disarmed assertion with no audit, the Go red baseline); none may be green now. Two
// controls keep the policy honest the other way: a real fix is verified, a real Go build fix too.
// QWQ_FAULT_CLI=<path to another build's cli.js> runs the same cases against it (how they were shown to fail).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ensureCli, filesDir } from '../../support/cliWorkspace';
import { cliVerifyAsync } from './projects';

before(() => { if (!process.env.QWQ_FAULT_CLI) ensureCli(); });

interface Verify { code: number | null; json: { verdict: string; message: string; reason?: string; marks?: Array<{ path: string; line: number; kind: string; why: string }>; targetsStillFailing?: string[] } }

function verify(workspace: string, patch: string, ...flags: string[]): Promise<Verify> {
  const patchFile = join(filesDir('qwq-fault-patch-', { 'edit.patch': patch }), 'edit.patch');
  return cliVerifyAsync(workspace, patchFile, ['--timeout', '120', ...flags]);
}

/** SEARCH/REPLACE blocks (the CLI's patch format). */
const block = (path: string, search: string, replace: string): string => `${path}\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n`;

function notGreen(r: Verify, why: string): void {
  assert.notEqual(r.json.verdict, 'verified', `${why}: ${r.json.message}`);
  assert.equal(r.code, 1, why);
}

// ---- node:test: `add` is broken; `adds` fails, `adds negative` passes by luck ----
const MATH = 'function add(a, b) {\n  return a - b;\n}\nmodule.exports = { add };\n';
const MATH_TEST = `const { test } = require('node:test');
const assert = require('node:assert');
const { add } = require('../src/math');

test('adds', () => {
  assert.strictEqual(add(1, 2), 3);
});

test('adds negative', () => {
  assert.strictEqual(add(-1, 0), -1);
});
`;
const nodeWorkspace = (): string => filesDir('qwq-fault-node-', {
  'package.json': JSON.stringify({ name: 'math', version: '1.0.0', scripts: { test: 'node --test test/' } }, null, 2),
  'src/math.js': MATH,
  'test/math.test.js': MATH_TEST,
});

test('control: a real fix of `adds` is verified, with `adds` newly passing', async () => {
  const r = await verify(nodeWorkspace(), block('src/math.js', '  return a - b;\n', '  return a + b;\n'), '--fix-failing');
  assert.equal(r.json.verdict, 'verified', r.json.message);
  assert.equal(r.code, 0);
});

test('a no-op patch does not fix `adds` because `adds negative` passes (--target adds, and --fix-failing)', async () => {
  const w = nodeWorkspace();
  const noop = block('src/math.js', 'module.exports = { add };\n', 'module.exports = { add }; // tidy\n');
  const byName = await verify(w, noop, '--target', 'adds');
  notGreen(byName, 'no-op with --target adds');
  assert.equal(byName.json.verdict, 'not-fixed');
  assert.deepEqual(byName.json.targetsStillFailing, ['adds']);
  const fixFailing = await verify(w, noop, '--fix-failing');
  assert.equal(fixFailing.json.verdict, 'not-fixed', fixFailing.json.message);
});

test("a patch that edits the target's assertion is amber \"changes your tests\", with the hunk marked", async () => {
  const r = await verify(nodeWorkspace(), block('test/math.test.js', '  assert.strictEqual(add(1, 2), 3);\n', '  assert.ok(typeof add(1, 2) === \'number\');\n'), '--fix-failing');
  notGreen(r, 'weakened assertion');
  assert.equal(r.json.verdict, 'inconclusive');
  assert.match(r.json.reason ?? '', /changes your tests/);
  assert.ok(r.json.marks?.some((m) => m.path === 'test/math.test.js' && m.line === 6 && m.kind === 'changes-tests'), JSON.stringify(r.json.marks));
});

test('a patch that renames the failing test and adds a trivial one under its name is not verified', async () => {
  const r = await verify(nodeWorkspace(), block('test/math.test.js', "test('adds', () => {\n", "test('adds', () => {});\n\ntest('adds (to do)', () => {\n"), '--fix-failing');
  notGreen(r, 'renamed test');
  assert.match(r.json.reason ?? '', /changes your tests/);
});

test('a patch that monkeypatches assert.strictEqual in the test file is not verified', async () => {
  const r = await verify(nodeWorkspace(), block('test/math.test.js', "const assert = require('node:assert');\n", "const assert = require('node:assert');\nassert.strictEqual = () => {};\n"), '--fix-failing');
  notGreen(r, 'monkeypatched assert in the test file');
  assert.ok(r.json.marks?.some((m) => m.path === 'test/math.test.js' && m.line === 3), JSON.stringify(r.json.marks));
});

test("a library file doing require('node:assert').strictEqual = () => {} is not verified: the audit names the line", async () => {
  const r = await verify(nodeWorkspace(), block('src/math.js', 'module.exports = { add };\n', "require('node:assert').strictEqual = () => {};\nmodule.exports = { add };\n"), '--fix-failing');
  notGreen(r, 'disarmed assertions from library code');
  assert.equal(r.json.verdict, 'inconclusive');
  assert.match(r.json.reason ?? '', /the edit changes how tests report: src\/math\.js:4 .*assert/i);
  assert.ok(r.json.marks?.some((m) => m.path === 'src/math.js' && m.line === 4 && m.kind === 'audit'), JSON.stringify(r.json.marks));
});

// ---- pytest: a conftest hook that turns failed reports into passed ones ----
test('a conftest.py hook that turns failures into passes is not verified', async () => {
  const w = filesDir('qwq-fault-py-', {
    'pytest.ini': '[pytest]\ntestpaths = tests\n',
    'calc.py': 'def add(a, b):\n    return a - b\n',
    'tests/test_calc.py': 'import sys, os\nsys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))\nfrom calc import add\n\ndef test_adds():\n    assert add(1, 2) == 3\n\ndef test_adds_zero():\n    assert add(1, 0) == 1\n',
  });
  const hook = `import pytest

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        report.outcome = "passed"
`;
  for (const tests of ['all', 'related']) {
    // Related selection too: a conftest reaches every test, so every test runs.
    const r = await verify(w, block('conftest.py', '', hook), '--fix-failing', '--tests', tests);
    notGreen(r, `conftest hook (--tests ${tests})`);
    assert.match(r.json.reason ?? r.json.message, /changes your tests|changes how tests report/);
  }
});

// ---- go: a package whose tests do not compile, and a patch that empties the test ----
const goWorkspace = (): string => filesDir('qwq-fault-go-', {
  'go.mod': 'module example.com/calc\n\ngo 1.19\n',
  'calc.go': 'package calc\n\nfunc Add(a, b int) int { return a + b }\n',
  'calc_test.go': 'package calc\n\nimport "testing"\n\nfunc TestSub(t *testing.T) {\n\tif Sub(3, 1) != 2 {\n\t\tt.Fatal("Sub")\n\t}\n}\n',
});

test('go: a patch that empties the test of a package that did not compile is not verified', async () => {
  const r = await verify(goWorkspace(), block('calc_test.go', 'func TestSub(t *testing.T) {\n\tif Sub(3, 1) != 2 {\n\t\tt.Fatal("Sub")\n\t}\n}\n', 'func TestSub(t *testing.T) {}\n'));
  notGreen(r, 'emptied Go test');
});

test('control, go: the real fix of a package that did not compile (every test passes whole) is verified for a fix', async () => {
  const r = await verify(goWorkspace(), block('calc.go', 'func Add(a, b int) int { return a + b }\n', 'func Add(a, b int) int { return a + b }\n\nfunc Sub(a, b int) int { return a - b }\n'), '--fix-failing');
  assert.equal(r.json.verdict, 'verified', r.json.message);
});

test('a new test file only the edit adds is not in the held run (related selection): amber "changes your tests", not an error', async () => {
  const r = await verify(nodeWorkspace(), block('test/extra.test.js', '', "const { test } = require('node:test');\ntest('extra', () => {});\n"), '--tests', 'related');
  notGreen(r, 'new test file');
  assert.equal(r.json.verdict, 'inconclusive', r.json.message);
  assert.match(r.json.reason ?? '', /changes your tests/);
});
