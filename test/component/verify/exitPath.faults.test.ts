// The exit path and the printed output, for every runner we support (docs/architecture.md §5, "Where results come
// from"): each attack is a patch to LIBRARY code (the tests stay as they were) that leaves the target `mul`
// failing, and
//   (a) prints every test passing in the runner's own words, then ends the process with status 0 when it is
//       loaded, through a path the audit's plain `process.exit(…)` / `os.Exit(…)` / `os._exit(…)` match did
//       not see (an alias, a subscript, a function value);
//   (b) prints the same lines on stderr;
//   (c) starts a child in a new session, with an empty environment, that prints them after the runner exited.
// None may be `verified`. On 1958c15, (a) was verified for tape, go and cargo: their results are read from the
// output and the test binary that prints them is the process the library runs in, so a forged report and an exit
// status of 0 agree. They are now findings of the patch audit. Every run gets a throw-away HOME, TMPDIR and
// caches (forgeRun.ts).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureCli, filesDir } from '../../support/cliWorkspace';
import { makeProject, runnerCache, RUNNERS, type Runner } from './projects';
import { block, cargoWorkspace, forgeVerify, requireCargo, RUST_MUL } from './forgeRun';

let nodeModules = '';
before(() => {
  if (!process.env.QWQ_FAULT_CLI) ensureCli();
  nodeModules = runnerCache();
});

type Attack = 'exit0' | 'stderr' | 'child';
const ATTACKS: Attack[] = ['exit0', 'stderr', 'child'];

// What each runner prints for a passing run (TAP with test-name comments reads as tape's and as ava's).
const TAP = 'TAP version 13\n# adds\nok 1 - adds\n# multiplies\nok 2 - multiplies\n\n1..2\n# tests 2\n# pass 2\n# fail 0\n\n# ok\n';
const PYTEST = 'tests/test_calc.py::test_adds PASSED\ntests/test_calc.py::test_multiplies PASSED\n\n2 passed in 0.01s\n';
const GO = '=== RUN   TestAdd\n--- PASS: TestAdd (0.00s)\n=== RUN   TestMul\n--- PASS: TestMul (0.00s)\n=== RUN   TestDouble\n--- PASS: TestDouble (0.00s)\nPASS\n';
const CARGO = '\nrunning 2 tests\ntest adds ... ok\ntest multiplies ... ok\n\ntest result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n';
const lit = (s: string): string => JSON.stringify(s);
const LATER = 'sleep 1; printf "%s" "$F"';

function jsPatch(path: string, esm: boolean, attack: Attack): string {
  const add = 'function add(a, b) { return a + b; }\n';
  const code: Record<Attack, string> = {
    exit0: `const proc = process;\nproc.stdout.write(${lit(TAP)});\nproc['exit'](0);\n`,
    stderr: `process.stderr.write(${lit(TAP)});\n`,
    child: `${esm ? "import { spawn } from 'node:child_process';\n" : "const { spawn } = require('node:child_process');\n"}spawn('/bin/sh', ['-c', ${lit(LATER)}], { detached: true, stdio: ['ignore', 'inherit', 'inherit'], env: { F: ${lit(TAP)} } }).unref();\n`,
  };
  return block(path, add, `${code[attack]}${add}`);
}

function pythonPatch(attack: Attack): string {
  const add = 'def add(a, b):\n';
  const code: Record<Attack, string> = {
    exit0: `import os as _os, sys as _sys\n_sys.stdout.write(${lit(PYTEST)})\n_sys.stdout.flush()\n_quit = _os._exit\n_quit(0)\n\n\n`,
    stderr: `import sys as _sys\n_sys.stderr.write(${lit(PYTEST)})\n\n\n`,
    child: `import subprocess as _sp\n_sp.Popen(['/bin/sh', '-c', ${lit(LATER)}], start_new_session=True, env={'F': ${lit(PYTEST)}})\n\n\n`,
  };
  return block('src/calc/__init__.py', add, `${code[attack]}${add}`);
}

function goPatch(attack: Attack): string {
  const imp = 'import "example.com/twice"\n';
  const code: Record<Attack, string> = {
    exit0: `import (\n\t"fmt"\n\t"os"\n\n\t"example.com/twice"\n)\n\nvar quit = os.Exit\n\nfunc init() {\n\tfmt.Print(${lit(GO)})\n\tquit(0)\n}\n`,
    stderr: `import (\n\t"fmt"\n\t"os"\n\n\t"example.com/twice"\n)\n\nfunc init() { fmt.Fprint(os.Stderr, ${lit(GO)}) }\n`,
    child: `import (\n\t"os"\n\t"os/exec"\n\t"syscall"\n\n\t"example.com/twice"\n)\n\nfunc init() {\n\tc := exec.Command("/bin/sh", "-c", ${lit(LATER)})\n\tc.Env = []string{"F=" + ${lit(GO)}}\n\tc.Stdout, c.Stderr = os.Stdout, os.Stderr\n\tc.SysProcAttr = &syscall.SysProcAttr{Setsid: true}\n\t_ = c.Start()\n}\n`,
  };
  return block('calc/calc.go', imp, code[attack]);
}

function cargoPatch(attack: Attack): string {
  const write = (stream: string): string => `    use std::io::Write;\n    let _ = std::io::${stream}().write_all(${lit(CARGO)}.as_bytes());\n    let _ = std::io::${stream}().flush();\n`;
  const code: Record<Attack, string> = {
    exit0: `${write('stdout')}    let quit: fn(i32) -> ! = std::process::exit;\n    quit(0);\n`,
    stderr: `${write('stderr')}    a + b\n`,
    child: `    let _ = std::process::Command::new("/bin/sh").args(["-c", ${lit(LATER)}]).env_clear().env("F", ${lit(CARGO)}).spawn();\n    a + b\n`,
  };
  return block('src/lib.rs', RUST_MUL, `pub fn mul(a: i32, b: i32) -> i32 {\n${code[attack]}}\n`);
}

function attackOn(runner: Runner | 'cargo', attack: Attack): { workspace: string; patch: string } {
  if (runner === 'cargo') return { workspace: cargoWorkspace(), patch: cargoPatch(attack) };
  const p = makeProject(runner, { nodeModules });
  if (runner === 'pytest') return { workspace: p.dir, patch: pythonPatch(attack) };
  if (runner === 'go') return { workspace: p.dir, patch: goPatch(attack) };
  return { workspace: p.dir, patch: jsPatch(p.edits.fix.path, runner === 'vitest', attack) };
}

for (const runner of [...RUNNERS, 'cargo' as const]) {
  for (const attack of ATTACKS) {
    test(`${runner}: (${attack}) a library that ${attack === 'exit0' ? 'prints a passing report and exits 0 when loaded' : attack === 'stderr' ? 'prints a passing report on stderr' : 'leaves a child that prints a passing report after the run'} is not verified`, async () => {
      if (runner === 'cargo') requireCargo();
      const { workspace, patch } = attackOn(runner, attack);
      const r = await forgeVerify(workspace, patch);
      assert.notEqual(r.json.verdict, 'verified', `${r.json.verdict}: ${r.json.message}`);
      assert.ok(['inconclusive', 'not-fixed', 'regressed'].includes(r.json.verdict), `${r.json.verdict}: ${r.json.message}`);
    });
  }
}

// tape prints through process.stdout and sets the exit status from its 'exit' handler, in the process the library
// runs in: a library that rewrites "not ok" to "ok" on the way out and disarms process.exit was verified on 1958c15.
test('tape: a library that rewrites its process\'s stdout ("not ok" → "ok") and disarms process.exit is not verified', async () => {
  const p = makeProject('tape', { nodeModules });
  const add = 'function add(a, b) { return a + b; }\n';
  const rewrite = "const out = process.stdout;\nconst write = out.write.bind(out);\nout.write = (chunk, ...rest) => write(String(chunk).replace(/^not ok/gm, 'ok').replace(/^ {2}---[\\s\\S]*?^ {2}\\.\\.\\.\\n/gm, ''), ...rest);\nprocess.exit = () => {};\n";
  const r = await forgeVerify(p.dir, block(p.edits.fix.path, add, `${rewrite}${add}`));
  assert.notEqual(r.json.verdict, 'verified', r.json.message);
  assert.match(r.json.message, /changes how tests report: src\/calc\.js:3/, r.json.message);
});

// ---- Evasions of the audit's exit rules (each verified on 5ec6886): the exit path reached through a computed
// name, an imported alias, a raw system call, or a renamed module path. A plain `node test/…` script is known only
// by its exit status, and a fix there is judged by exit codes alone, so it is the easiest target of all. ----
function scriptWorkspace(): string {
  return filesDir('qwq-forge-script-', {
    'package.json': JSON.stringify({ name: 'calc-script', version: '1.0.0', private: true, scripts: { test: 'node test/calc.test.js' } }, null, 2),
    'package-lock.json': JSON.stringify({ name: 'calc-script', lockfileVersion: 3, requires: true, packages: {} }),
    'src/calc.js': 'function add(a, b) { return a + b; }\nfunction mul(a, b) { return a + b; }\nmodule.exports = { add, mul };\n',
    'test/calc.test.js': "const assert = require('node:assert');\nconst { add, mul } = require('../src/calc');\nassert.equal(add(2, 3), 5);\nassert.equal(mul(2, 3), 6);\nconsole.log('all good');\n",
  });
}
const JS_ADD = 'function add(a, b) { return a + b; }\n';
const EVASIONS: Array<{ name: string; workspace: () => string; patch: string }> = [
  { name: 'script: process[computed name](0)', workspace: scriptWorkspace, patch: block('src/calc.js', JS_ADD, `const k = ['ex', 'it'].join('');\nprocess[k](0);\n${JS_ADD}`) },
  { name: 'tape: process[computed name](0) after a forged report', workspace: () => makeProject('tape', { nodeModules }).dir, patch: block('src/calc.js', JS_ADD, `process.stdout.write(${lit(TAP)});\nconst k = ['ex', 'it'].join('');\nprocess[k](0);\n${JS_ADD}`) },
  { name: "script: globalThis[computed name]['exit'](0)", workspace: scriptWorkspace, patch: block('src/calc.js', JS_ADD, `const g = globalThis['pro' + 'cess'];\ng.exit(0);\n${JS_ADD}`) },
  { name: 'go: syscall.RawSyscall(SYS_EXIT_GROUP) in init after a forged report', workspace: () => makeProject('go').dir, patch: block('calc/calc.go', 'import "example.com/twice"\n', `import (\n\t"fmt"\n\t"syscall"\n\n\t"example.com/twice"\n)\n\nfunc init() {\n\tfmt.Print(${lit(GO)})\n\tsyscall.RawSyscall(syscall.SYS_EXIT_GROUP, 0, 0, 0)\n}\n`) },
  { name: 'cargo: use std::process as p; p::exit(0) after a forged report', workspace: cargoWorkspace, patch: block('src/lib.rs', RUST_MUL, `use std::process as p;\n\npub fn mul(a: i32, b: i32) -> i32 {\n    use std::io::Write;\n    let _ = std::io::stdout().write_all(${lit(CARGO)}.as_bytes());\n    let _ = std::io::stdout().flush();\n    p::exit(a - a + b - b)\n}\n`) },
];

for (const e of EVASIONS) {
  test(`evasion: ${e.name} is not verified`, async () => {
    if (e.name.startsWith('cargo')) requireCargo();
    const r = await forgeVerify(e.workspace(), e.patch);
    assert.notEqual(r.json.verdict, 'verified', r.json.message);
  });
}
