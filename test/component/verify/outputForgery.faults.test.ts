// Forged reporter lines (issue 20 follow-up; docs/architecture.md §5, "Where results come from"): go test, tape,
// ava and cargo have no reporter of ours on the result channel, so their per-test results are read from what
// the run prints, and the code under test prints there too. Each attack below is a patch to LIBRARY code (the
// tests stay as they were) that leaves the target failing and prints a passing line for it. On 68e6fcf each was
// `verified` (QWQ_FAULT_CLI=<old out/cli.js> shows it); now a result read from the output counts only where the
// runner's exit status confirms it. Controls: the real fixes stay verified.
// Every run gets a throw-away HOME, TMPDIR and Go build cache; the workspaces are scratch folders of this file.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCli, filesDir } from '../../support/cliWorkspace';
import { scratchDir } from '../../support/scratchDir';
import { cliVerifyAsync, runnerCache } from './projects';

let nodeModules = '';
before(() => {
  if (!process.env.QWQ_FAULT_CLI) ensureCli();
  nodeModules = runnerCache();
});

interface Verify { code: number | null; json: { verdict: string; message: string; runner?: string } }

function verify(workspace: string, patch: string): Promise<Verify> {
  const patchFile = join(filesDir('qwq-forge-patch-', { 'edit.patch': patch }), 'edit.patch');
  const home = scratchDir('qwq-forge-home-');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: scratchDir('qwq-forge-tmp-'), QWQ_GOCACHE: join(home, 'gocache'), XDG_CACHE_HOME: join(home, '.cache') };
  delete env.NODE_TEST_CONTEXT;
  delete env.GOCACHE;
  return cliVerifyAsync(workspace, patchFile, ['--tests', 'all', '--fix-failing', '--timeout', '180'], env);
}

const block = (path: string, search: string, replace: string): string => `${path}\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n`;

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
function tapeWorkspace(): string {
  const d = filesDir('qwq-forge-tape-', {
    'package.json': JSON.stringify({ name: 'calc-tape', version: '1.0.0', scripts: { test: 'tape test/*.js' } }, null, 2),
    'calc.js': TAPE_SRC,
    'test/calc.js': TAPE_TEST,
  });
  symlinkSync(nodeModules, join(d, 'node_modules'), 'dir');
  return d;
}

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
