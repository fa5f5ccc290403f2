import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJUnitXml, parseJestJson, parseTap, parseGoTestJson, parseCargoTest, nodeTestEventsCollector } from '../../../src/core/verify';

test('JUnit XML (pytest style): passed, failed with message, skipped, errors', async () => {
  const xml = `<?xml version="1.0"?><testsuites><testsuite name="pytest">
  <testcase classname="tests.test_a" name="test_ok" file="tests/test_a.py" time="0.01"/>
  <testcase classname="tests.test_a" name="test_bad" file="tests/test_a.py" time="0.02"><failure message="assert 1 == 2">def test_bad():
&gt;   assert 1 == 2</failure></testcase>
  <testcase classname="tests.test_a" name="test_skip"><skipped message="nope"/></testcase>
  <testcase classname="" name="tests.test_b"><error message="collection failure">ImportError</error></testcase>
</testsuite></testsuites>`;
  const r = await parseJUnitXml(xml);
  assert.deepEqual(r.map((t) => [t.id, t.status]), [
    ['tests/test_a.py::test_ok', 'passed'], ['tests/test_a.py::test_bad', 'failed'], ['tests.test_a::test_skip', 'skipped'], ['tests.test_b', 'failed'],
  ]);
  assert.match(r[1].output!, /assert 1 == 2\n.*> {3}assert 1 == 2/s);
  assert.equal(r[0].durationMs, 10);
});

test('jest/vitest JSON, including a file that failed to load', () => {
  const json = JSON.stringify({ testResults: [
    { name: '/w/a.test.js', status: 'passed', assertionResults: [{ fullName: 'math adds', status: 'passed', duration: 3 }, { fullName: 'math subs', status: 'failed', failureMessages: ['Expected 1'] }, { fullName: 'later', status: 'pending' }] },
    { name: '/w/b.test.js', status: 'failed', message: 'SyntaxError: Unexpected token', assertionResults: [] },
  ] });
  const r = parseJestJson(json, '/w');
  assert.deepEqual(r.map((t) => [t.id, t.status]), [['a.test.js::math adds', 'passed'], ['a.test.js::math subs', 'failed'], ['a.test.js::later', 'skipped'], ['b.test.js::(file)', 'failed']]);
  assert.match(r[3].output!, /SyntaxError/);
  assert.deepEqual(parseJestJson('not json'), []);
});

test('TAP with nested subtests: leaves only, named by their path; YAML failure details', async () => {
  const tap = `TAP version 13
# Subtest: suite
    # Subtest: inner ok
    ok 1 - inner ok
    # Subtest: inner bad
    not ok 2 - inner bad
      ---
      error: 'boom'
      ...
    1..2
not ok 1 - suite
# Subtest: top
ok 2 - top
ok 3 - skipped one # SKIP not now
1..3`;
  const r = await parseTap(tap);
  assert.deepEqual(r.map((t) => [t.id, t.status]), [['suite > inner ok', 'passed'], ['suite > inner bad', 'failed'], ['top', 'passed'], ['skipped one', 'skipped']]);
  assert.match(r[1].output!, /boom/);
});

test('go test -json: per-test results, output for failures, a build failure becomes a failing [build] entry', () => {
  const lines = [
    { Action: 'run', Package: 'ex/m', Test: 'TestA' }, { Action: 'output', Package: 'ex/m', Test: 'TestA', Output: 'ok\n' }, { Action: 'pass', Package: 'ex/m', Test: 'TestA', Elapsed: 0.5 },
    { Action: 'run', Package: 'ex/m', Test: 'TestB' }, { Action: 'output', Package: 'ex/m', Test: 'TestB', Output: 'x_test.go:9: want 2\n' }, { Action: 'fail', Package: 'ex/m', Test: 'TestB' },
    { Action: 'fail', Package: 'ex/m' },
    { Action: 'output', Package: 'ex/broken', Output: 'FAIL\tex/broken [build failed]\n' }, { Action: 'fail', Package: 'ex/broken' },
  ].map((e) => JSON.stringify(e)).join('\n');
  const r = parseGoTestJson(`# ex/broken\nbroken.go:3:2: undefined: y\n${lines}`);
  assert.deepEqual(r.map((t) => [t.id, t.status]), [['ex/m::TestA', 'passed'], ['ex/m::TestB', 'failed'], ['ex/broken::[build]', 'failed']]);
  assert.match(r[1].output!, /want 2/);
  assert.match(r[2].output!, /undefined: y/);
  assert.equal(r[0].durationMs, 500);
});

test('cargo test output with failure sections', () => {
  const out = `     Running unittests src/lib.rs (target/debug/deps/demo-abc)

running 3 tests
test tests::adds ... ok
test tests::subs ... FAILED
test tests::slow ... ignored

failures:

---- tests::subs stdout ----
thread 'tests::subs' panicked at src/lib.rs:10:9:
assertion failed: 1 == 2

failures:
    tests::subs

test result: FAILED. 1 passed; 1 failed; 1 ignored`;
  const r = parseCargoTest(out);
  assert.deepEqual(r.map((t) => [t.id.split('::').slice(1).join('::'), t.status]), [['tests::adds', 'passed'], ['tests::subs', 'failed'], ['tests::slow', 'skipped']]);
  assert.match(r[1].output!, /assertion failed/);
});

test('node:test reporter events: file-qualified ids, suites skipped, parents with subtests dropped', () => {
  const c = nodeTestEventsCollector('/w');
  const ev = (type: string, name: string, nesting: number, extra: object = {}) => c.line(`::qwq-test::${JSON.stringify({ type, name, nesting, file: '/w/t/a.test.js', ...extra })}`);
  ev('test:start', 'suite', 0); ev('test:start', 'inner', 1); ev('test:pass', 'inner', 1); ev('test:pass', 'suite', 0, { suite: true });
  ev('test:start', 'parent', 0); ev('test:start', 'child', 1); ev('test:fail', 'child', 1, { message: 'boom' }); ev('test:fail', 'parent', 0);
  ev('test:start', 'later', 0); ev('test:pass', 'later', 0, { skip: true });
  c.line('unrelated output');
  assert.deepEqual(c.results().map((t) => [t.id, t.status]), [['t/a.test.js::suite > inner', 'passed'], ['t/a.test.js::parent > child', 'failed'], ['t/a.test.js::later', 'skipped']]);
});

// ---- hostile inputs that broke the old regex parsers ----

test('JUnit: a passing test whose CDATA output contains "<error" stays passed', async () => {
  const xml = `<testsuite><testcase classname="a" name="logs"><system-out><![CDATA[printing <error message="not really"> and <failure>]]></system-out></testcase></testsuite>`;
  assert.deepEqual((await parseJUnitXml(xml)).map((t) => [t.id, t.status]), [['a::logs', 'passed']]);
});

test('JUnit: a comment containing <failure/> does not fail the test', async () => {
  const xml = `<testsuite><testcase classname="a" name="quiet"><!-- <failure/> was here --></testcase><!-- <testcase name="ghost"/> --></testsuite>`;
  assert.deepEqual((await parseJUnitXml(xml)).map((t) => [t.id, t.status]), [['a::quiet', 'passed']]);
});

test('JUnit: an attribute containing ">" swallows nothing', async () => {
  const xml = `<testsuite><testcase classname="a" name="x > y"/><testcase classname="a" name="second"><failure message="a > b">trace</failure></testcase></testsuite>`;
  const r = await parseJUnitXml(xml);
  assert.deepEqual(r.map((t) => [t.id, t.status]), [['a::x > y', 'passed'], ['a::second', 'failed']]);
  assert.match(r[1].output!, /a > b\ntrace/);
});

test('JUnit: nested testsuites and entities; broken XML gives no results rather than wrong ones', async () => {
  const xml = `<testsuites><testsuite><testsuite><testcase classname="deep" name="a &amp; b"/></testsuite></testsuite></testsuites>`;
  assert.deepEqual((await parseJUnitXml(xml)).map((t) => t.id), ['deep::a & b']);
});

test('TAP: "Bail out!" is a failure, never a clean pass', async () => {
  const r = await parseTap('TAP version 13\nok 1 - first\nBail out! database unreachable\n');
  assert.ok(r.some((t) => t.status === 'failed' && /Bail out! database unreachable/.test(t.output ?? '')), JSON.stringify(r));
});

test('TAP: plan 1..3 with one ok counts the missing tests as a failure', async () => {
  const r = await parseTap('TAP version 13\n1..3\nok 1 - only one\n');
  assert.deepEqual(r.map((t) => [t.id, t.status]), [['only one', 'passed'], ['(TAP) incomplete run', 'failed']]);
  assert.match(r[1].output!, /announced 3.*only 1/);
  // A complete run has no such entry; a stream without a plan (it stopped early) does.
  assert.equal((await parseTap('TAP version 13\nok 1 - a\n1..1\n')).length, 1);
  assert.equal((await parseTap('TAP version 13\nok 1 - a\n')).at(-1)?.status, 'failed');
});

test('TAP from tape: tests are named by test (the "# name" comment), not by assertion', async () => {
  const tap = `TAP version 13
# parses a simple string
ok 1 should be deep equal
ok 2 should be deep equal
# handles arrays
ok 3 should be equal
not ok 4 with: as expected
  ---
    operator: equal
    expected: 'a'
    actual:   'b'
  ...
# parses a simple string
ok 5 should be equal

1..5
# tests 5
# pass  4
# fail  1
`;
  const r = await parseTap(tap);
  assert.deepEqual(r.map((t) => [t.id, t.status]), [['parses a simple string', 'passed'], ['handles arrays', 'failed'], ['parses a simple string (2)', 'passed']]);
  assert.match(r[1].output!, /with: as expected[\s\S]*actual: +'?b/);
});

test('JUnit ids: pytest node ids (file::Class::test), mocha describe paths, absolute files made relative', async () => {
  const xml = `<testsuite>
<testcase classname="tests.test_a.TestCart" name="test_total" file="tests/test_a.py"/>
<testcase classname="calc" name="adds" file="/w/test/calc.spec.js"/>
<testcase classname="calc nested" name="adds" file="/w/test/calc.spec.js"/>
</testsuite>`;
  assert.deepEqual((await parseJUnitXml(xml, '/w')).map((t) => t.id), ['tests/test_a.py::TestCart::test_total', 'test/calc.spec.js::calc::adds', 'test/calc.spec.js::calc nested::adds']);
});
