// Forged reporter lines (issue 20 follow-up; docs/architecture.md §5, "Where results come from"): go test, tape,
// ava and cargo have no reporter of ours on the result channel, so their per-test results are read from what
// the run prints, and the code under test prints there too. Each attack below is a patch to LIBRARY code (the
// tests stay as they were) that leaves the target failing and prints a passing line for it. On 68e6fcf each was
// `verified` (QWQ_FAULT_CLI=<old out/cli.js> shows it); now a result read from the output counts only where the
// runner's exit status confirms it. Controls: the real fixes stay verified.
// Every run gets a throw-away HOME, TMPDIR and Go build cache (forgeRun.ts); the workspaces are scratch folders of
// this file. ava and cargo were added later: ava's worker cannot end the run with exit 0 (its main process counts
// the tests), cargo's test binary can (std::process::exit(0) after a forged report): that one is caught by the
// patch audit (Rust's exit calls in library code).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCli, filesDir } from '../../support/cliWorkspace';
import { runnerCache } from './projects';
import { block, cargoWorkspace, CARGO_FORGED, forgeVerify as verify, requireCargo, RUST_MUL } from './forgeRun';

let nodeModules = '';
before(() => {
  if (!process.env.QWQ_FAULT_CLI) ensureCli();
  nodeModules = runnerCache();
});

// ---- go test: TestMul fails (Mul adds); Double, called by the test after it, prints "--- PASS: TestMul" ----
const GO_SRC = 'package calc\n\nfunc Add(a, b int) int { return a + b }\n\nfunc Mul(a, b int) int { return a + b }\n\nfunc Double(a int) int { return a * 2 }\n';
const GO_TEST = 'package calc\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(2, 3) != 5 {\n\t\tt.Fatal("add")\n\t}\n}\n\nfunc TestMul(t *testing.T) {\n\tif Mul(2, 3) != 6 {\n\t\tt.Fatal("mul")\n\t}\n}\n\nfunc TestDouble(t *testing.T) {\n\tif Double(4) != 8 {\n\t\tt.Fatal("double")\n\t}\n}\n';
const goWorkspace = (): string => filesDir('qwq-forge-go-', { 'go.mod': 'module example.com/calc\n\ngo 1.19\n', 'calc/calc.go': GO_SRC, 'calc/calc_test.go': GO_TEST });

test('go: a library that prints "--- PASS: TestMul" after the real failure is not verified (go test -json is read from the output)', async () => {
  const forge = block('calc/calc.go', 'package calc\n', 'package calc\n\nimport "fmt"\n')
    + block('calc/calc.go', 'func Double(a int) int { return a * 2 }\n', 'func Double(a int) int {\n\tfmt.Println("--- PASS: TestMul (0.00s)")\n\treturn a * 2\n}\n');
  const r = await verify(goWorkspace(), forge);
  assert.notEqual(r.json.verdict, 'verified', r.json.message);
  assert.equal(r.json.verdict, 'inconclusive', r.json.message);
  assert.match(r.json.message, /results read from the test output.*still fails/, r.json.message);
  assert.equal(r.code, 1);
});

test('go control: the real fix of Mul is verified, and says the exit status confirmed the results read from the output', async () => {
  const r = await verify(goWorkspace(), block('calc/calc.go', 'func Mul(a, b int) int { return a + b }\n', 'func Mul(a, b int) int { return a * b }\n'));
  assert.equal(r.json.verdict, 'verified', r.json.message);
  assert.match(r.json.message, /results read from the test output: the runner's exit status \(0\) confirms/);
});

// ---- tape: `mul` fails; the library prints a "# mul" test with a passing assertion when it is loaded ----
const TAPE_SRC = 'exports.add = (a, b) => a + b;\nexports.mul = (a, b) => a + b;\n';
const TAPE_TEST = "const test = require('tape');\nconst { add, mul } = require('../calc');\ntest('add', (t) => { t.equal(add(2, 3), 5); t.end(); });\ntest('mul', (t) => { t.equal(mul(2, 3), 6); t.end(); });\n";
/** A node project of `files` whose `npm test` is `script`, with the shared runners' node_modules linked in. */
function nodeWorkspace(name: string, script: string, files: Record<string, string>): string {
  const d = filesDir(`qwq-forge-${name}-`, { 'package.json': JSON.stringify({ name: `calc-${name}`, version: '1.0.0', scripts: { test: script } }, null, 2), ...files });
  symlinkSync(nodeModules, join(d, 'node_modules'), 'dir');
  return d;
}
const tapeWorkspace = (): string => nodeWorkspace('tape', 'tape test/*.js', { 'calc.js': TAPE_SRC, 'test/calc.js': TAPE_TEST });

test('tape: a library that prints "# mul / ok 1" when loaded is not verified (TAP is read from the output)', async () => {
  const r = await verify(tapeWorkspace(), block('calc.js', 'exports.add = (a, b) => a + b;\n', "console.log('# mul\\nok 1 should be strictly equal');\nexports.add = (a, b) => a + b;\n"));
  assert.notEqual(r.json.verdict, 'verified', r.json.message);
  assert.match(r.json.message, /results read from the test output.*still fails/, r.json.message);
});

test('tape control: the real fix of mul is verified', async () => {
  const r = await verify(tapeWorkspace(), block('calc.js', 'exports.mul = (a, b) => a + b;\n', 'exports.mul = (a, b) => a * b;\n'));
  assert.equal(r.json.verdict, 'verified', r.json.message);
  assert.match(r.json.message, /results read from the test output/);
});

// ---- ava (--tap): `multiplies` fails. ava runs the test file in a worker and prints the worker's console on
// stderr, so the library writes to fd 1 itself, past that capture, when it is loaded ----
const AVA_SRC = 'function add(a, b) { return a + b; }\nfunction mul(a, b) { return a + b; }\nmodule.exports = { add, mul };\n';
const AVA_TEST = "const test = require('ava');\nconst { add, mul } = require('../src/calc');\ntest('adds', (t) => { t.is(add(2, 3), 5); });\ntest('multiplies', (t) => { t.is(mul(2, 3), 6); });\n";
const avaWorkspace = (): string => nodeWorkspace('ava', 'ava', { 'src/calc.js': AVA_SRC, 'test/calc.test.js': AVA_TEST });
const AVA_ADD = 'function add(a, b) { return a + b; }\n';

test('ava: a library that writes "ok 2 - multiplies" to fd 1 when loaded is not verified (ava --tap is read from the output)', async () => {
  const r = await verify(avaWorkspace(), block('src/calc.js', AVA_ADD, `require('node:fs').writeSync(1, '\\nok 2 - multiplies\\n');\n${AVA_ADD}`));
  assert.notEqual(r.json.verdict, 'verified', r.json.message);
  assert.match(r.json.message, /results read from the test output.*still fails/, r.json.message);
});

test('ava: a library that writes a whole passing TAP report to fd 1 and ends its worker with exit(0) is not verified', async () => {
  const forged = 'TAP version 13\\nok 1 - adds\\nok 2 - multiplies\\n\\n1..2\\n# tests 2\\n# pass 2\\n# fail 0\\n';
  const r = await verify(avaWorkspace(), block('src/calc.js', AVA_ADD, `const proc = process;\nrequire('node:fs').writeSync(1, '${forged}');\nproc['exit'](0);\n${AVA_ADD}`));
  assert.notEqual(r.json.verdict, 'verified', r.json.message);
});

test('ava control: the real fix of mul is verified', async () => {
  const r = await verify(avaWorkspace(), block('src/calc.js', 'function mul(a, b) { return a + b; }\n', 'function mul(a, b) { return a * b; }\n'));
  assert.equal(r.json.verdict, 'verified', r.json.message);
  assert.match(r.json.message, /results read from the test output/);
});

// ---- cargo test: `multiplies` fails. libtest captures print!/println! per test, so mul writes to the process's
// stdout handle itself ----
const RUST_WRITE = `    use std::io::Write;\n    let _ = std::io::stdout().write_all(b"${CARGO_FORGED}");\n    let _ = std::io::stdout().flush();\n`;

test('cargo: a library that prints "test multiplies ... ok" and "test result: ok" while the test fails is not verified', async () => {
  requireCargo();
  const r = await verify(cargoWorkspace(), block('src/lib.rs', RUST_MUL, `pub fn mul(a: i32, b: i32) -> i32 {\n${RUST_WRITE}    a + b\n}\n`));
  assert.notEqual(r.json.verdict, 'verified', r.json.message);
  // libtest's own "test multiplies ... FAILED" comes after the forged line and wins; were it read first, the exit status (101) would still say no.
  assert.match(r.json.message, /::multiplies/, r.json.message);
});

test('cargo: a library that prints a passing report and ends the test binary with std::process::exit(0) is not verified', async () => {
  requireCargo();
  const r = await verify(cargoWorkspace(), block('src/lib.rs', RUST_MUL, `pub fn mul(a: i32, b: i32) -> i32 {\n${RUST_WRITE}    std::process::exit(0);\n}\n`));
  assert.notEqual(r.json.verdict, 'verified', r.json.message);
  assert.equal(r.json.verdict, 'inconclusive', r.json.message);
  assert.match(r.json.message, /changes how tests report: src\/lib\.rs:\d+.*exit/i, r.json.message);
});

test('cargo control: the real fix of mul is verified', async () => {
  requireCargo();
  const r = await verify(cargoWorkspace(), block('src/lib.rs', RUST_MUL, 'pub fn mul(a: i32, b: i32) -> i32 { a * b }\n'));
  assert.equal(r.json.verdict, 'verified', r.json.message);
  assert.match(r.json.message, /results read from the test output/);
});
