// Each runner's own option table: which options take a value. A selection replaces the script's own test
// paths, so we must tell `mocha --require @babel/register test/` ("@babel/register" is the value of
// --require) from its positional "test/" by the runner's grammar, never by whether a word contains '/'.
import type { RunnerKind } from './detect';

/** Whitespace tokens of a simple command (quotes kept as written; we only drop or keep whole tokens). */
export function tokens(segment: string): string[] {
  return segment.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? [];
}

interface OptionTable {
  /** The token that is the runner itself (after it come the runner's options and positionals). */
  runner: (tok: string, prev: string | undefined) => boolean;
  /** Subcommands that may follow the runner token ("vitest run", "go test"). */
  subcommands?: string[];
  /** Options that take the next token as their value (unless written --opt=value). */
  valued: string[];
  /** Options whose value is itself a test selection: dropped with their value when a selection replaces them. */
  selecting?: string[];
}

const NODE_VALUED = ['--import', '--require', '-r', '--loader', '--experimental-loader', '--test-name-pattern', '--test-skip-pattern', '--test-concurrency', '--env-file', '--conditions', '-C', '--test-reporter', '--test-reporter-destination', '--test-timeout', '--test-shard', '--watch-path', '--input-type', '--eval', '-e', '--title', '--redirect-warnings', '--disable-warning', '--experimental-test-coverage-include', '--experimental-test-coverage-exclude', '--test-coverage-include', '--test-coverage-exclude', '--test-coverage-lines', '--test-coverage-branches', '--test-coverage-functions'];

const TABLES: Partial<Record<RunnerKind, OptionTable>> = {
  'node:test': { runner: (t) => /(^|\/)node(\.exe)?$/.test(t), valued: NODE_VALUED },
  mocha: {
    runner: (t) => /(^|\/)_?mocha$/.test(t),
    valued: ['--require', '-r', '--reporter', '-R', '--reporter-option', '--reporter-options', '-O', '--ui', '-u', '--timeout', '-t', '--slow', '-s', '--grep', '-g', '--fgrep', '-f', '--config', '--package', '--extension', '--ignore', '--exclude', '--file', '--retries', '--jobs', '-j', '--node-option', '-n', '--watch-files', '--watch-ignore', '--global', '--globals', '--spec', '--opts'],
    selecting: ['--spec'],
  },
  vitest: {
    runner: (t) => /(^|\/)vitest$/.test(t),
    subcommands: ['run', 'watch', 'dev', 'related', 'bench'],
    valued: ['--config', '-c', '--root', '-r', '--dir', '--reporter', '--outputFile', '--environment', '--pool', '--project', '--mode', '--testNamePattern', '-t', '--shard', '--exclude', '--maxWorkers', '--minWorkers', '--testTimeout', '--hookTimeout', '--retry', '--bail', '--workspace', '--typecheck.checker', '--typecheck.tsconfig', '--typecheck.include', '--browser.name', '--coverage.provider', '--coverage.reporter', '--coverage.include', '--coverage.exclude'],
  },
  ava: {
    runner: (t) => /(^|\/)ava$/.test(t),
    valued: ['--match', '-m', '--timeout', '-T', '--concurrency', '-c', '--node-arguments', '--config'],
  },
  tape: { runner: (t) => /(^|\/)tape$/.test(t), valued: ['--require', '-r', '--ignore', '-i', '--ignore-pattern'] },
  pytest: {
    runner: (t) => /(^|\/)(py\.test|pytest)$/.test(t),
    valued: ['-k', '-m', '-p', '-o', '-c', '--rootdir', '--junitxml', '--junit-xml', '--tb', '--maxfail', '-n', '--numprocesses', '--basetemp', '--ignore', '--ignore-glob', '--deselect', '--confcutdir', '--durations', '-W', '--pythonwarnings', '--log-level', '--log-cli-level', '--import-mode', '--cov-report', '--cov-config', '--capture', '--override-ini', '--dist', '--reruns', '--timeout', '--color', '-r'],
  },
  go: {
    runner: (t, prev) => t === 'test' && /(^|\/)go$/.test(prev ?? ''),
    valued: ['-run', '-bench', '-count', '-timeout', '-tags', '-p', '-parallel', '-coverprofile', '-covermode', '-coverpkg', '-cpu', '-mod', '-o', '-exec', '-ldflags', '-gcflags', '-asmflags', '-benchtime', '-shuffle', '-skip', '-vet', '-list', '-fuzz', '-fuzztime', '-fuzzminimizetime', '-blockprofile', '-cpuprofile', '-memprofile', '-mutexprofile', '-outputdir', '-trace', '-modfile', '-overlay', '-pkgdir', '-toolexec', '-C'],
  },
};

/**
 * The runner step without its positional arguments (the script's own test files, folders, globs or
 * packages), keeping every option with its value, so a selection can take their place.
 */
export function withoutPositionals(runner: RunnerKind, step: string): string {
  return splitPositionals(runner, step)?.kept.join(' ') ?? step;
}

/**
 * The runner step's own test paths: its positionals (files, folders, globs; quotes removed) and the values of
 * its selecting options (mocha's --spec). `undefined` when the step is not one we can read.
 */
export function positionals(runner: RunnerKind, step: string): string[] | undefined {
  return splitPositionals(runner, step)?.paths.map((p) => p.replace(/^(['"])(.*)\1$/, '$2'));
}

function splitPositionals(runner: RunnerKind, step: string): { kept: string[]; paths: string[] } | undefined {
  const table = TABLES[runner];
  const t = tokens(step);
  if (!table) return undefined;
  const at = t.findIndex((tok, i) => table.runner(tok, t[i - 1]));
  if (at < 0) return undefined;
  const out = t.slice(0, at + 1);
  const paths: string[] = [];
  let i = at + 1;
  if (table.subcommands && i < t.length && table.subcommands.includes(t[i])) out.push(t[i++]);
  for (; i < t.length; i++) {
    const tok = t[i];
    if (tok === '--') break; // everything after belongs to the tests themselves
    if (tok.startsWith('-') && tok !== '-') {
      const name = tok.replace(/=.*$/, '');
      const takesNext = !tok.includes('=') && table.valued.includes(name) && i + 1 < t.length;
      if (table.selecting?.includes(name)) {
        if (takesNext) paths.push(t[++i]);
        else if (tok.includes('=')) paths.push(tok.slice(tok.indexOf('=') + 1));
        continue;
      }
      out.push(tok);
      if (takesNext) out.push(t[++i]);
      continue;
    }
    // A bare word: a positional (test path, glob or package), replaced by the selection.
    paths.push(tok);
  }
  return { kept: out, paths };
}
