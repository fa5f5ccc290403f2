// Turns a detected TestCommand plus a test selection into the shell command to run, with the flags that
// make the runner report structured per-test results, and the collector that reads them.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestCommand } from './detect';
import type { TestCaseResult } from './types';
import { cargoCollector } from './results/cargo';
import { goTestJsonCollector } from './results/goTestJson';
import { parseJestJson } from './results/jestJson';
import { parseJUnitXml } from './results/junit';
import { nodeTestEventsCollector } from './results/nodeTestEvents';
import { tapCollector } from './results/tap';
import type { ResultCollector } from './results/types';

/** What to run: everything, test files (paths relative to the root), changed files (runner-native related), or Go packages. */
export type Selection =
  | { kind: 'all' }
  | { kind: 'files'; files: string[] }
  | { kind: 'related'; changed: string[] }
  | { kind: 'packages'; packages: string[] };

export interface Invocation {
  command: string;
  env: Record<string, string>;
  /** Reads stdout lines as they stream. */
  collector?: ResultCollector;
  /** A results file the runner writes; read after it exits. */
  resultFile?: { path: string; parse: (text: string) => TestCaseResult[] };
}

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Whitespace tokens of a simple command (quotes kept as written; we only drop or keep whole tokens). */
function tokens(segment: string): string[] {
  return segment.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? [];
}

const NODE_VALUE_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--test-name-pattern', '--test-concurrency', '--env-file', '--conditions', '-C']);

/** node --test with its own file arguments and reporters removed, so ours (and our selection) apply. */
function nodeTestBase(base: string): string {
  const t = tokens(base);
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) {
    const tok = t[i];
    if (i === 0 || /(^|\/)node(\.exe)?$/.test(tok) && out.length === 0) { out.push(tok); continue; }
    if (/^--test-reporter(-destination)?(=|$)/.test(tok)) { if (!tok.includes('=')) i++; continue; }
    if (tok.startsWith('-')) {
      out.push(tok);
      if (NODE_VALUE_FLAGS.has(tok) && i + 1 < t.length) out.push(t[++i]);
      continue;
    }
    // A bare token before --test could be an env assignment or "npx"; after it, it is a file or glob.
    if (!out.includes('--test') && !out.some((o) => o.startsWith('--test='))) out.push(tok);
  }
  return out.join(' ');
}

/** Drops bare arguments that name existing paths (the script's own test folders) so a selection replaces them. */
function withoutPathArgs(base: string, root: string, keepFirst: number): string {
  const t = tokens(base);
  return t.filter((tok, i) => i < keepFirst || tok.startsWith('-') || !(/[/*]/.test(tok) || existsSync(join(root, tok.replace(/^['"]|['"]$/g, ''))))).join(' ');
}

export function buildInvocation(cmd: TestCommand, sel: Selection, root: string, resultsDir: string, reporterPath: string): Invocation {
  const q = (files: string[]): string => files.map(shellQuote).join(' ');
  const env: Record<string, string> = {
    PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    PYTHONDONTWRITEBYTECODE: '1',
  };
  const withPrefix = (c: string): string => (cmd.prefix ? `${cmd.prefix} && ${c}` : c);
  switch (cmd.runner) {
    case 'node:test': {
      const files = sel.kind === 'files' ? ` ${q(sel.files)}` : '';
      const base = sel.kind === 'files' ? nodeTestBase(cmd.base) : nodeTestBase(cmd.base) + restArgs(cmd.base);
      return {
        command: withPrefix(`${base} --test-reporter=${shellQuote(reporterPath)} --test-reporter-destination=stdout --test-reporter=spec --test-reporter-destination=stderr${files}`),
        env, collector: nodeTestEventsCollector(root),
      };
    }
    case 'jest': {
      const out = join(resultsDir, 'jest.json');
      const related = sel.kind === 'related' ? ` --findRelatedTests ${q(sel.changed)}` : sel.kind === 'files' ? ` --runTestsByPath ${q(sel.files)}` : '';
      return { command: withPrefix(`${cmd.base} --ci --json --outputFile=${shellQuote(out)}${related}`), env, resultFile: { path: out, parse: (t) => parseJestJson(t, root) } };
    }
    case 'vitest': {
      const out = join(resultsDir, 'vitest.json');
      let base = cmd.base.replace(/(\bvitest)(\s+(run|watch|dev))?\b/, '$1');
      if (sel.kind === 'related') base = base.replace(/\bvitest\b/, `vitest related ${q(sel.changed)}`);
      const files = sel.kind === 'files' ? ` ${q(sel.files)}` : '';
      return { command: withPrefix(`${base}${files} --run --reporter=json --outputFile=${shellQuote(out)}`), env, resultFile: { path: out, parse: (t) => parseJestJson(t, root) } };
    }
    case 'mocha': {
      const out = join(resultsDir, 'mocha.xml');
      const base = sel.kind === 'files' ? `${withoutPathArgs(cmd.base, root, 1)} ${q(sel.files)}` : cmd.base;
      return { command: withPrefix(`${base} --reporter xunit --reporter-option output=${shellQuote(out)}`), env, resultFile: { path: out, parse: parseJUnitXml } };
    }
    case 'pytest': {
      const out = join(resultsDir, 'pytest.xml');
      const base = sel.kind === 'files' ? `${withoutPathArgs(cmd.base, root, 1)} ${q(sel.files)}` : cmd.base;
      return { command: withPrefix(`${base} -p no:cacheprovider --junitxml=${shellQuote(out)} -o junit_family=xunit1`), env, resultFile: { path: out, parse: parseJUnitXml } };
    }
    case 'go': {
      let base = cmd.base.replace(/\bgo\s+test\b/, 'go test -json');
      if (sel.kind === 'packages') base = `${withoutPathArgs(base, root, 2).replace(/\s\.\/\.\.\.(?=\s|$)/g, '')} ${q(sel.packages)}`;
      return { command: withPrefix(base), env: { ...env, ...goEnv() }, collector: goTestJsonCollector() };
    }
    case 'cargo':
      return { command: withPrefix(cmd.base), env, collector: cargoCollector() };
    case 'script':
      return { command: cmd.base, env, collector: sniffingCollector() };
  }
}

/** For `node --test dir/`, the bare file arguments we stripped in nodeTestBase, appended back for "all". */
function restArgs(base: string): string {
  const t = tokens(base);
  const at = t.findIndex((x) => x === '--test' || x.startsWith('--test='));
  if (at < 0) return '';
  const rest: string[] = [];
  for (let i = at + 1; i < t.length; i++) {
    if (t[i].startsWith('-')) { if (NODE_VALUE_FLAGS.has(t[i]) || /^--test-reporter(-destination)?$/.test(t[i])) i++; continue; }
    rest.push(t[i]);
  }
  return rest.length ? ` ${rest.join(' ')}` : '';
}

/** Go must not reach the network or a newer toolchain, and its build cache lives in a temp dir. */
export function goEnv(): Record<string, string> {
  return {
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    GOCACHE: process.env.QWQ_GOCACHE ?? join(tmpdir(), 'qwq-coder-gocache'),
  };
}

/** An unknown script: read TAP or go test -json if it prints them; otherwise the exit code is the result. */
function sniffingCollector(): ResultCollector {
  const tap = tapCollector();
  const go = goTestJsonCollector();
  const cargo = cargoCollector();
  return {
    line(l) { tap.line(l); go.line(l); cargo.line(l); },
    results() {
      const all = [go.results(), cargo.results(), tap.results()];
      return all.find((r) => r.length > 0) ?? [];
    },
  };
}
