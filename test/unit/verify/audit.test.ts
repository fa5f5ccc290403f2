// The patch audit (src/core/verify/policy/audit.ts) with the real tree-sitter grammars: each test-gaming kind in
// JS/TS, Python and Go is found on its line; what the file already had, and ordinary code, is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditPatch, isTestFile } from '../../../src/core/verify';

async function audit(path: string, after: string, before: string | undefined = ''): Promise<Array<[string, number]>> {
  const r = await auditPatch([{ path, before, after }], isTestFile);
  return r.findings.map((f) => [f.rule, f.line]);
}

test('JS/TS: exits, patched assertions and frameworks, test-environment branches, skip/only, /proc and the results', async () => {
  assert.deepEqual(await audit('src/a.js', "const x = 1;\nprocess.exit(0);\n"), [['exit', 2]]);
  assert.deepEqual(await audit('src/a.ts', "process.exitCode = 0;\n"), [['exit', 1]]);
  assert.deepEqual(await audit('src/a.js', "require('node:assert').strictEqual = () => {};\n"), [['assertion', 1]]);
  assert.deepEqual(await audit('src/a.js', "const a = require('assert');\na.deepEqual = function () {};\n"), [['assertion', 2]]);
  assert.deepEqual(await audit('src/a.ts', "import * as assert from 'node:assert/strict';\nObject.defineProperty(assert, 'equal', { value: () => {} });\n"), [['assertion', 2]]);
  assert.deepEqual(await audit('test/a.test.js', "const orig = it;\nglobalThis.it = (n, f) => orig(n, () => {});\n"), [['assertion', 2]]);
  assert.deepEqual(await audit('test/a.test.js', "expect.extend = null;\n"), [['assertion', 1]]);
  assert.deepEqual(await audit('src/a.js', "if (process.env.NODE_ENV === 'test') return 3;\n"), [['test-env', 1]]);
  assert.deepEqual(await audit('src/a.js', "const fake = process.env.JEST_WORKER_ID ? 1 : 0;\n"), [['test-env', 1]]);
  assert.deepEqual(await audit('src/a.js', "if (process.env['VITEST']) {}\n"), [['test-env', 1]]);
  assert.deepEqual(await audit('src/a.js', "if (typeof jest !== 'undefined') {}\n"), [['test-env', 1]]);
  assert.deepEqual(await audit('test/a.test.js', "it.skip('adds', () => {});\ndescribe.only('m', () => {});\ntest('x', { skip: true }, () => {});\n"), [['skip', 1], ['skip', 2], ['skip', 3]]);
  assert.deepEqual(await audit('test/a.test.js', "after(() => { require('fs').readFileSync('/proc/self/mountinfo'); });\n"), [['results', 1]]);
  assert.deepEqual(await audit('package.js', "console.log('::qwq-test::{}');\n"), [['results', 1]]);
});

test('JS: what the edit did not add, exits outside library code and ordinary env reads are not findings', async () => {
  const had = "process.exit(1);\n";
  assert.deepEqual(await audit('src/a.js', `${had}const y = 2;\n`, had), []);
  assert.deepEqual(await audit('bin/cli.js', "process.exit(2);\n"), []);
  assert.deepEqual(await audit('src/a.js', "#!/usr/bin/env node\nprocess.exit(2);\n"), []);
  assert.deepEqual(await audit('src/a.js', "if (process.env.NODE_ENV === 'production') {}\nconst home = process.env.HOME;\n"), []);
  assert.deepEqual(await audit('src/a.js', "const assertValid = (x) => x;\nconst result = { test: 1 };\nresult.test = 2;\n"), []);
  assert.deepEqual(await audit('test/a.test.js', "it('adds', () => { assert.equal(1, 1); });\n"), []);
});

test('Python: os._exit/sys.exit in library code, patched unittest/pytest, hooks, test-env checks, skip/xfail', async () => {
  assert.deepEqual(await audit('pkg/calc.py', "import os\ndef add(a, b):\n    os._exit(0)\n"), [['exit', 3]]);
  assert.deepEqual(await audit('pkg/calc.py', "import sys\nsys.exit(0)\n"), [['exit', 2]]);
  assert.deepEqual(await audit('pkg/calc.py', "import unittest\nunittest.TestCase.assertEqual = lambda *a: None\n"), [['assertion', 2]]);
  assert.deepEqual(await audit('pkg/calc.py', "import unittest\nsetattr(unittest.TestCase, 'assertEqual', lambda *a: None)\n"), [['assertion', 2]]);
  assert.deepEqual(await audit('conftest.py', "def pytest_runtest_makereport(item, call):\n    pass\n"), [['hook', 1]]);
  assert.deepEqual(await audit('pkg/calc.py', "import os\nif os.environ.get('PYTEST_CURRENT_TEST'):\n    pass\n"), [['test-env', 2]]);
  assert.deepEqual(await audit('pkg/calc.py', "import sys\nif 'pytest' in sys.modules:\n    pass\n"), [['test-env', 2]]);
  assert.deepEqual(await audit('tests/test_calc.py', "import pytest\n@pytest.mark.skip\ndef test_add():\n    pass\n"), [['skip', 2]]);
  assert.deepEqual(await audit('tests/test_calc.py', "import pytest\n@pytest.mark.xfail\ndef test_add():\n    pytest.skip('no')\n"), [['skip', 2], ['skip', 4]]);
  assert.deepEqual(await audit('pkg/calc.py', "def add(a, b):\n    return a + b\n"), []);
  assert.deepEqual(await audit('pkg/__main__.py', "import sys\nsys.exit(main())\n"), []);
});

test('Go: os.Exit in a library package, testing.Testing(), t.Skip, /proc', async () => {
  assert.deepEqual(await audit('calc/calc.go', 'package calc\n\nimport "os"\n\nfunc Add(a, b int) int {\n\tos.Exit(0)\n\treturn a + b\n}\n'), [['exit', 6]]);
  assert.deepEqual(await audit('cmd/tool/main.go', 'package main\n\nimport "os"\n\nfunc main() { os.Exit(1) }\n'), []);
  assert.deepEqual(await audit('calc/calc.go', 'package calc\n\nimport "testing"\n\nfunc Add(a, b int) int {\n\tif testing.Testing() {\n\t\treturn 3\n\t}\n\treturn a - b\n}\n'), [['test-env', 6]]);
  assert.deepEqual(await audit('calc/calc_test.go', 'package calc\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tt.Skip("later")\n}\n'), [['skip', 6]]);
  assert.deepEqual(await audit('calc/calc.go', 'package calc\n\nimport "os"\n\nvar _, _ = os.ReadFile("/proc/self/mountinfo")\n'), [['results', 5]]);
});

test('code built at run time (eval, new Function, exec) is a finding: the audit cannot read it', async () => {
  assert.deepEqual(await audit('src/a.js', "eval(\"require('ass' + 'ert').ok = () => {}\");\n"), [['dynamic', 1]]);
  assert.deepEqual(await audit('src/a.js', "new Function('return this')();\n"), [['dynamic', 1]]);
  assert.deepEqual(await audit('pkg/calc.py', "exec(open('x').read())\n"), [['dynamic', 1]]);
});

test('JS: the process exit path and output streams through an alias, a subscript, a function value or a replacement (exitPath.faults)', async () => {
  assert.deepEqual(await audit('src/a.js', "const proc = process;\nproc['exit'](0);\n"), [['exit', 2]]);
  assert.deepEqual(await audit('src/a.js', "const p = globalThis.process;\np.reallyExit(0);\n"), [['exit', 2]]);
  assert.deepEqual(await audit('src/a.js', "const quit = process.exit;\nquit(0);\n"), [['exit', 1]]);
  assert.deepEqual(await audit('src/a.js', "const { exit } = process;\nexit(0);\n"), [['exit', 1]]);
  assert.deepEqual(await audit('src/a.js', "process.exit = () => {};\n"), [['results', 1]]);
  assert.deepEqual(await audit('src/a.js', "const out = process.stdout;\nconst w = out.write.bind(out);\nout.write = (c) => w(String(c).replace(/^not ok/gm, 'ok'));\n"), [['results', 3]]);
  assert.deepEqual(await audit('src/a.js', "process.stdout.write = () => true;\n"), [['results', 1]]);
  assert.deepEqual(await audit('src/a.js', "setImmediate(() => process.removeAllListeners('exit'));\n"), [['exit', 1]]);
  // Ordinary library code: writing output, reading the environment, setting a variable for a child.
  assert.deepEqual(await audit('src/a.js', "process.stdout.write('hi\\n');\nconst out = process.stdout;\nout.write('x');\nprocess.env.FOO = '1';\nconst cwd = process.cwd();\n"), []);
  assert.deepEqual(await audit('bin/cli.js', "const p = process;\np['exit'](2);\n"), []);
});

test('Python and Go: an exit function taken as a value in library code', async () => {
  assert.deepEqual(await audit('pkg/calc.py', "import os\nquit_ = os._exit\nquit_(0)\n"), [['exit', 2]]);
  assert.deepEqual(await audit('calc/calc.go', 'package calc\n\nimport "os"\n\nvar quit = os.Exit\n\nfunc init() { quit(0) }\n'), [['exit', 5]]);
  assert.deepEqual(await audit('calc/calc.go', 'package calc\n\nimport "os"\n\nfunc Add(a, b int) int {\n\tos.Exit(0)\n\treturn a + b\n}\n'), [['exit', 6]]);
});

test('Rust: process::exit/abort in library code (called, imported or taken as a value), extern blocks, #[ignore], test-env reads', async () => {
  assert.deepEqual(await audit('src/lib.rs', 'pub fn mul(a: i32, b: i32) -> i32 {\n    std::process::exit(0);\n}\n'), [['exit', 2]]);
  assert.deepEqual(await audit('src/lib.rs', 'use std::process;\npub fn mul() { process::exit(0) }\n'), [['exit', 2]]);
  assert.deepEqual(await audit('src/lib.rs', 'use std::process::exit;\n'), [['exit', 1]]);
  assert.deepEqual(await audit('src/lib.rs', 'use std::process::{exit, Command};\n'), [['exit', 1]]);
  assert.deepEqual(await audit('src/lib.rs', 'pub fn m() {\n    let quit: fn(i32) -> ! = std::process::exit;\n    quit(0);\n}\n'), [['exit', 2]]);
  assert.deepEqual(await audit('src/lib.rs', 'extern "C" { fn _exit(c: i32); }\n'), [['dynamic', 1]]);
  assert.deepEqual(await audit('tests/calc.rs', '#[test]\n#[ignore]\nfn adds() {}\n'), [['skip', 2]]);
  assert.deepEqual(await audit('src/lib.rs', 'pub fn t() -> bool { std::env::var("RUST_TEST_THREADS").is_ok() }\n'), [['test-env', 1]]);
  assert.deepEqual(await audit('src/main.rs', 'fn main() { std::process::exit(2) }\n'), []);
  assert.deepEqual(await audit('src/lib.rs', 'pub fn mul(a: i32, b: i32) -> i32 { a * b }\nuse std::process::Command;\n'), []);
});

test('evasions: computed names on the process or the global object, raw system calls, linkname, renamed exit paths, inline assembly', async () => {
  assert.deepEqual(await audit('src/a.js', "const k = ['ex', 'it'].join('');\nprocess[k](0);\n"), [['dynamic', 2]]);
  assert.deepEqual(await audit('src/a.js', "const g = globalThis['pro' + 'cess'];\ng.exit(0);\n"), [['dynamic', 1]]);
  assert.deepEqual(await audit('src/a.js', "globalThis['process'].exit(0);\n"), [['exit', 1]]);
  assert.deepEqual(await audit('src/a.js', "const x = process['env'];\nconst y = globalThis['fetch'];\nconst z = process.argv[2];\nconst w = process.env[name];\nglobalThis[Symbol.for('app.cache')] ??= new Map();\n"), []);
  assert.deepEqual(await audit('calc/calc.go', 'package calc\n\nimport "syscall"\n\nfunc init() { syscall.RawSyscall(syscall.SYS_EXIT_GROUP, 0, 0, 0) }\n'), [['exit', 5]]);
  assert.deepEqual(await audit('calc/calc.go', 'package calc\n\nimport _ "unsafe"\n\n//go:linkname exit runtime.exit\nfunc exit(code int32)\n'), [['dynamic', 5]]);
  assert.deepEqual(await audit('src/lib.rs', 'use std::process as p;\npub fn m() { p::exit(0) }\n'), [['exit', 2]]);
  assert.deepEqual(await audit('src/lib.rs', 'pub fn m() { unsafe { core::arch::asm!("syscall", in("rax") 231, in("rdi") 0) } }\n'), [['dynamic', 1]]);
});
