// The acceptance policy (src/core/verify/policy/decide.ts): the one rule for "verified". Real audit (tree-sitter),
// real judge-file classification; the runs are per-test results as the runners report them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditPatch, decide, holdJudgeFiles, isTestFile, namesTest, type AcceptanceTask, type JudgedRun, type TestCaseResult } from '../../../src/core/verify';
import type { FileChange } from '../../../src/core/edits/types';

const run = (tests: Array<[string, TestCaseResult['status']]>, exitCode?: number): JudgedRun => {
  const results = tests.map(([id, status]) => ({ id, status }));
  return { tests: results, exitCode: exitCode ?? (results.some((t) => t.status === 'failed') ? 1 : 0), reported: true, output: '' };
};
const NO_CONFIG = { globs: [], dirs: [] };

async function patchOf(task: AcceptanceTask, changes: FileChange[]) {
  const { judgeChanges } = holdJudgeFiles(task.kind, changes, NO_CONFIG);
  return { changes, judgeChanges, audit: await auditPatch(changes, isTestFile) };
}

const LIB: FileChange = { path: 'src/math.js', before: 'exports.add = (a, b) => a - b;\n', after: 'exports.add = (a, b) => a + b;\n' };

test('targets are compared whole: `adds` is not `adds negative`', () => {
  assert.equal(namesTest('adds', 'test/math.test.js::adds'), true);
  assert.equal(namesTest('test/math.test.js::adds', 'test/math.test.js::adds'), true);
  assert.equal(namesTest('adds', 'test/math.test.js::adds negative'), false);
  assert.equal(namesTest('adds', 'adds negative'), false);
  assert.equal(namesTest('math', 'test/math.test.js::adds'), false);
});

test('a no-op patch does not fix `adds` because `adds negative` passes (fix-failing and --target)', async () => {
  const baseline = run([['t::adds', 'failed'], ['t::adds negative', 'passed']]);
  const noop: FileChange = { path: 'src/math.js', before: 'x\n', after: 'x\n// touched\n' };
  for (const task of [{ kind: 'fix-failing-tests' }, { kind: 'edit-selection', targets: ['adds'] }] as AcceptanceTask[]) {
    const d = decide(task, baseline, { candidate: run([['t::adds', 'failed'], ['t::adds negative', 'passed']]) }, await patchOf(task, [noop]));
    assert.equal(d.verdict, 'not-fixed', d.message);
    assert.equal(d.targetsStillFailing.length, 1);
  }
});

test('a real fix of `adds` is verified; the same fix that also edits the test is amber "changes your tests", never green', async () => {
  const task: AcceptanceTask = { kind: 'fix-failing-tests' };
  const baseline = run([['t::adds', 'failed'], ['t::adds negative', 'passed']]);
  const fixed = run([['t::adds', 'passed'], ['t::adds negative', 'passed']]);
  assert.equal(decide(task, baseline, { candidate: fixed }, await patchOf(task, [LIB])).verdict, 'verified');

  // The edit weakens the target's assertion: held to the user's test it still fails.
  const weakened: FileChange = { path: 'test/math.test.js', before: "assert.equal(add(1, 2), 3);\n", after: "assert.ok(add(1, 2));\n" };
  const d = decide(task, baseline, { candidate: baseline, editedTests: fixed }, await patchOf(task, [weakened]));
  assert.equal(d.verdict, 'inconclusive');
  assert.match(d.reason!, /changes your tests/);
  assert.deepEqual(d.marks.map((m) => [m.path, m.line, m.kind]), [['test/math.test.js', 1, 'changes-tests']]);

  // Held green, but the edit's own test changes break a test: red.
  const both = [LIB, weakened];
  const d2 = decide(task, baseline, { candidate: fixed, editedTests: run([['t::adds', 'passed'], ['t::adds negative', 'failed']]) }, await patchOf(task, both));
  assert.equal(d2.verdict, 'regressed', 'red: the edit as a whole breaks a test');
  assert.match(d2.reason!, /changes your tests/);
  // Held green and the edit's tests green too: green, from the user's tests as they were, with the hunks marked.
  const d3 = decide(task, baseline, { candidate: fixed, editedTests: fixed }, await patchOf(task, both));
  assert.equal(d3.verdict, 'verified', d3.message);
  assert.match(d3.message, /changes your tests/);
  // Without the edit's own run the policy cannot say it: not green.
  assert.equal(decide(task, baseline, { candidate: fixed }, await patchOf(task, both)).verdict, 'inconclusive');
});

test('an audit hit is never green, and the card names the line and why', async () => {
  const task: AcceptanceTask = { kind: 'fix-failing-tests' };
  const baseline = run([['t::adds', 'failed']]);
  const disarm: FileChange = { path: 'src/math.js', before: 'exports.add = (a, b) => a - b;\n', after: "exports.add = (a, b) => a - b;\nrequire('node:assert').strictEqual = () => {};\n" };
  const d = decide(task, baseline, { candidate: run([['t::adds', 'passed']]) }, await patchOf(task, [disarm]));
  assert.equal(d.verdict, 'inconclusive');
  assert.match(d.reason!, /the edit changes how tests report: src\/math\.js:2 .*assert/i);
  assert.deepEqual(d.marks.map((m) => [m.path, m.line, m.kind]), [['src/math.js', 2, 'audit']]);
});

test('red baseline: a build failure before and a whole green suite after is a fix; exit codes 1 → 0 too', async () => {
  const task: AcceptanceTask = { kind: 'fix-failing-tests' };
  const build = decide(task, run([['example.com/calc::[build]', 'failed']]), { candidate: run([['example.com/calc::TestAdd', 'passed']]) }, await patchOf(task, [LIB]));
  assert.equal(build.verdict, 'verified', build.message);
  // Gone, but the run does not pass whole: not fixed.
  const partial = decide(task, run([['p::[build]', 'failed']]), { candidate: run([['p::TestAdd', 'passed'], ['p::TestSub', 'failed']]) }, await patchOf(task, [LIB]));
  assert.notEqual(partial.verdict, 'verified');
  // A real test that vanished is never fixed by vanishing.
  const vanished = decide(task, run([['p::TestAdd', 'failed'], ['p::TestSub', 'passed']]), { candidate: run([['p::TestSub', 'passed']]) }, await patchOf(task, [LIB]));
  assert.notEqual(vanished.verdict, 'verified');
  const exitOnly = (code: number): JudgedRun => ({ tests: [], exitCode: code, reported: false, output: '' });
  assert.equal(decide(task, exitOnly(1), { candidate: exitOnly(0) }, await patchOf(task, [LIB])).verdict, 'verified');
  assert.equal(decide({ kind: 'edit-selection' }, exitOnly(1), { candidate: exitOnly(0) }, await patchOf({ kind: 'edit-selection' }, [LIB])).verdict, 'inconclusive');
});

test('goal checks live in the policy: Implement Function must change the named body; Generate Tests needs a caught mutation', async () => {
  const before = 'function total(xs) {\n  return 0;\n}\nfunction itemCount(xs) {\n  return 0;\n}\n';
  const other: FileChange = { path: 'src/cart.js', before, after: before.replace('function itemCount(xs) {\n  return 0;', 'function itemCount(xs) {\n  return xs.length;') };
  const impl: AcceptanceTask = { kind: 'implement-function', symbol: 'total', file: 'src/cart.js' };
  const green = run([['t::total', 'passed']]);
  const d = decide(impl, green, { candidate: green }, await patchOf(impl, [other]));
  assert.equal(d.verdict, 'not-fixed');
  assert.match(d.reason!, /not the body of total/);

  const gen: AcceptanceTask = { kind: 'generate-tests', file: 'src/adult.js' };
  const tests: FileChange = { path: 'test/adult.test.js', before: undefined, after: "test('x', () => {});\n" };
  const base = run([['old', 'passed']]);
  const withNew = run([['old', 'passed'], ['test/adult.test.js::x', 'passed']]);
  const p = await patchOf(gen, [tests]);
  assert.equal(p.judgeChanges.length, 0, 'Generate Tests keeps its own rule: its test files are the deliverable');
  const pending = decide(gen, base, { candidate: withNew }, p);
  assert.equal(pending.needs, 'mutation');
  assert.notEqual(pending.verdict, 'verified');
  assert.equal(decide(gen, base, { candidate: withNew, mutation: { description: 'line 2: >= → >', killed: false } }, p).verdict, 'not-fixed');
  assert.equal(decide(gen, base, { candidate: withNew, mutation: { description: 'line 2: >= → >', killed: true } }, p).verdict, 'verified');
});

test('judge files: tests by pattern, setup and config, the manifest\'s test fields (held, the rest kept), the lockfile', () => {
  const pkgBefore = JSON.stringify({ name: 'x', scripts: { test: 'node --test' }, dependencies: {} }, null, 2);
  const pkgAfter = JSON.stringify({ name: 'x', scripts: { test: 'echo ok' }, dependencies: { leftpad: '1' } }, null, 2);
  const changes: FileChange[] = [
    { path: 'src/a.js', before: 'a', after: 'b' },
    { path: 'conftest.py', before: undefined, after: 'def pytest_runtest_makereport(): pass\n' },
    { path: 'pkg/calc_test.go', before: 'package calc\n', after: '' },
    { path: 'spec/helpers/setup.js', before: 'x', after: 'y' },
    { path: 'jest.config.js', before: 'a', after: 'b' },
    { path: 'package.json', before: pkgBefore, after: pkgAfter },
    { path: 'package-lock.json', before: '{}', after: '{ }' },
    { path: 'pyproject.toml', before: '[project]\nname = "x"\n[tool.pytest.ini_options]\naddopts = ""\n', after: '[project]\nname = "y"\n[tool.pytest.ini_options]\naddopts = "-p no:x"\n' },
    { path: 'setup.cfg', before: '[metadata]\nname = x\n', after: '[metadata]\nname = y\n' },
  ];
  const { held, judgeChanges } = holdJudgeFiles('fix-failing-tests', changes, { globs: ['checks/**/*.js'], dirs: [] });
  assert.deepEqual(judgeChanges.map((c) => c.path), ['conftest.py', 'pkg/calc_test.go', 'spec/helpers/setup.js', 'jest.config.js', 'package.json', 'package-lock.json', 'pyproject.toml']);
  assert.deepEqual(held.map((c) => c.path), ['src/a.js', 'package.json', 'setup.cfg']);
  const pkg = JSON.parse(held.find((c) => c.path === 'package.json')!.after);
  assert.deepEqual(pkg.scripts, { test: 'node --test' }, 'the test script is the user\'s');
  assert.deepEqual(pkg.dependencies, { leftpad: '1' }, 'the edit keeps its other manifest changes');
  // What decides how the test command starts judges too: npm's node-options, Python's start-up hooks.
  for (const path of ['.npmrc', 'sitecustomize.py', 'lib/python3.12/site-packages/hack.pth', 'Makefile']) {
    assert.equal(holdJudgeFiles('edit-selection', [{ path, before: 'a', after: 'b' }], NO_CONFIG).judgeChanges.length, 1, path);
  }
  // A runner's own pattern (jest testMatch, mocha spec) makes a file a test.
  const custom = holdJudgeFiles('edit-selection', [{ path: 'checks/math.js', before: 'a', after: 'b' }], { globs: ['checks/**/*.js'], dirs: [] });
  assert.equal(custom.judgeChanges.length, 1);
});

test('a suite that reports nothing and exits 0 before and after verifies no edit, whatever the task (issue 20 follow-up)', async () => {
  const silent: JudgedRun = { tests: [], exitCode: 0, reported: false, output: '', results: 'exit-code' };
  const tasks: AcceptanceTask[] = [
    { kind: 'edit-selection' }, { kind: 'fix-failing-tests' }, { kind: 'edit-selection', targets: ['adds'] },
    { kind: 'implement-function', symbol: 'add', file: 'src/math.js' }, { kind: 'generate-tests', file: 'src/math.js' },
  ];
  for (const task of tasks) {
    const d = decide(task, silent, { candidate: silent }, await patchOf(task, [LIB]));
    assert.notEqual(d.verdict, 'verified', `${task.kind}: ${d.message}`);
  }
  // The control: the same runner exiting 1 before and 0 after is a fix the exit code shows (uvu).
  const fixed = decide({ kind: 'fix-failing-tests' }, { ...silent, exitCode: 1 }, { candidate: silent }, await patchOf({ kind: 'fix-failing-tests' }, [LIB]));
  assert.equal(fixed.verdict, 'verified', fixed.message);
});
