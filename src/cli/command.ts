// The CLI's command contract (docs/architecture.md §6): exit 0 on success, 1 on a handled failure with a one-line
// message on stderr, 2 on a usage error. Every command takes --json.
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Aborted on SIGINT, so long commands (downloads, edits) stop cleanly. */
  signal: AbortSignal;
  cwd: string;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * What `qwq-coder --help`, `<name> --help` and the argument parser need, without the implementation: the CLI
 * loads a command's module only when it is named (src/cli/commands/index.ts), so a start-up pays for one command.
 */
export interface CliCommandSpec {
  name: string;
  /** One line for `qwq-coder --help`. */
  summary: string;
  /**
   * The usage text for `qwq-coder <name> --help`; a function when the text names a default the core holds, so the
   * core module is loaded only for that help page (and the spec never pulls it into the CLI's start-up).
   */
  usage: string | (() => Promise<string>);
  options: OptionSpec;
  /** Whether positional arguments are allowed (for example `chat "prompt"`). */
  allowPositionals?: boolean;
}

/** A command's implementation: its module is loaded only when the command runs (src/cli/commands/index.ts). */
export interface CliCommand {
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

/** Bad arguments: exit 2. */
export class UsageError extends Error {}

/** An expected failure (file missing, edit did not apply): exit 1 with this one-line message. */
export class HandledError extends Error {}

export function requireString(args: ParsedArgs, name: string): string {
  const v = args.values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing --${name}`);
  return v;
}

export function optionalInt(args: ParsedArgs, name: string, min = Number.MIN_SAFE_INTEGER): number | undefined {
  const v = args.values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ''}, got ${JSON.stringify(v)}`);
  return n;
}

/** The --json flag every command shares. */
export const jsonOption: OptionSpec = { json: { type: 'boolean', default: false } };

/** --tests, the same in `verify` and `edit`: one default, one meaning. */
export const TESTS_DEFAULT = 'related';
export const TESTS_HELP = `--tests related|all: related runs the tests that import the changed files first and, once they pass, all
the tests (so "verified" always means the whole suite passed); all runs every test at once (default: ${TESTS_DEFAULT}).`;
export function testsOption(args: ParsedArgs): 'related' | 'all' {
  const v = args.values.tests;
  const tests = typeof v === 'string' && v !== '' ? v : TESTS_DEFAULT;
  if (tests !== 'related' && tests !== 'all') throw new UsageError(`--tests must be related or all, got ${JSON.stringify(tests)}`);
  return tests;
}

/**
 * A file named on the command line, for a command that has a --workspace: a relative path is the workspace's
 * (`--workspace W --file src/x.js` is W/src/x.js, wherever the command runs); one that exists only relative to
 * the current folder, inside W, is accepted too (`--workspace W --file W/src/x.js`).
 */
export function workspaceFile(workspace: string, cwd: string, file: string): string {
  if (isAbsolute(file)) return file;
  const inWorkspace = resolve(workspace, file);
  if (existsSync(inWorkspace)) return inWorkspace;
  const fromCwd = resolve(cwd, file);
  const rel = relative(workspace, fromCwd);
  return existsSync(fromCwd) && !rel.startsWith('..') && !isAbsolute(rel) ? fromCwd : inWorkspace;
}
