// Which files judge an edit (docs/architecture.md §5): the user's tests as they were. Test files by each runner's
// own patterns, test setup and config, the manifest's scripts and test fields, and the lockfile. In the
// candidate run they come from the baseline (holdJudgeFiles); an edit that changes them is also run with its own
// tests, and can be green only with the user's. Pure: the caller reads the files.
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { structuredPatch } from 'diff';
import type { FileChange } from '../../edits/types';
import { isTestFile } from '../selection';
import type { TaskKind } from './task';

import type { JudgeFileKind, JudgeChange } from './evidence';
export type { JudgeFileKind, JudgeChange };

/** The runner patterns read from the workspace's own config (baseline text). */
export interface JudgeConfig {
  /** Globs of test and setup files the runners' configs name (jest testMatch, mocha spec, setupFiles, …). */
  globs: string[];
  /** Folders every file of which judges (pytest testpaths). */
  dirs: string[];
}

const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock', 'poetry.lock', 'Pipfile.lock', 'uv.lock', 'pdm.lock', 'go.sum', 'Cargo.lock']);
/** package.json fields that decide how tests run (the rest of the manifest is the edit's to change). */
export const MANIFEST_TEST_FIELDS = ['scripts', 'jest', 'mocha', 'ava', 'nyc', 'c8', 'tap', 'vitest', 'babel', 'directories', 'testRunner'] as const;
// What decides how the test command starts: package-manager config (npm's node-options can preload a module),
// Python's start-up hooks (sitecustomize, .pth files run at interpreter start), make/nox/tox task files.
const STARTUP_FILE = /^(\.npmrc|\.yarnrc(\.yml)?|\.pnpmfile\.cjs|bunfig\.toml|sitecustomize\.py|usercustomize\.py|.*\.pth|Makefile|GNUmakefile|makefile|justfile|noxfile\.py|\.env(\..*)?)$/;
const CONFIG_FILE = /^(conftest\.py|pytest\.ini|\.mocharc(\..*)?|\.nycrc(\..*)?|\.c8rc(\..*)?|\.taprc|\.babelrc(\..*)?|babel\.config\..*|(jest|vitest|ava|karma)\.(config|conf|setup|workspace)\.[cm]?[jt]s(on)?|vitest\.workspace\..*|jest-setup\.[cm]?[jt]s|tsconfig(\..*)?\.json|jsconfig\.json)$/;
/** Section-structured files whose test sections judge: the sections, by header. */
const SECTIONED: Record<string, RegExp> = {
  'setup.cfg': /^\[(tool:pytest|coverage:.*|pytest)\]/,
  'tox.ini': /^\[(pytest|tool:pytest|coverage:.*)\]/,
  'pyproject.toml': /^\[tool\.(pytest|coverage)(\..*)?\]/,
};
/** Folders whose every file belongs to the tests (fixtures, helpers, expected outputs). */
const TEST_DIR = /(^|\/)(test|tests|__tests__|spec|testdata|__snapshots__|__fixtures__)\//;

const CONFIG_KEYS = ['testMatch', 'spec', 'include', 'files', 'setupFiles', 'setupFilesAfterEnv', 'globalSetup', 'globalTeardown', 'require', 'file'];

/** String literals in the arrays (or single values) of the config keys that name test or setup files. */
function namedFiles(source: string): string[] {
  const out: string[] = [];
  for (const key of CONFIG_KEYS) {
    const re = new RegExp(`["']?\\b${key}["']?\\s*[:=]\\s*(\\[[^\\]]*\\]|["'][^"'\\n]+["'])`, 'g');
    for (const m of source.matchAll(re)) for (const s of m[1].matchAll(/["']([^"'\n]+)["']/g)) out.push(s[1]);
  }
  return out;
}

/** pytest's testpaths (pytest.ini, setup.cfg, tox.ini, pyproject.toml). */
function pytestPaths(source: string): string[] {
  const m = /^\s*testpaths\s*=\s*(\[[^\]]*\]|[^\n]+(?:\n[ \t]+[^\n]+)*)/m.exec(source);
  if (!m) return [];
  const text = m[1];
  const quoted = [...text.matchAll(/["']([^"']+)["']/g)].map((q) => q[1]);
  return quoted.length ? quoted : text.split(/\s+/).filter(Boolean);
}

/** The runners' own test patterns, read from the workspace's config files as they are before the edit. */
export function readJudgeConfig(read: (rel: string) => string | undefined): JudgeConfig {
  const globs: string[] = [];
  const dirs: string[] = [];
  const pkg = read('package.json');
  if (pkg) {
    try {
      const json = JSON.parse(pkg) as Record<string, unknown>;
      for (const field of ['jest', 'mocha', 'ava', 'vitest', 'tap', 'nyc', 'c8']) if (json[field]) globs.push(...namedFiles(JSON.stringify(json[field])));
    } catch { /* a broken manifest has no patterns to read */ }
  }
  for (const f of ['jest.config.js', 'jest.config.cjs', 'jest.config.mjs', 'jest.config.ts', 'jest.config.json', 'vitest.config.ts', 'vitest.config.js', 'vitest.config.mts', 'vite.config.ts', 'vite.config.js', '.mocharc.json', '.mocharc.js', '.mocharc.cjs', '.mocharc.yml', '.mocharc.yaml', 'ava.config.js', 'ava.config.mjs']) {
    const text = read(f);
    if (text) globs.push(...namedFiles(text));
  }
  for (const f of ['pytest.ini', 'setup.cfg', 'tox.ini', 'pyproject.toml']) {
    const text = read(f);
    if (!text) continue;
    dirs.push(...pytestPaths(text));
    const pyFiles = /^\s*python_files\s*=\s*(.+)$/m.exec(text)?.[1];
    if (pyFiles) globs.push(...[...pyFiles.matchAll(/[\w*.-]+\.py|[\w*-]+\*/g)].map((g) => `**/${g[0]}`));
  }
  const clean = (p: string): string => p.replace(/^\.\//, '').replace(/\/$/, '');
  return { globs: [...new Set(globs.map(clean).filter((g) => g && !g.startsWith('<')))], dirs: [...new Set(dirs.map(clean).filter(Boolean))] };
}

/** Compiled once per config: picomatch is the dominant cost of a classification. */
const matchers = new WeakMap<JudgeConfig, (path: string) => boolean>();
function configMatcher(config: JudgeConfig): (path: string) => boolean {
  let m = matchers.get(config);
  if (!m) {
    const globs = config.globs.map((g) => picomatch(g.replace(/^<rootDir>\//, ''), { dot: true }));
    const dirs = config.dirs.map((d) => `${d}/`);
    m = (p) => globs.some((g) => g(p)) || dirs.some((d) => p.startsWith(d));
    matchers.set(config, m);
  }
  return m;
}

const sections = (text: string, header: RegExp): string => {
  const out: string[] = [];
  let inside = false;
  for (const line of text.split('\n')) {
    if (/^\s*\[/.test(line)) inside = header.test(line.trim());
    if (inside) out.push(line);
  }
  return out.join('\n');
};

/** What kind of judge file `path` is, given its text before and after the edit; undefined for code the edit may change. */
export function judgeFileKind(path: string, before: string | undefined, after: string | undefined, config: JudgeConfig): { kind: JudgeFileKind; what: string } | undefined {
  const p = path.replace(/\\/g, '/').replace(/^\.\//, '');
  const base = posix.basename(p);
  if (LOCKFILES.has(base)) return { kind: 'lockfile', what: 'the lockfile' };
  if (base === 'package.json') {
    return manifestFieldsChanged(before, after).length ? { kind: 'manifest', what: `the manifest's ${manifestFieldsChanged(before, after).join(', ')}` } : undefined;
  }
  const sectioned = SECTIONED[base];
  if (sectioned) return sections(before ?? '', sectioned) !== sections(after ?? '', sectioned) ? { kind: 'config', what: `the test sections of ${base}` } : undefined;
  if (/^vite\.config\./.test(base)) return /\btest\s*:/.test(`${before ?? ''}\n${after ?? ''}`) ? { kind: 'config', what: "vitest's configuration" } : undefined;
  if (STARTUP_FILE.test(base)) return { kind: 'config', what: `how the tests start (${base})` };
  if (CONFIG_FILE.test(base)) return { kind: 'config', what: base === 'conftest.py' ? 'a pytest conftest (hooks and fixtures)' : `test configuration (${base})` };
  if (isTestFile(p) || TEST_DIR.test(p) || configMatcher(config)(p)) return { kind: 'test', what: 'a test file' };
  return undefined;
}

function manifestFieldsChanged(before: string | undefined, after: string | undefined): string[] {
  const parse = (t: string | undefined): Record<string, unknown> | undefined => {
    try { return t === undefined ? {} : JSON.parse(t) as Record<string, unknown>; } catch { return undefined; }
  };
  const b = parse(before);
  const a = parse(after);
  if (!a || !b) return before === after ? [] : ['text'];
  return MANIFEST_TEST_FIELDS.filter((f) => JSON.stringify(b[f]) !== JSON.stringify(a[f]));
}

/** The edited manifest with its test fields as they were; the whole file as it was when it does not parse. */
function heldManifest(before: string, after: string): string {
  try {
    const b = JSON.parse(before) as Record<string, unknown>;
    const a = JSON.parse(after) as Record<string, unknown>;
    for (const f of MANIFEST_TEST_FIELDS) {
      if (f in b) a[f] = b[f];
      else delete a[f];
    }
    const indent = /\n([ \t]+)"/.exec(after)?.[1] ?? '  ';
    return `${JSON.stringify(a, null, indent)}\n`;
  } catch {
    return before;
  }
}

/** First edited line (1-based, in the edited text) of each hunk that changes `before` into `after`. */
export function hunkStartLines(before: string | undefined, after: string): number[] {
  const patch = structuredPatch('a', 'b', before ?? '', after, '', '', { context: 0 });
  return patch.hunks.map((h) => Math.max(1, h.newStart));
}

export interface HeldChanges {
  /** The edit with every judge file as it was before it ("your tests as they were"): the candidate run's changes. */
  held: FileChange[];
  /** The judge files the edit changes (empty: the held run is the edit itself). */
  judgeChanges: JudgeChange[];
}

/**
 * Splits an edit into what it may change and what judges it. Generate Tests keeps its own rule: its test files
 * are the deliverable (checked by decide.ts: new tests pass and catch a mutation), so only config, manifest and
 * lockfile are held for it.
 */
export function holdJudgeFiles(kind: TaskKind, changes: readonly FileChange[], config: JudgeConfig): HeldChanges {
  const held: FileChange[] = [];
  const judgeChanges: JudgeChange[] = [];
  for (const c of changes) {
    const j = judgeFileKind(c.path, c.before, c.deleted ? undefined : c.after, config);
    if (!j || (j.kind === 'test' && kind === 'generate-tests')) { held.push(c); continue; }
    judgeChanges.push({ path: c.path, kind: j.kind, what: j.what, lines: hunkStartLines(c.before, c.deleted ? '' : c.after) });
    // The manifest keeps the edit's other fields (a new dependency, a version); its test fields are the user's.
    if (j.kind === 'manifest' && c.before !== undefined && !c.deleted) {
      const text = heldManifest(c.before, c.after);
      if (text !== c.before) held.push({ path: c.path, before: c.before, after: text });
    }
  }
  return { held, judgeChanges };
}
