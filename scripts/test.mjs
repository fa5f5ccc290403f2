#!/usr/bin/env node
// `npm test`: builds, writes the test fixtures, then runs the three kinds of tests: unit (node:test on the
// core), integration (mocha inside code-server's real extension host) and e2e (Playwright on code-server).
// Prints each kind's counts and one closing line `N passed, N failed` over all of them.
// `node scripts/test.mjs unit e2e` runs a subset; extra `--grep=TEXT` is passed to node:test as a name pattern.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync, statSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureSystemDeps } from './system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const grep = args.find((a) => a.startsWith('--grep='))?.slice('--grep='.length);
const only = args.filter((a) => !a.startsWith('--'));
const kinds = only.length ? only : ['unit', 'integration', 'e2e'];

function run(cmd, argv, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: root, stdio: 'inherit', ...opts });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(127));
  });
}

function findFiles(dir, suffix) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(suffix)) out.push(relative(root, p));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

/** Runs node:test files; reads the counts from a TAP copy of the results. */
async function nodeTest(kind, dir, suffix, extra = []) {
  const files = findFiles(dir, suffix);
  if (files.length === 0) throw new Error(`${kind}: no ${suffix} files under ${dir}`);
  mkdirSync(join(root, 'test-results'), { recursive: true });
  const tap = join(root, 'test-results', `${kind}.tap`);
  const code = await run(process.execPath, [
    '--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...extra,
    ...(grep ? [`--test-name-pattern=${grep}`] : []), ...files,
  ]);
  const text = readFileSync(tap, 'utf8');
  const count = (k) => Number(text.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? 0);
  const r = { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
  if (code !== 0 && r.failed === 0) r.failed = 1; // the runner itself failed (a crash, a load error)
  return r;
}

const phases = {
  unit: () => nodeTest('unit', 'test/unit', '.test.ts', ['--test-timeout=300000']),
  integration: async () => (await import(pathToFileURL(join(root, 'test/integration/run-code-server.mjs')).href)).runIntegration(),
  e2e: () => nodeTest('e2e', 'test/e2e', '.e2e.ts', ['--test-timeout=600000', '--test-concurrency=1']),
};

const started = Date.now();
try { ensureSystemDeps(); } catch (e) { console.error(`npm test: ${e.message}`); console.log('0 passed, 1 failed'); process.exit(1); }
if (await run('npm', ['run', '--silent', 'build']) !== 0) { console.log('0 passed, 1 failed'); process.exit(1); }
if (await run('npm', ['run', '--silent', 'fixtures']) !== 0) { console.log('0 passed, 1 failed'); process.exit(1); }

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
for (const kind of kinds) {
  if (!phases[kind]) { console.error(`unknown test kind '${kind}' (unit, integration, e2e)`); process.exit(2); }
  let r;
  try {
    r = await phases[kind]();
  } catch (e) {
    console.error(`${kind}: ${e?.stack ?? e}`);
    r = { passed: 0, failed: 1, skipped: 0 };
  }
  totals.passed += r.passed; totals.failed += r.failed; totals.skipped += r.skipped ?? 0;
  lines.push(`${kind}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
}
console.log(`\n${lines.join('\n')}\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
