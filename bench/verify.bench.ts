// `npm run bench:verify`: the cost of verification, against baselines measured in the same run.
//  1. verify (warm shadow, cached baseline) vs running the same tests directly: goal ≤ 1.15×
//  2. related selection vs all tests, on a generated workspace with 60 test files: goal ≥ 5× faster
//  3. shadow sync of a generated 10,000-file workspace after one change: goal < 300 ms
//  2b. the baseline once per state: a second task (new shadow) on an unchanged workspace vs the first: goal ≤ 0.6×
//  4. isolation (isolationRows): sandboxed verify vs the test command run by hand twice (goal ≤ 1.15×), the
//     sandbox's start-up per test run, and the 10,000-file sync with the open-file limit at 1,024
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bwrapAvailable, runProcess, ShadowWorkspace, verifyChanges } from '../src/core/verify';
import { buildImportGraph } from '../src/core/context/importGraph';
import { clearBaselineMemory } from '../src/core/verify/baselineCache';
import { MANY_TESTS_DIR, TEN_K_DIR } from '../test/fixtures/workspaces/writeVerifyFixtures';
import { RUNNERS, makeProject, runnerCache, type Runner } from '../test/component/verify/projects';

const generated = join(__dirname, '../test/fixtures/generated');
const many = join(generated, MANY_TESTS_DIR);
const tenK = join(generated, TEN_K_DIR);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function repeat(n: number, fn: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(await time(fn));
  return median(xs);
}

const rows: Array<{ measure: string; value: string; baseline: string; ratio: string; goal: string; ok: boolean }> = [];

async function main(): Promise<void> {
  // Every 'cold' row measures a first task: the cross-task baseline cache (baselineCache.ts) is off except in
  // the row that measures it.
  process.env.QWQ_BASELINE_CACHE = 'off';
  // QWQ_BENCH_RUNNERS_ONLY=1: only the per-runner rows (perRunnerRows).
  if (process.env.QWQ_BENCH_RUNNERS_ONLY) return void await perRunnerRows().then(printRows);
  const modPath = 'src/mod7.js';
  const before = readFileSync(join(many, modPath), 'utf8');
  const change = { path: modPath, before, after: before.replace('return s;', 'return s + 0;') };
  const base = { workspace: many, changes: [change], timeoutMs: 300_000, trusted: true };
  // QWQ_BENCH_ROWS=isolation runs only the isolation rows (section 4).
  if (process.env.QWQ_BENCH_ROWS === 'isolation') { await isolationRows(base); printRows(); return; }
  // QWQ_BENCH_ROWS=second: only the second-task row (2b).
  if (process.env.QWQ_BENCH_ROWS === 'second') { await secondTaskRow(base); printRows(); return; }

  // 1. verify vs direct, all 60 test files. Interleaved, so load from other processes hits both alike.
  const runDirect = async (): Promise<void> => {
    const r = await runProcess({ command: 'node --test', cwd: many, timeoutMs: 300_000 });
    if (r.exitCode !== 0) throw new Error(`direct run failed:\n${r.output.slice(-2000)}`);
  };
  const shadow = new ShadowWorkspace(many);
  let direct = 0;
  try {
    const prime = await verifyChanges({ ...base, tests: 'all', shadow });
    if (prime.verdict !== 'verified') throw new Error(`expected verified, got ${prime.verdict}: ${prime.message}`);
    const directs: number[] = [];
    const warms: number[] = [];
    for (let i = 0; i < 3; i++) {
      directs.push(await time(runDirect));
      warms.push(await time(async () => {
        const r = await verifyChanges({ ...base, tests: 'all', shadow });
        if (!r.baselineCached || r.verdict !== 'verified') throw new Error('warm run did not use the cached baseline');
      }));
    }
    direct = median(directs);
    const warm = median(warms);
    rows.push({ measure: 'verify, warm shadow + cached baseline (60 files, all)', value: `${warm.toFixed(0)} ms`, baseline: `direct \`node --test\` ${direct.toFixed(0)} ms`, ratio: `${(warm / direct).toFixed(2)}×`, goal: '≤ 1.15×', ok: warm / direct <= 1.15 });
  } finally { shadow.dispose(); }
  const cold = await repeat(1, () => verifyChanges({ ...base, tests: 'all' }));
  rows.push({ measure: 'verify, cold (new shadow, baseline + candidate)', value: `${cold.toFixed(0)} ms`, baseline: `direct ${direct.toFixed(0)} ms`, ratio: `${(cold / direct).toFixed(2)}×`, goal: '(info: two runs)', ok: true });

  // 2. related vs all, both cold (new shadow, baseline and candidate, import graph built in the related run).
  const verdicts = { all: new Set<string>(), related: new Set<string>() };
  const all = await repeat(2, async () => { verdicts.all.add((await verifyChanges({ ...base, tests: 'all' })).verdict); });
  const related = await repeat(2, async () => {
    const r = await verifyChanges({ ...base, tests: 'related', buildImportGraph });
    verdicts.related.add(r.verdict);
    if (JSON.stringify(r.selection) !== JSON.stringify(['test/mod7.test.js'])) throw new Error(`unexpected selection ${JSON.stringify(r.selection)}`);
  });
  const same = verdicts.all.size === 1 && JSON.stringify([...verdicts.all]) === JSON.stringify([...verdicts.related]);
  rows.push({ measure: `verify related (1 of 60 test files), verdict ${[...verdicts.related].join('/')} (all: ${[...verdicts.all].join('/')})`, value: `${related.toFixed(0)} ms`, baseline: `all tests ${all.toFixed(0)} ms`, ratio: `${(all / related).toFixed(1)}× faster`, goal: '≥ 5× faster, same verdict', ok: all / related >= 5 && same });

  // 2b. The baseline once per state: two tasks, each with a new shadow (as each agent task gets), on an unchanged
  // workspace. The first runs baseline + candidate; the second finds the baseline by the workspace's content.
  await secondTaskRow(base);

  // 3. shadow sync of 10,000 files after one change.
  const s = new ShadowWorkspace(tenK);
  try {
    const coldSync = await time(() => s.sync());
    const target = join(tenK, 'src/d42/f42.js');
    const original = readFileSync(target, 'utf8');
    const syncs: number[] = [];
    try {
      for (let i = 0; i < 7; i++) {
        writeFileSync(target, `${original}// change ${i}\n`);
        const t = performance.now();
        const st = await s.sync();
        syncs.push(performance.now() - t);
        if (st.copied !== 1 || st.files < 10_000) throw new Error(`expected 1 copied of ≥10000, got ${st.copied} of ${st.files}`);
      }
    } finally { writeFileSync(target, original); }
    const warmSync = median(syncs);
    rows.push({ measure: 'shadow sync, 10,000 files, one changed (median of 7)', value: `${warmSync.toFixed(0)} ms (max ${Math.max(...syncs).toFixed(0)})`, baseline: `cold full copy ${coldSync.toFixed(0)} ms`, ratio: `${(warmSync / coldSync).toFixed(2)}×`, goal: '< 300 ms', ok: warmSync < 300 });
  } finally { s.dispose(); }

  await isolationRows(base);
  if (!process.env.QWQ_BENCH_SKIP_RUNNERS) await perRunnerRows();
  printRows();
}

async function secondTaskRow(base: { workspace: string; changes: Array<{ path: string; before: string; after: string }>; timeoutMs: number; trusted: boolean }): Promise<void> {
  const firsts: number[] = [];
  const seconds: number[] = [];
  const verdicts = new Set<string>();
  process.env.QWQ_BASELINE_CACHE_DIR = mkdtempSync(join(tmpdir(), 'qwq-bench-baselines-'));
  try {
    for (let i = 0; i < 3; i++) {
      clearBaselineMemory();
      process.env.QWQ_BASELINE_CACHE_DIR = mkdtempSync(join(tmpdir(), 'qwq-bench-baselines-'));
      delete process.env.QWQ_BASELINE_CACHE;
      firsts.push(await time(async () => {
        const r = await verifyChanges({ ...base, tests: 'all' });
        if (r.baselineCached) throw new Error('the first task found a cached baseline');
        verdicts.add(r.verdict);
      }));
      seconds.push(await time(async () => {
        const r = await verifyChanges({ ...base, tests: 'all' });
        if (!r.baselineCached) throw new Error(`the second task did not reuse the baseline: ${r.message}`);
        verdicts.add(r.verdict);
      }));
    }
  } finally {
    process.env.QWQ_BASELINE_CACHE = 'off';
    clearBaselineMemory();
  }
  const f = median(firsts);
  const sec = median(seconds);
  rows.push({ measure: `second task, unchanged workspace, new shadow (60 files, all) → ${[...verdicts].join('/')}`, value: `${sec.toFixed(0)} ms`, baseline: `first task ${f.toFixed(0)} ms`, ratio: `${(sec / f).toFixed(2)}×`, goal: '≤ 0.6×', ok: sec / f <= 0.6 && verdicts.size === 1 });
}

function printRows(): void {
  console.log('| measure | value | baseline (same run) | ratio | goal | met |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.measure} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.goal} | ${r.ok ? 'yes' : 'NO'} |`);
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}

// ---- isolation rows (the sandbox and the complete copy) ----
async function isolationRows(base: { workspace: string; changes: Array<{ path: string; before: string; after: string }>; timeoutMs: number; trusted: boolean }): Promise<void> {
  if (!bwrapAvailable()) {
    rows.push({ measure: 'sandboxed verify', value: 'bwrap does not run here', baseline: '-', ratio: '-', goal: '≤ 1.15×', ok: false });
    return;
  }
  // Sandboxed verify (new shadow: sync, baseline and candidate, each in bwrap) vs `node --test` by hand, twice.
  const byHand: number[] = [];
  const sandboxed: number[] = [];
  for (let i = 0; i < 3; i++) {
    byHand.push(await time(async () => {
      for (let k = 0; k < 2; k++) {
        const r = await runProcess({ command: 'node --test', cwd: base.workspace, timeoutMs: 300_000 });
        if (r.exitCode !== 0) throw new Error(`direct run failed:\n${r.output.slice(-2000)}`);
      }
    }));
    sandboxed.push(await time(async () => {
      const r = await verifyChanges({ ...base, tests: 'all', isolation: 'sandbox' });
      if (r.verdict !== 'verified' || r.isolation !== 'sandbox') throw new Error(`expected verified in the sandbox, got ${r.verdict} (${r.isolation}): ${r.message}`);
    }));
  }
  const hand = median(byHand);
  const sb = median(sandboxed);
  rows.push({ measure: 'sandboxed verify, cold (sync + baseline + candidate in bwrap)', value: `${sb.toFixed(0)} ms`, baseline: `\`node --test\` by hand twice ${hand.toFixed(0)} ms`, ratio: `${(sb / hand).toFixed(2)}×`, goal: '≤ 1.15×', ok: sb / hand <= 1.15 });

  // Start-up: the same trivial command, in bwrap as a test run gets it vs plain sh.
  const shadow = new ShadowWorkspace(base.workspace, { isolation: 'sandbox' });
  try {
    await shadow.sync();
    const results = mkdtempSync(join(tmpdir(), 'qwq-bench-results-'));
    const iso = shadow.runIsolation(results);
    const plain: number[] = [];
    const boxed: number[] = [];
    for (let i = 0; i < 15; i++) {
      plain.push(await time(() => runProcess({ command: 'true', cwd: shadow.root, timeoutMs: 30_000 })));
      boxed.push(await time(async () => {
        const r = await runProcess({ command: 'true', argv: iso.argv!('true', []), cwd: shadow.root, env: iso.env, timeoutMs: 30_000 });
        if (r.exitCode !== 0) throw new Error(`bwrap failed: ${r.output}`);
      }));
    }
    const p = median(plain);
    const b = median(boxed);
    rows.push({ measure: 'sandbox start-up per test run (median of 15)', value: `+${(b - p).toFixed(0)} ms (${b.toFixed(0)} ms in bwrap)`, baseline: `plain sh ${p.toFixed(0)} ms`, ratio: `${(b / p).toFixed(1)}×`, goal: '(report)', ok: true });
  } finally { shadow.dispose(); }

  // The 10,000-file sync under `ulimit -n 1024`, in a child shell that sets the limit.
  const r = spawnSync('sh', ['-c', `ulimit -n 1024 && exec "${process.execPath}" --import tsx "${join(__dirname, 'verify.lowfd.ts')}" "${tenK}"`], { encoding: 'utf8' });
  if (r.status !== 0) {
    rows.push({ measure: 'shadow sync, 10,000 files, open-file limit 1,024', value: `failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`, baseline: '-', ratio: '-', goal: 'complete, < 300 ms', ok: false });
    return;
  }
  const low = JSON.parse(r.stdout.trim().split('\n').pop()!) as { files: number; mirrored: number; cold: number; warm: number[] };
  const warm = median(low.warm);
  const complete = low.mirrored >= low.files;
  rows.push({ measure: `shadow sync, 10,000 files, open-file limit 1,024 (${low.mirrored} of ${low.files} mirrored; median of 7 warm)`, value: `${warm.toFixed(0)} ms (max ${Math.max(...low.warm).toFixed(0)})`, baseline: `cold full copy ${low.cold.toFixed(0)} ms`, ratio: `${(warm / low.cold).toFixed(2)}×`, goal: 'complete, < 300 ms', ok: complete && warm < 300 });
}

/** The user's own command, as they would type it in the project. */
const BY_HAND: Record<Runner, string> = { jest: 'npm test', vitest: 'npm test', mocha: 'npm test', ava: 'npm test', tape: 'npm test', 'node:test': 'npm test', pytest: 'python3 -m pytest', go: 'go test ./...' };

/**
 * Per runner: one cold `verify` of a real fix (new shadow, baseline + candidate, verdict) against the user's
 * own test command run by hand twice: before the fix, then with it (so caches such as go's test cache help
 * both sides alike). Interleaved, median of QWQ_BENCH_REPS (3). QWQ_BENCH_RUNNERS=tape,go picks runners.
 */
async function perRunnerRows(): Promise<void> {
  const nodeModules = runnerCache();
  const only = process.env.QWQ_BENCH_RUNNERS?.split(',');
  for (const runner of RUNNERS.filter((r) => !only || only.includes(r))) {
    const p = makeProject(runner, { nodeModules });
    const { path, search, replace } = p.edits.fix;
    const before = readFileSync(join(p.dir, path), 'utf8');
    const change = { path, before, after: before.replace(search, replace) };
    const once = async (): Promise<void> => { await runProcess({ command: BY_HAND[runner], cwd: p.dir, timeoutMs: 300_000 }); };
    const hands: number[] = [];
    const verifies: number[] = [];
    let verdict = '';
    const twice = async (): Promise<void> => {
      await once();
      writeFileSync(join(p.dir, path), change.after);
      try { await once(); } finally { writeFileSync(join(p.dir, path), before); }
    };
    await once(); // warm the disk cache and the runner's own caches for both sides alike
    for (let i = 0; i < Number(process.env.QWQ_BENCH_REPS ?? 3); i++) {
      hands.push(await time(twice));
      verifies.push(await time(async () => { verdict = (await verifyChanges({ workspace: p.dir, changes: [change], tests: 'all', timeoutMs: 300_000, trusted: true })).verdict; }));
    }
    const h = median(hands);
    const v = median(verifies);
    rows.push({ measure: `${runner}: verify a fix (cold shadow, baseline + candidate) → ${verdict}`, value: `${v.toFixed(0)} ms`, baseline: `\`${BY_HAND[runner]}\` by hand ×2: ${h.toFixed(0)} ms`, ratio: `${(v / h).toFixed(2)}×`, goal: '≤ 1.15×', ok: v / h <= 1.15 && verdict === 'verified' });
  }
}

void main().catch((e) => { console.error(e); process.exit(1); });
