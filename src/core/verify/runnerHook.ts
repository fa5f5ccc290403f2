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
//
// The hook also carries the result channel (results/channel.ts) to the reporter. Until it acts, it passes
// fds 3 and 4 on to every child a node process spawns (npm, pnpm, yarn, nyc, c8 and cross-env would otherwise
// close them). When it acts, before any test code of that process runs, it takes one key from fd 4, closes
// fd 4, opens its session with a `start` record and stops passing the fds on; the key then lives only in a
// closure. jest, vitest and node:test reporters (our files, named on the command line) take the record
// writer once through a one-shot global; mocha needs no flag at all: the hook listens to every mocha Runner's
// events, whatever reporter the user chose (mocha 3–12, CommonJS or ESM, serial or --parallel, under nyc).

import { CHANNEL_ENV, CHANNEL_ENV_VALUE, CHANNEL_KEY_CHARS } from './results/channel';
import { RESULT_WRITER_SYMBOL } from './results/types';

export const RUNNER_HOOK_ENV = 'QWQ_RUNNER_HOOK';

export interface RunnerHookSpec {
  /** Regular expression (source) matched against the realpath of the runner's CLI script, with '/' separators. */
  script: string;
  /** Flags inserted right after the script path. */
  args: string[];
  /** Arguments appended after the user's own (before a '--' of theirs): options that take a list of values, such as jest's --reporters and --findRelatedTests. */
  tail: string[];
  /** Put process.argv back once the CLI has read it (runners that run tests in their own process). */
  restore: boolean;
  /** Which runner: mocha is found by its Runner events, node:test by `--test`, the others by `script`. */
  runner?: 'jest' | 'vitest' | 'mocha' | 'ava' | 'node:test' | 'other';
}


export const RUNNER_HOOK_SOURCE = `// qwq-coder runner hook (see src/core/verify/runnerHook.ts)
'use strict';
(() => {
  const env = process.env;
  try { if (!require('worker_threads').isMainThread) return; } catch {}
  const raw = env.${RUNNER_HOOK_ENV};
  if (!raw) return;
  let spec;
  try { spec = JSON.parse(raw); } catch { return; }
  const fs = require('fs');
  const path = require('path');
  const writeSync = fs.writeSync, readSync = fs.readSync, closeSync = fs.closeSync, stringify = JSON.stringify;
  // bigint: a plain fstatSync in a preload overwrites the stat buffer Node 20 is using to resolve the main
  // script's symlinks (node_modules/.bin/mocha then loads from .bin/, and fails).
  const isSocket = (fd) => { try { return fs.fstatSync(fd, { bigint: true }).isSocket(); } catch { return false; } };
  const channel = env.${CHANNEL_ENV} === '${CHANNEL_ENV_VALUE}' && isSocket(3) && isSocket(4);
  const pause = (ms) => { try { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); } catch {} };

  // ---- until this process acts: children inherit fds 3 and 4 ----
  let forwarding = channel;
  if (channel) {
    const CP = require('child_process').ChildProcess;
    const spawn = CP.prototype.spawn;
    CP.prototype.spawn = function (options) {
      if (forwarding && options && typeof options === 'object') {
        let s = options.stdio === undefined ? 'pipe' : options.stdio;
        if (typeof s === 'string' && s !== 'ipc') s = [s, s, s];
        if (Array.isArray(s) && s.length <= 3 && !s.includes('ipc')) {
          s = s.slice();
          while (s.length < 3) s.push(undefined);
          options = Object.assign({}, options, { stdio: s.concat([3, 4]) });
        } else if (Array.isArray(options.envPairs)) {
          // A child that does not get the fds (an IPC child: a fork) must not take its own fds 3 and 4 for ours.
          options = Object.assign({}, options, { envPairs: options.envPairs.filter((p) => !String(p).startsWith('${CHANNEL_ENV}=')) });
        }
      }
      return spawn.call(this, options);
    };
  }

  const leave = () => {
    forwarding = false;
    delete env.${RUNNER_HOOK_ENV};
    delete env.${CHANNEL_ENV};
    if (env.QWQ_NODE_OPTIONS_BEFORE !== undefined) {
      if (env.QWQ_NODE_OPTIONS_BEFORE) env.NODE_OPTIONS = env.QWQ_NODE_OPTIONS_BEFORE; else delete env.NODE_OPTIONS;
      delete env.QWQ_NODE_OPTIONS_BEFORE;
    }
  };

  // ---- the session: one key, read once; records on fd 3 ----
  const open = (runner) => {
    leave();
    if (!channel) return undefined;
    const buf = Buffer.alloc(${CHANNEL_KEY_CHARS + 1});
    let n = 0;
    while (n < buf.length) {
      let r;
      try { r = readSync(4, buf, n, buf.length - n, null); } catch (e) { if (e && e.code === 'EAGAIN') { pause(2); continue; } break; }
      if (!r) break;
      n += r;
    }
    try { closeSync(4); } catch {}
    if (n !== buf.length) return undefined;
    const key = buf.toString('latin1', 0, ${CHANNEL_KEY_CHARS});
    let seq = 0;
    const send = (rec) => {
      const data = Buffer.from(key + ' ' + (seq++) + ' ' + stringify(rec) + '\\n');
      let at = 0;
      while (at < data.length) {
        try { at += writeSync(3, data, at, data.length - at); } catch (e) { if (e && e.code === 'EAGAIN') { pause(2); continue; } return; }
      }
    };
    send({ t: 'start', runner });
    return send;
  };
  const handOff = (send) => {
    if (!send) return;
    const sym = Symbol.for('${RESULT_WRITER_SYMBOL}');
    Object.defineProperty(globalThis, sym, { configurable: true, enumerable: false, value: () => { delete globalThis[sym]; return send; } });
  };

  // ---- mocha: every Runner's events, whatever the reporter ----
  if (spec.runner === 'mocha') {
    const EE = require('events').EventEmitter;
    const emit = EE.prototype.emit;
    let runner, send, records = 0;
    const fileOf = (t) => { for (let x = t; x; x = x.parent) if (x.file) return x.file; return undefined; };
    const titles = (t) => { const out = []; for (let x = t.parent; x && !x.root; x = x.parent) if (x.title) out.unshift(x.title); return out.join(' '); };
    const one = (t, status, err) => {
      if (!send || !t) return;
      records++;
      const output = err ? String((err && (err.stack || err.message)) || err).slice(0, 4000) : undefined;
      send({ t: 'case', file: fileOf(t), suite: titles(t), name: String(t.title), status, ms: typeof t.duration === 'number' ? t.duration : undefined, output });
    };
    EE.prototype.emit = function (type, a, b) {
      if ((type === 'start' || type === 'pass' || type === 'fail' || type === 'pending' || type === 'end') && typeof this.runSuite === 'function' && typeof this.runTests === 'function') {
        if (type === 'start' && runner === undefined) { runner = this; send = open('mocha'); }
        if (this === runner) {
          if (type === 'pass') one(a, 'passed');
          else if (type === 'fail') one(a, 'failed', b);
          else if (type === 'pending') one(a, 'skipped');
          else if (type === 'end' && send) { send({ t: 'end', records }); send = undefined; }
        }
      }
      return emit.apply(this, arguments);
    };
    return;
  }

  // ---- node:test: the "node --test" process itself (its test files run in children) ----
  if (spec.runner === 'node:test') {
    if (env.NODE_TEST_CONTEXT || !process.execArgv.some((a) => a === '--test' || a.startsWith('--test='))) return;
    handOff(open('node:test'));
    return;
  }

  let script = process.argv[1] || '';
  try { script = fs.realpathSync(script); } catch {}
  if (!spec.script || !new RegExp(spec.script).test(script.split(path.sep).join('/'))) return;
  handOff(open(spec.runner || 'other'));
  const original = process.argv.slice();
  process.argv.splice(2, 0, ...spec.args);
  // The tail goes before a '--' of the user's, where what follows is no longer the runner's options.
  const dashes = process.argv.indexOf('--', 2);
  if (dashes >= 0) process.argv.splice(dashes, 0, ...(spec.tail || []));
  else process.argv.push(...(spec.tail || []));
  if (!spec.restore) return;
  const Module = require('module');
  const compile = Module.prototype._compile;
  const nm = path.sep + 'node_modules' + path.sep;
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
