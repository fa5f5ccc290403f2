// Related-test selection (docs/architecture.md §5): the tests that can observe a change. From the import graph (the
// context engine's), walking importers transitively from each changed file; or the runner's own
// --findRelatedTests / `vitest related`; Go selects packages.
import { readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import picomatch from 'picomatch';
import { buildOutputDirs, buildStepsOf } from './buildSteps';
import type { TestCommand } from './detect';
import type { Selection } from './invocation';
import { positionals } from './runnerOptions';

/** The slice of the context engine's ImportGraph we use. */
export interface ImportGraphLike {
  files: string[];
  importersOf(file: string): string[];
}

export type BuildImportGraph = (root: string) => Promise<ImportGraphLike>;

export function isTestFile(rel: string): boolean {
  const base = posix.basename(rel);
  return /\.(test|spec)\.[cm]?[jt]sx?$/.test(base)
    || /^test_.*\.py$|_test\.py$/.test(base)
    || /_test\.go$/.test(base)
    || (/(^|\/)(test|tests|__tests__)\//.test(rel) && /\.([cm]?[jt]sx?|py)$/.test(base) && !/^(conftest|__init__)\.py$/.test(base) && !/(^|\/)(fixtures?|helpers?|utils?)\//.test(rel));
}

/** Test files that import a changed file (transitively), plus changed files that are tests themselves. */
export function relatedTestFiles(graph: ImportGraphLike, changed: string[]): string[] {
  const seen = new Set<string>(changed);
  let frontier = [...changed];
  while (frontier.length) {
    const next: string[] = [];
    for (const f of frontier) for (const imp of graph.importersOf(f)) if (!seen.has(imp)) { seen.add(imp); next.push(imp); }
    frontier = next;
  }
  return [...seen].filter(isTestFile).sort();
}

function goPackage(rel: string): string {
  const d = posix.dirname(rel);
  return d === '.' ? '.' : `./${d}`;
}

const JS = ['.js', '.cjs', '.mjs'];
const TS = ['.ts', '.cts', '.mts', '.tsx', '.jsx'];
/** A TypeScript (or JSX) loader in the step or its config: ts files then load. */
const TS_LOADER = /ts-node|\btsx\b|@swc-node|@swc\/register|esbuild-register|@babel\/register|@esbuild-kit|--experimental-strip-types|--experimental-transform-types|\btypescript\b/;

function readText(root: string, rel: string): string {
  try { return readFileSync(join(root, rel), 'utf8'); } catch { return ''; }
}

function isDir(root: string, rel: string): boolean {
  try { return statSync(join(root, rel)).isDirectory(); } catch { return false; }
}

/** The runner's configuration text where it can name loaders or test paths (mocha's .mocharc, ava's config, package.json). */
function runnerConfigText(root: string, runner: TestCommand['runner']): string {
  const pkg = readText(root, 'package.json');
  let key = '';
  try { key = JSON.stringify((JSON.parse(pkg) as Record<string, unknown>)[runner === 'mocha' ? 'mocha' : runner === 'ava' ? 'ava' : ''] ?? ''); } catch { /* no package.json */ }
  const files = runner === 'mocha' ? ['.mocharc.js', '.mocharc.cjs', '.mocharc.mjs', '.mocharc.json', '.mocharc.jsonc', '.mocharc.yml', '.mocharc.yaml']
    : runner === 'ava' ? ['ava.config.js', 'ava.config.cjs', 'ava.config.mjs'] : [];
  return [key, ...files.map((f) => readText(root, f))].join('\n');
}

/**
 * Which files the runner loads on its own: its own list (files, folders, globs in the script, mocha's --spec)
 * or its defaults, and only extensions it can load (TypeScript needs a loader in the step or the runner's
 * config). A related selection replaces that list on the command line, so it may name no file outside it:
 * `mocha test/*.mjs` must never be handed `test/typescript/types.ts`.
 */
export function runnerLoads(cmd: TestCommand, root: string): (rel: string) => boolean {
  const runner = cmd.runner;
  if (runner === 'pytest') {
    const own = positionals('pytest', cmd.base) ?? [];
    const paths = own.filter((p) => !p.includes('::'));
    const inPaths = (rel: string): boolean => paths.length === 0 || paths.some((p) => { const n = p.replace(/^\.\//, '').replace(/\/$/, ''); return rel === n || rel.startsWith(`${n}/`) || picomatch.isMatch(rel, n); });
    return (rel) => rel.endsWith('.py') && inPaths(rel);
  }
  const config = runnerConfigText(root, runner);
  const step = cmd.base;
  const tsOk = TS_LOADER.test(step) || TS_LOADER.test(config) || TS_LOADER.test(process.env.NODE_OPTIONS ?? '');
  const extra = [...step.matchAll(/--extension[=\s]+['"]?\.?(\w+)/g)].map((m) => `.${m[1]}`);
  const exts = new Set([...JS, ...(tsOk ? TS : []), ...extra]);
  const loadable = (rel: string): boolean => exts.has(posix.extname(rel));
  const own = (positionals(runner, step) ?? []).filter((p) => p !== '' && !p.startsWith('$'));
  const recursive = runner !== 'mocha' || /(^|\s)--recursive(\s|$)/.test(step) || /recursive/.test(config);
  if (own.length === 0) {
    // mocha without paths loads ./test/*.{js,cjs,mjs} unless its config names a spec, which we cannot always read.
    if (runner === 'mocha' && !/\bspec\b/.test(config)) return (rel) => loadable(rel) && (recursive ? rel.startsWith('test/') : posix.dirname(rel) === 'test');
    return (rel) => loadable(rel) && isTestFile(rel);
  }
  const matchers = own.map((p) => {
    const n = p.replace(/^\.\//, '').replace(/\/$/, '');
    if (picomatch.scan(n).isGlob) {
      const m = picomatch(n, { dot: false });
      return (rel: string): boolean => m(rel); // named by the user's own glob: it loads what it names
    }
    if (isDir(root, n) || !posix.extname(n)) {
      return (rel: string): boolean => loadable(rel) && (recursive ? rel.startsWith(`${n}/`) : posix.dirname(rel) === n);
    }
    return (rel: string): boolean => rel === n;
  });
  return (rel) => matchers.some((m) => m(rel));
}

export interface ExplainedSelection {
  /** `undefined`: no test covers the change. */
  sel: Selection | undefined;
  /** Why the selection is wider than the related files (said in the verdict's notes). */
  note?: string;
  /** A file selection from the import graph: how many of the runner's test files before the edit it holds. */
  reach?: { files: number; of: number };
}

/**
 * The selection for `tests` ('related' or 'all'); `undefined` means no test covers the change.
 * `graph` is only consulted for runners without their own related mode.
 */
export async function selectTests(cmd: TestCommand, tests: 'related' | 'all', changed: string[], graph: () => Promise<ImportGraphLike>, root?: string): Promise<Selection | undefined> {
  return (await selectTestsExplained(cmd, tests, changed, graph, root)).sel;
}

/** selectTests, saying why a related selection became every test. */
export async function selectTestsExplained(cmd: TestCommand, tests: 'related' | 'all', changed: string[], graph: () => Promise<ImportGraphLike>, root?: string): Promise<ExplainedSelection> {
  if (tests === 'all') return { sel: { kind: 'all' } };
  if (cmd.runner === 'jest' || cmd.runner === 'vitest' || cmd.runner === 'cargo' || cmd.runner === 'script' || cmd.runner === 'go' || root === undefined) {
    return { sel: await selectByRunner(cmd, changed, graph) };
  }
  const g = await graph();
  const related = relatedTestFiles(g, changed);
  const loads = runnerLoads(cmd, root);
  // Tests that load the build's output see the change only through the build, which the graph cannot follow.
  const outDirs = buildStepsOf(cmd).length ? await buildOutputDirs(root, cmd) : [];
  const built = outDirs.length > 0 && g.files.some((f) => outDirs.some((d) => f.startsWith(`${d}/`)) && g.importersOf(f).some((t) => loads(t) && isTestFile(t)));
  if (built) return { sel: { kind: 'all' }, note: `the tests load the build's output (${outDirs.join(', ')}), which the import graph cannot tie to the changed source, so every test ran` };
  const files = related.filter(loads);
  if (files.length) {
    // Counted on the test files as they were (the graph's): a test file only the edit adds reaches nothing yet.
    const before = g.files.filter((f) => isTestFile(f) && loads(f));
    const known = new Set(before);
    return { sel: { kind: 'files', files }, reach: { files: files.filter((f) => known.has(f)).length, of: before.length } };
  }
  if (related.length) return { sel: { kind: 'all' }, note: `the related test files (${related.slice(0, 3).join(', ')}${related.length > 3 ? ', …' : ''}) are not ones \`${cmd.base}\` loads, so every test ran` };
  if (buildStepsOf(cmd).length) return { sel: { kind: 'all' }, note: 'no test imports the change and the test script builds first (its tests may load the build), so every test ran' };
  return { sel: undefined };
}

async function selectByRunner(cmd: TestCommand, changed: string[], graph: () => Promise<ImportGraphLike>): Promise<Selection | undefined> {
  switch (cmd.runner) {
    case 'jest':
    case 'vitest':
      return { kind: 'related', changed };
    case 'cargo':
    case 'script':
      return { kind: 'all' }; // no way to select: running everything is the honest fallback
    case 'go': {
      const files = relatedTestFiles(await graph(), changed.filter((f) => f.endsWith('.go')));
      const pkgs = [...new Set(files.map(goPackage))].sort();
      return pkgs.length ? { kind: 'packages', packages: pkgs } : undefined;
    }
    default: {
      const files = relatedTestFiles(await graph(), changed);
      return files.length ? { kind: 'files', files } : undefined;
    }
  }
}

/** The selection restricted to what exists before the change (a new test file has no baseline). */
export function existingOnly(sel: Selection, exists: (rel: string) => boolean): Selection {
  if (sel.kind === 'files') return { kind: 'files', files: sel.files.filter(exists) };
  if (sel.kind === 'related') return { kind: 'related', changed: sel.changed.filter(exists) };
  return sel;
}
