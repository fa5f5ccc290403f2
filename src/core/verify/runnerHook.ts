// A `--require` hook, loaded through NODE_OPTIONS, that hands a JS test runner our reporter flags without
// the test code ever seeing them. Runners that run tests in their own process (jest --runInBand, mocha) give
// test code the real `process.argv`; a project whose tests parse it (commander's `program.parse()`) must see
// exactly what it sees when the user runs the command by hand.
//
// In every node process of the run the hook looks at the script being run. Only in the runner's own CLI
// process does it act: it inserts the flags after the script path, drops itself from NODE_OPTIONS and the
// environment (so workers and child processes never load it), and puts `process.argv` back as it was once
// the CLI has read it: after the entry module's synchronous start, or before the first module outside
// node_modules is compiled (a config file or a test file), whichever comes first. Runners that run tests in
// workers (vitest, ava) read their argv after an asynchronous start, and their tests never see the CLI
// process's argv: for them nothing is put back.

export const RUNNER_HOOK_ENV = 'QWQ_RUNNER_HOOK';

export interface RunnerHookSpec {
  /** Regular expression (source) matched against the realpath of the runner's CLI script, with '/' separators. */
  script: string;
  /** Flags inserted right after the script path. */
  args: string[];
  /** Arguments appended at the end (options that take a list of values, such as jest's --findRelatedTests). */
  tail: string[];
  /** Put process.argv back once the CLI has read it (runners that run tests in their own process). */
  restore: boolean;
}

export const RUNNER_HOOK_SOURCE = `// qwq-coder runner hook (see src/core/verify/runnerHook.ts)
'use strict';
(() => {
  const env = process.env;
  const raw = env.${RUNNER_HOOK_ENV};
  if (!raw) return;
  let spec;
  try { spec = JSON.parse(raw); } catch { return; }
  const fs = require('fs');
  let script = process.argv[1] || '';
  try { script = fs.realpathSync(script); } catch {}
  if (!new RegExp(spec.script).test(script.split(require('path').sep).join('/'))) return;
  delete env.${RUNNER_HOOK_ENV};
  if (env.QWQ_NODE_OPTIONS_BEFORE !== undefined) {
    if (env.QWQ_NODE_OPTIONS_BEFORE) env.NODE_OPTIONS = env.QWQ_NODE_OPTIONS_BEFORE; else delete env.NODE_OPTIONS;
    delete env.QWQ_NODE_OPTIONS_BEFORE;
  }
  const original = process.argv.slice();
  process.argv.splice(2, 0, ...spec.args);
  process.argv.push(...(spec.tail || []));
  if (!spec.restore) return;
  const Module = require('module');
  const compile = Module.prototype._compile;
  const nm = require('path').sep + 'node_modules' + require('path').sep;
  let done = false;
  const restore = () => {
    if (done) return;
    done = true;
    process.argv.splice(0, process.argv.length, ...original);
    Module.prototype._compile = compile;
  };
  Module.prototype._compile = function (content, filename) {
    if (typeof filename === 'string' && !filename.includes(nm)) restore();
    return compile.apply(this, arguments);
  };
  setImmediate(restore);
})();
`;
