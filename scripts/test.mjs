#!/usr/bin/env node
// `npm test`: runs the four tiers of tests (docs/architecture.md §8) and prints one line per tier, then a closing
// `N passed, N failed` over all of them; exits non-zero on any failure.
//   unit         test/unit/**/*.test.ts       node:test, pure: no child process, no build, no system package
//   component    test/component/**/*.test.ts  node:test on real parts: llama.cpp, the fixtures' own test
//                                             runners (node, pytest, go), CLI runs, git, the sandbox
//   integration  test/integration/suite       mocha inside code-server's real extension host, driven by chromium
//   e2e          test/e2e/**/*.e2e.ts         Playwright + chromium on code-server with the packaged .vsix
// Tiers are found by folder, so a new test file only has to be put in the right one.
// `node scripts/test.mjs unit component` runs a subset; `--grep=TEXT` is passed to node:test as a name pattern.
// Only what the chosen tiers need is prepared: the build and fixtures for component and up, the system packages
// of each tier (component: golang-go, python3-pytest, cargo, bubblewrap, git; integration/e2e: chromium, and the
// code-server toolchain with the packages it builds against).
// Each tier runs with a TMPDIR of its own; what the tests leave in it is named on the tier's line, then removed.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Parser as TapParser } from 'tap-parser';
import { ensureSystemDeps } from './system-deps.mjs';
import { installTools } from './install-tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TIERS = ['unit', 'component', 'integration', 'e2e'];
/** A node:test preload for every test process: see test/support/isolateEnv.mjs. */
const PRELOAD = pathToFileURL(join(root, 'test', 'support', 'isolateEnv.mjs')).href;

function run(cmd, argv, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: root, stdio: 'inherit', ...opts });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(127));
  });
}

/** The files under `dir` (relative to the repository) whose names end with `suffix`, sorted. */
export function findFiles(dir, suffix) {
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(suffix)) out.push(relative(root, p));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

/**
 * Counts node:test's results in its TAP output with tap-parser: every test point at every depth, except the
 * points that close a suite (node:test marks them `type: 'suite'`), as node:test's own summary counts. A
 * cancelled test is a `not ok` (failed); skip and todo are skipped.
 */
export function tapCounts(text) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const watch = (parser) => {
    parser.on('child', watch);
    parser.on('assert', (point) => {
      if (point.diag?.type === 'suite') return;
      if (point.skip || point.todo) counts.skipped++;
      else if (point.ok) counts.passed++;
      else counts.failed++;
    });
  };
  const parser = new TapParser();
  watch(parser);
  parser.end(text);
  return counts;
}

/** Runs node:test files; reads the counts from a TAP copy of the results. */
async function nodeTest(tier, dir, suffix, extra, env, grep) {
  const files = findFiles(dir, suffix);
  if (files.length === 0) throw new Error(`${tier}: no ${suffix} files under ${dir}`);
  mkdirSync(join(root, 'test-results'), { recursive: true });
  const tap = join(root, 'test-results', `${tier}.tap`);
  rmSync(tap, { force: true });
  const code = await run(process.execPath, [
    '--import', 'tsx', '--import', PRELOAD, '--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...extra,
    ...(grep ? [`--test-name-pattern=${grep}`] : []), ...files,
  ], { env });
  const r = existsSync(tap) ? tapCounts(readFileSync(tap, 'utf8')) : { passed: 0, failed: 0, skipped: 0 };
  if (code !== 0 && r.failed === 0) r.failed = 1; // the runner itself failed (a crash, a load error)
  return r;
}

/** A duration as people read it: `42 s`, `3 min 05 s`. */
export function seconds(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** `qwq-a-Xy12Zz, qwq-a-Q1w2E3, qwq-b-…` → `qwq-a-* ×2, qwq-b-*`: mkdtemp's random suffix dropped. */
export function groupLeftovers(names) {
  const counts = new Map();
  for (const n of names) {
    const key = n.replace(/-[A-Za-z0-9]{6}$/, '-*');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, c]) => (c > 1 ? `${k} ×${c}` : k)).join(', ');
}

const TIER_SPECS = {
  unit: { build: false, system: [], run: (env, grep) => nodeTest('unit', 'test/unit', '.test.ts', ['--test-timeout=120000'], env, grep) },
  component: { build: true, system: ['component'], run: (env, grep) => nodeTest('component', 'test/component', '.test.ts', ['--test-timeout=300000'], env, grep) },
  integration: {
    build: true, system: ['browser'], tools: true,
    run: async (env) => {
      // The suite runs in this process: give it the tier's TMPDIR for the duration.
      const saved = process.env.TMPDIR;
      process.env.TMPDIR = env.TMPDIR;
      try {
        return await (await import(pathToFileURL(join(root, 'test/integration/run-code-server.mjs')).href)).runIntegration();
      } finally {
        if (saved === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = saved;
      }
    },
  },
  e2e: { build: true, system: ['browser'], tools: true, run: (env, grep) => nodeTest('e2e', 'test/e2e', '.e2e.ts', ['--test-timeout=600000', '--test-concurrency=1'], env, grep) },
};

async function main(args) {
  const grep = args.find((a) => a.startsWith('--grep='))?.slice('--grep='.length);
  const only = args.filter((a) => !a.startsWith('--'));
  const tiers = only.length ? only : TIERS;
  const unknown = tiers.filter((t) => !TIER_SPECS[t]);
  if (unknown.length) { console.error(`unknown test tier '${unknown.join(', ')}' (${TIERS.join(', ')})`); return 2; }
  const specs = tiers.map((t) => TIER_SPECS[t]);
  const fail = (msg) => { if (msg) console.error(`npm test: ${msg}`); console.log('0 passed, 1 failed'); return 1; };

  const started = Date.now();
  try {
    const groups = [...new Set(specs.flatMap((s) => s.system))];
    if (groups.length) ensureSystemDeps(groups, { why: `the ${tiers.join('/')} tests` });
    if (specs.some((s) => s.tools)) installTools();
  } catch (e) {
    return fail(e.message);
  }
  if (specs.some((s) => s.build)) {
    if (await run('npm', ['run', '--silent', 'build']) !== 0) return fail('the build failed');
    if (await run('npm', ['run', '--silent', 'fixtures']) !== 0) return fail('writing the fixtures failed');
  }

  const totals = { passed: 0, failed: 0, skipped: 0 };
  const lines = [];
  for (const tier of tiers) {
    const tmp = mkdtempSync(join(tmpdir(), `qwq-tier-${tier}-`));
    // Searchable by other users like the machine's own /tmp: a fault test drops to `nobody` to read its files.
    chmodSync(tmp, 0o755);
    // tsx keeps its compile cache in the temp folder: share the real one rather than recompile every run.
    const tsxCache = `tsx-${process.getuid?.() ?? 'user'}`;
    mkdirSync(join(tmpdir(), tsxCache), { recursive: true });
    symlinkSync(join(tmpdir(), tsxCache), join(tmp, tsxCache));
    // The verifier keeps Go's build cache in the temp folder on purpose (a warm cache across runs): keep it in
    // the real one, so it stays warm and is not counted as left behind.
    // Under `npm test`, npm puts this repository's node_modules/.bin on PATH and exports npm_* variables. The
    // projects our tests verify must not see them: a real project's `npm run lint` would find our eslint.
    const PATH = (process.env.PATH ?? '').split(':').filter((p) => !/node_modules\/\.bin\/?$/.test(p)).join(':');
    const outer = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const env = { ...outer, PATH, TMPDIR: tmp, QWQ_GOCACHE: process.env.QWQ_GOCACHE ?? join(tmpdir(), 'qwq-coder-gocache') };
    let r;
    const tierStarted = Date.now();
    try {
      r = await TIER_SPECS[tier].run(env, grep);
    } catch (e) {
      console.error(`${tier}: ${e?.stack ?? e}`);
      r = { passed: 0, failed: 1, skipped: 0 };
    }
    let left = [];
    try { left = readdirSync(tmp).filter((n) => n !== tsxCache).sort(); } catch { /* removed by a test */ }
    rmSync(tmp, { recursive: true, force: true });
    totals.passed += r.passed; totals.failed += r.failed; totals.skipped += r.skipped ?? 0;
    lines.push(`${tier}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''} in ${seconds(Date.now() - tierStarted)}`
      + (left.length ? ` (left ${left.length} in its TMPDIR: ${groupLeftovers(left)})` : ''));
  }
  console.log(`\n${lines.join('\n')}\n(${seconds(Date.now() - started)} in all, the build and fixtures included)`);
  console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  return totals.failed > 0 || totals.passed === 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2)).then((code) => process.exit(code));
