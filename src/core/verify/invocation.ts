// Turns a detected TestCommand plus a test selection into the shell command to run, the environment that
// makes the runner report structured per-test results, and the collector that reads them.
//
// The command is the user's own (docs/architecture.md §5): with every test selected, a package.json script
// runs through its package manager (`npm test`: pre/post scripts, builds, the package manager's PATH), and
// per-test results come through the result channel (results/channel.ts: inherited fds, one-time keys), fed
// by reporters of ours that the test code never sees named: a NODE_OPTIONS reporter (node:test), a
// `--require` hook (runnerHook.ts) that listens to mocha and hands jest/vitest their reporter flags, a pytest
// plugin through PYTEST_ADDOPTS. ava, tape, go and cargo are still read from the TAP / JSON they print on
// stdout (`results: 'stdout'`). Only a selection changes the command line, as it would by hand.
import { accessSync, constants, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { scriptReference, splitSteps, type RunnerKind, type TestCommand } from './detect';
import { shellArg, shellWords } from './shellSyntax';
import { cargoCollector } from './results/cargo';
import { goTestJsonCollector } from './results/goTestJson';
import { CHANNEL_ENV, CHANNEL_ENV_VALUE } from './results/channel';
import { PYTEST_PLUGIN_MODULE } from './results/reporters';
import { tapCollector } from './results/tap';
import type { ResultCollector } from './results/types';
import { RUNNER_HOOK_ENV, type RunnerHookSpec } from './runnerHook';
import { tokens, withoutPositionals } from './runnerOptions';

/** What to run: everything, test files (paths relative to the root), changed files (runner-native related), or Go packages. */
export type Selection =
  | { kind: 'all' }
  | { kind: 'files'; files: string[] }
  | { kind: 'related'; changed: string[] }
  | { kind: 'packages'; packages: string[] };

export interface Invocation {
  command: string;
  env: Record<string, string>;
  /** Reads stdout lines as they stream (runners without a reporter of ours: ava, tape, go, cargo, scripts). */
  collector?: ResultCollector;
  /** Where per-test results come from: our reporter on the result channel, the runner's stdout, or nowhere. */
  results: 'channel' | 'stdout' | 'exit-code';
  /** What runs differently from the user's own command, in words. */
  notes: string[];
  /** A chained script: the steps run on their own before and after `command` (the runner's step). */
  chain?: { before: string[]; after: string[] };
}

/** Files the invocation refers to; runTests writes them before the run. */
export interface InvocationFiles {
  /** The node:test reporter module. */
  reporter: string;
  /** The runner hook (runnerHook.ts). */
  hook: string;
  /** Our jest and vitest reporters, and the folder holding the pytest plugin (default: next to the hook). */
  jestReporter?: string;
  vitestReporter?: string;
  pythonPath?: string;
}

export interface InvocationOptions {
  /** Whether a command word can run (default: looks in the root's node_modules/.bin and PATH). */
  toolExists?: (word: string) => boolean;
  /** The environment the run inherits (default process.env): NODE_OPTIONS, PYTEST_ADDOPTS, GOTOOLCHAIN. */
  baseEnv?: Record<string, string | undefined>;
  /** Script steps (indices into the steps) left out: build steps whose output is already in place (buildOnce.ts). */
  skipSteps?: ReadonlySet<number>;
}


const SHELL_WORDS = new Set(['cd', 'echo', 'true', 'false', 'test', '[', 'exit', 'export', 'set', ':', '.', 'source', 'if', 'then', 'else', 'fi', 'for', 'do', 'done', 'while', 'case', 'esac', 'printf', 'exec', 'unset', 'eval', 'command', 'wait', 'sleep', 'env', 'node', 'npm', 'npx']);

/** The program a simple step runs: past env assignments and `env`/`cross-env`/`npx` wrappers. */
export function commandWord(step: string): string | undefined {
  const t = shellWords(step);
  let i = 0;
  while (i < t.length) {
    const w = t[i];
    if (/^[A-Za-z_][\w]*=/.test(w)) { i++; continue; }
    if ((w === 'env' || w === 'cross-env' || w === 'npx' || w === 'dotenv') && i + 1 < t.length) { i++; while (i < t.length && t[i].startsWith('-')) i++; continue; }
    if (w === '(' || w === '{' || w === '!') { i++; continue; }
    return w.replace(/^\(+/, '');
  }
  return undefined;
}

function defaultToolExists(root: string, path: string): (word: string) => boolean {
  const dirs: string[] = [];
  for (let d = root; ; d = dirname(d)) { dirs.push(join(d, 'node_modules', '.bin')); if (dirname(d) === d) break; }
  dirs.push(...path.split(delimiter).filter(Boolean));
  return (word) => {
    if (SHELL_WORDS.has(word)) return true;
    if (word.includes('/')) return existsSync(isAbsolute(word) ? word : join(root, word));
    return dirs.some((d) => { try { accessSync(join(d, word), constants.X_OK); return true; } catch { return false; } });
  };
}

/** Coverage wrappers in front of a runner: `nyc [options] tape …`, `c8 [options] mocha …`. */
const WRAPPERS = /^((?:[A-Za-z_]\w*=\S*\s+)*)(nyc|c8)\s+(?:-\S+\s+)*/;

const RUNNER_SCRIPTS: Partial<Record<RunnerKind, string>> = {
  jest: '/(jest|jest-cli)/bin/jest(\\.js)?$',
  vitest: '/vitest/vitest\\.mjs$',
  mocha: '/mocha/(bin/(mocha|_mocha)(\\.js)?|lib/cli/cli\\.js)$',
  ava: '/ava/(entrypoints/cli\\.mjs|cli\\.js)$',
};

/** node --test with the script's own file arguments removed, so the selection replaces them. */
function nodeTestWithFiles(base: string, files: string[]): string {
  return `${withoutPositionals('node:test', base)} ${files.map(shellArg).join(' ')}`;
}

/** The runner step with the selection applied (only what a user would type to run that subset by hand). */
function selectedStep(runner: RunnerKind, base: string, sel: Selection): { step: string; hidden: string[] } {
  const q = (files: string[]): string => files.map(shellArg).join(' ');
  switch (sel.kind) {
    case 'all': return { step: base, hidden: [] };
    case 'files':
      if (runner === 'node:test') return { step: nodeTestWithFiles(base, sel.files), hidden: [] };
      if (runner === 'jest') return { step: base, hidden: ['--runTestsByPath', ...sel.files] };
      if (runner === 'vitest') return { step: `${withoutPositionals('vitest', base)} ${q(sel.files)}`, hidden: [] };
      if (runner === 'mocha' || runner === 'ava' || runner === 'tape' || runner === 'pytest') return { step: `${withoutPositionals(runner, base)} ${q(sel.files)}`, hidden: [] };
      return { step: base, hidden: [] };
    case 'related':
      if (runner === 'jest') return { step: base, hidden: ['--findRelatedTests', ...sel.changed] };
      if (runner === 'vitest') return { step: base.replace(/(\bvitest)(\s+(run|watch|dev))?(?=\s|$)/, `$1 related --run ${q(sel.changed)}`), hidden: [] };
      return { step: base, hidden: [] };
    case 'packages':
      if (runner === 'go') return { step: `${withoutPositionals('go', base)} ${q(sel.packages)}`, hidden: [] };
      return { step: base, hidden: [] };
  }
}

function pmRun(pm: string, name: string): string {
  return name === 'test' ? `${pm} test` : `${pm} run ${shellArg(name)}`;
}

export function buildInvocation(cmd: TestCommand, sel: Selection, root: string, resultsDir: string, files: InvocationFiles, opts: InvocationOptions = {}): Invocation {
  const baseEnv = opts.baseEnv ?? process.env;
  const pathVar = `${join(root, 'node_modules', '.bin')}${delimiter}${baseEnv.PATH ?? ''}`;
  const toolExists = opts.toolExists ?? defaultToolExists(root, baseEnv.PATH ?? '');
  const env: Record<string, string> = { PATH: pathVar, PYTHONDONTWRITEBYTECODE: '1' };
  const notes: string[] = [];

  // The steps the user's command runs, the runner's among them.
  const steps = cmd.script ? cmd.script.steps : [...(cmd.prefix ? splitSteps(cmd.prefix) : []), cmd.base];
  const runnerIndex = cmd.script ? cmd.script.runnerIndex : steps.length - 1;
  const selected = cmd.runner === 'script' ? { step: cmd.base, hidden: [] } : selectedStep(cmd.runner, cmd.runner === 'go' ? cmd.base.replace(/\bgo\s+test\b/, 'go test -json') : cmd.base, sel);

  // A step other than the runner whose tool is missing (`pnpm lint` on a machine without pnpm, `npm run lint`
  // without eslint) would stop the chain before any test ran: skip it, and say so.
  const scripts = cmd.script?.scripts ?? {};
  const missingTool = (step: string, depth = 0): string | undefined => {
    const word = commandWord(step);
    if (word && !toolExists(word)) return word;
    const ref = depth < 6 ? scriptReference(step, scripts) : undefined;
    if (!ref) return undefined;
    const names = cmd.script?.prePost ? [`pre${ref}`, ref, `post${ref}`] : [ref];
    for (const n of names) for (const s of n in scripts ? splitSteps(scripts[n]) : []) {
      const m = missingTool(s, depth + 1);
      if (m) return m;
    }
    return undefined;
  };
  const missing = new Map<number, string>();
  steps.forEach((s, i) => {
    const tool = i === runnerIndex ? undefined : missingTool(s);
    if (tool) missing.set(i, tool);
  });
  for (const [i, tool] of missing) {
    notes.push(`\`${tool}\` is not installed, so the step \`${steps[i]}\` was skipped${runnerIndex >= 0 ? ` and \`${steps[runnerIndex]}\` ran without it` : ''}`);
  }
  for (const i of opts.skipSteps ?? []) {
    if (i === runnerIndex || i < 0 || i >= steps.length || missing.has(i)) continue;
    missing.set(i, '');
    notes.push(`the build step \`${steps[i]}\` did not run again: the change touches none of its inputs, so its output from the run before stands`);
  }
  // A coverage wrapper that is not installed (`nyc tape test/*.js`): the runner runs without it.
  let runnerStep = selected.step;
  const wrapper = cmd.runner === 'script' ? undefined : WRAPPERS.exec(runnerStep);
  if (wrapper && !toolExists(wrapper[2])) {
    runnerStep = runnerStep.replace(WRAPPERS, '$1');
    notes.push(`\`${wrapper[2]}\` is not installed, so \`${runnerStep}\` ran without it`);
    missing.set(-1, wrapper[2]);
  }
  let command: string;
  let chain: Invocation['chain'];
  const pm = cmd.script?.pm;
  const pmUsable = pm !== undefined && toolExists(pm);
  const keptAt = steps.map((_, i) => i).filter((i) => !missing.has(i));
  if (runnerIndex >= 0 && cmd.runner !== 'go' && keptAt.some((i) => i !== runnerIndex)) {
    // A chain (`xo && ava && tsd`, `npm run lint && nyc npm run spec`): each step runs on its own, so a lint
    // step that fails does not hide the tests; every step's exit code is kept for the verdict. A selection
    // runs the steps before the runner (builds, pretest) and not those after it.
    if (cmd.script && pm && !pmUsable) notes.push(`\`${pm}\` (named by the lockfile) is not installed, so the script's steps ran directly`);
    command = runnerStep;
    chain = {
      before: keptAt.filter((i) => i < runnerIndex).map((i) => steps[i]),
      after: sel.kind === 'all' ? keptAt.filter((i) => i > runnerIndex).map((i) => steps[i]) : [],
    };
  } else if (sel.kind === 'all' && cmd.script && missing.size === 0 && pmUsable && cmd.runner !== 'go') {
    command = pmRun(pm, cmd.script.name);
  } else {
    if (cmd.script && pm && !pmUsable) notes.push(`\`${pm}\` (named by the lockfile) is not installed, so the script's steps ran directly`);
    const kept = steps.map((s, i) => (i === runnerIndex ? runnerStep : s)).filter((_, i) => !missing.has(i));
    // A selection runs the steps up to the runner (builds, pretest); everything runs the steps after it too.
    const upTo = sel.kind === 'all' || runnerIndex < 0 ? kept : kept.slice(0, kept.indexOf(runnerStep) + 1);
    command = (upTo.length ? upTo : [runnerStep]).join(' && ');
  }

  const nodeOptionsBefore = baseEnv.NODE_OPTIONS ?? '';
  const withNodeOptions = (extra: string): void => { env.NODE_OPTIONS = [nodeOptionsBefore, extra].filter(Boolean).join(' '); };
  // The hook goes into every node process of the run: it carries the result channel's fds through npm, nyc
  // and the like, and acts only in the runner's own process.
  const hook = (spec: RunnerHookSpec, extra = ''): void => {
    env[RUNNER_HOOK_ENV] = JSON.stringify(spec);
    env.QWQ_NODE_OPTIONS_BEFORE = nodeOptionsBefore;
    withNodeOptions([`--require=${nodeOptionQuote(files.hook)}`, extra].filter(Boolean).join(' '));
  };
  const inv = (results: Invocation['results'], collector?: ResultCollector): Invocation => {
    if (results === 'channel') env[CHANNEL_ENV] = CHANNEL_ENV_VALUE;
    return { command, env, notes, results, ...(collector ? { collector } : {}), ...(chain ? { chain } : {}) };
  };
  const beside = (name: string): string => join(dirname(files.hook), name);
  const script = RUNNER_SCRIPTS[cmd.runner] ?? '';
  switch (cmd.runner) {
    case 'node:test': {
      // Reporters through NODE_OPTIONS: after the file arguments they would be file names on Node 20, and in
      // NODE_OPTIONS they reach every `node --test` however the script starts it. Ours prints nothing (it
      // writes on the result channel); the user's own reporter, or spec, keeps the console.
      const own = tokens(runnerStep).filter((t) => /^--test-reporter(=|$)/.test(t)).length;
      const ownDest = tokens(runnerStep).filter((t) => /^--test-reporter-destination(=|$)/.test(t)).length;
      const flags = [`--test-reporter=${nodeOptionQuote(files.reporter)}`, '--test-reporter-destination=stdout'];
      if (own === 0) flags.push('--test-reporter=spec', '--test-reporter-destination=stderr');
      else for (let i = ownDest; i < own; i++) flags.push('--test-reporter-destination=stderr');
      hook({ script: '', args: [], tail: [], restore: false, runner: 'node:test' }, flags.join(' '));
      return inv('channel');
    }
    case 'jest':
      // After the user's own arguments: jest's --reporters takes a list, so a positional after it (`jest src`)
      // would be read as one more reporter.
      hook({ script, args: [], tail: ['--reporters=default', `--reporters=${files.jestReporter ?? beside('qwq-jest-reporter.cjs')}`, ...selected.hidden], restore: true, runner: 'jest' });
      return inv('channel');
    case 'vitest':
      hook({ script, args: ['--reporter=default', `--reporter=${files.vitestReporter ?? beside('qwq-vitest-reporter.mjs')}`], tail: [], restore: false, runner: 'vitest' });
      return inv('channel');
    case 'mocha':
      // No flag: the hook listens to mocha's Runner, so the script's own --reporter (spec, dot) stays.
      hook({ script: '', args: [], tail: [], restore: false, runner: 'mocha' });
      return inv('channel');
    case 'ava':
      hook({ script, args: ['--tap'], tail: [], restore: false, runner: 'ava' });
      return inv('stdout', tapCollector());
    case 'tape':
      return inv('stdout', tapCollector());
    case 'pytest': {
      env.PYTEST_ADDOPTS = [baseEnv.PYTEST_ADDOPTS ?? '', `-p no:cacheprovider -p ${PYTEST_PLUGIN_MODULE}`].filter(Boolean).join(' ');
      env.PYTHONPATH = [files.pythonPath ?? dirname(files.hook), baseEnv.PYTHONPATH ?? ''].filter(Boolean).join(delimiter);
      // A script that runs pytest through npm: the hook in npm's process passes the fds on.
      hook({ script: '', args: [], tail: [], restore: false, runner: 'other' });
      return inv('channel');
    }
    case 'go':
      Object.assign(env, goEnv(baseEnv));
      return inv('stdout', goTestJsonCollector());
    case 'cargo':
      return inv('stdout', cargoCollector());
    case 'script':
      return inv('stdout', sniffingCollector());
  }
}

/** A path inside NODE_OPTIONS: quoted when it has spaces (NODE_OPTIONS understands double quotes). */
function nodeOptionQuote(p: string): string {
  return /[\s"\\]/.test(p) ? `"${p.replace(/(["\\])/g, '\\$1')}"` : p;
}

/**
 * Go runs with the user's own settings: their GOFLAGS (so a vendor/ folder is used as go itself decides),
 * GOPROXY and GOTOOLCHAIN. We only pin the toolchain to the local one when the user has not chosen, and give
 * the build cache a folder of its own when none is set.
 */
export function goEnv(baseEnv: Record<string, string | undefined> = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  if (!baseEnv.GOTOOLCHAIN) env.GOTOOLCHAIN = 'local';
  if (!baseEnv.GOCACHE) env.GOCACHE = baseEnv.QWQ_GOCACHE ?? join(tmpdir(), 'qwq-coder-gocache');
  return env;
}

/** An unknown script: read TAP or go test -json if it prints them; otherwise the exit code is the result. */
function sniffingCollector(): ResultCollector {
  const tap = tapCollector();
  const go = goTestJsonCollector();
  const cargo = cargoCollector();
  return {
    ready: () => tap.ready(),
    line(l) { tap.line(l); go.line(l); cargo.line(l); },
    results() {
      const all = [go.results(), cargo.results(), tap.results()];
      return all.find((r) => r.length > 0) ?? [];
    },
  };
}
