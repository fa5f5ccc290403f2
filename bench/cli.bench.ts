// `npm run bench cli`: the CLI's fixed start-up cost, against bare Node measured in the same run. On a suite that
// takes half a second, `qwq-coder verify`'s own start-up is a visible share of "verify vs the tests by hand ×2".
//  1. `qwq-coder --version`, `--help` and `verify --help`: wall time to exit vs `node -e 0` (goal ≤ 1.6×)
//  2. `qwq-coder verify` until its first test run starts (the baseline run of a one-test workspace, --isolation
//     copy, so the test can stamp the moment its process started) vs `node --test` by hand (spawn to that stamp),
//     and the whole verify vs `node --test` by hand twice (on a suite this small, nearly all of it is fixed cost)
// Each row interleaves the CLI with its baseline (load from other processes hits both alike), QWQ_BENCH_REPS (20)
// times, and prints the medians. QWQ_BENCH_CLI=<a build's out/cli.js>[,<another>…] measures those builds instead,
// interleaved in a rotating order in the same run (how a change's before/after numbers are taken on the same
// machine in the same hour).
import { spawn } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..');
const CLIS = (process.env.QWQ_BENCH_CLI ?? join(ROOT, 'out/cli.js')).split(',').map((p) => resolve(p));
const REPS = Number(process.env.QWQ_BENCH_REPS ?? 20);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Milliseconds since the epoch, to the microsecond: comparable across processes of this machine. */
const now = (): number => performance.timeOrigin + performance.now();

/** Runs argv to its exit; resolves with the wall time from just before spawn, and that moment. */
function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; started: number; code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const started = now();
    const c = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    c.stdout.on('data', (d) => { output += d; });
    c.stderr.on('data', (d) => { output += d; });
    c.on('error', fail);
    c.on('close', (code) => done({ ms: now() - started, started, code, output }));
  });
}

const rows: Array<{ measure: string; value: string; baseline: string; ratio: string; goal: string; ok: boolean }> = [];
const label = (cli: string): string => (CLIS.length > 1 ? ` [${relative(ROOT, cli)}]` : '');
/** The builds in rep i's order: rotated, so each takes each place after the baseline equally often (the run right
 *  after another verify was measured slower, whichever build it was). */
const rotated = (i: number): string[] => CLIS.map((_, k) => CLIS[(i + k) % CLIS.length]!);

async function exitRows(): Promise<void> {
  const cases = [['--version'], ['--help'], ['verify', '--help']];
  const GOAL = 1.6;
  const bare: number[] = [];
  const times = new Map<string, number[]>();
  for (let i = 0; i < REPS; i++) {
    bare.push((await run([process.execPath, '-e', '0'])).ms);
    for (const cli of rotated(i)) {
      for (const args of cases) {
        const r = await run([process.execPath, cli, ...args]);
        if (r.code !== 0) throw new Error(`${cli} ${args.join(' ')} exited ${r.code}:\n${r.output}`);
        const key = `${cli}\0${args.join(' ')}`;
        times.set(key, [...(times.get(key) ?? []), r.ms]);
      }
    }
  }
  const b = median(bare);
  for (const cli of CLIS) {
    for (const args of cases) {
      const v = median(times.get(`${cli}\0${args.join(' ')}`)!);
      rows.push({ measure: `qwq-coder ${args.join(' ')} (wall, to exit)${label(cli)}`, value: `${v.toFixed(0)} ms`, baseline: `node -e 0 ${b.toFixed(0)} ms`, ratio: `${(v / b).toFixed(2)}×`, goal: `≤ ${GOAL}×`, ok: v / b <= GOAL });
    }
  }
}

async function firstTestRow(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qwq-bench-cli-'));
  try {
    const ws = join(dir, 'ws');
    const marks = join(dir, 'marks');
    // The one test stamps when its process started (its timeOrigin), then passes.
    const mark = `require('fs').appendFileSync(process.env.QWQ_BENCH_MARK, performance.timeOrigin + '\\n');\nrequire('node:test')('stamps', () => {});\n`;
    mkdirSync(ws);
    writeFileSync(join(ws, 'package.json'), JSON.stringify({ name: 'bench-cli', version: '1.0.0', scripts: { test: 'node --test' } }));
    writeFileSync(join(ws, 'mark.test.js'), mark);
    writeFileSync(join(ws, 'lib.js'), 'module.exports = 1;\n');
    const patch = join(dir, 'edit.txt');
    writeFileSync(patch, 'lib.js\n<<<<<<< SEARCH\nmodule.exports = 1;\n=======\nmodule.exports = 2;\n>>>>>>> REPLACE\n');
    const env = { ...process.env, QWQ_BENCH_MARK: marks, QWQ_BASELINE_CACHE: 'off', XDG_CACHE_HOME: join(dir, 'cache') };
    /** The first stamp since the last call: with verify, the baseline run's, the first test run of it. */
    const firstMark = (): number => {
      const t = Number(readFileSync(marks, 'utf8').trim().split('\n')[0]);
      rmSync(marks, { force: true });
      return t;
    };
    const direct: number[] = [];
    const byHandTwice: number[] = [];
    const verify = new Map<string, number[]>(CLIS.map((c) => [c, []]));
    const whole = new Map<string, number[]>(CLIS.map((c) => [c, []]));
    for (let i = 0; i < REPS; i++) {
      const d = await run([process.execPath, '--test', join(ws, 'mark.test.js')], env);
      direct.push(firstMark() - d.started);
      const again = await run([process.execPath, '--test', join(ws, 'mark.test.js')], env);
      firstMark();
      byHandTwice.push(d.ms + again.ms);
      for (const cli of rotated(i)) {
        const v = await run([process.execPath, cli, 'verify', '--workspace', ws, '--patch', patch, '--isolation', 'copy', '--tests', 'all', '--test-command', 'node --test', '--json'], env);
        if (v.code !== 0) throw new Error(`verify exited ${v.code}:\n${v.output}`);
        verify.get(cli)!.push(firstMark() - v.started);
        whole.get(cli)!.push(v.ms);
      }
    }
    const b = median(direct);
    const h = median(byHandTwice);
    for (const cli of CLIS) {
      const v = median(verify.get(cli)!);
      rows.push({ measure: `qwq-coder verify, start until its first test run starts (one-test workspace, --isolation copy)${label(cli)}`, value: `${v.toFixed(0)} ms`, baseline: `\`node --test\` by hand, spawn until the test starts ${b.toFixed(0)} ms`, ratio: `+${(v - b).toFixed(0)} ms`, goal: '(info)', ok: true });
    }
    // The whole verify (baseline + candidate) of a suite that is almost nothing but start-up: the CLI's fixed cost.
    for (const cli of CLIS) {
      const v = median(whole.get(cli)!);
      rows.push({ measure: `qwq-coder verify, whole (same workspace)${label(cli)}`, value: `${v.toFixed(0)} ms`, baseline: `\`node --test\` by hand ×2 ${h.toFixed(0)} ms`, ratio: `${(v / h).toFixed(2)}×`, goal: '(info: fixed cost)', ok: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`${CLIS.map((c) => relative(ROOT, c)).join(', ')}; ${REPS} runs per measure, interleaved; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  // QWQ_BENCH_ROWS=exit or =verify: only the exit rows, or only the first-test-run row.
  if (process.env.QWQ_BENCH_ROWS !== 'verify') await exitRows();
  if (process.env.QWQ_BENCH_ROWS !== 'exit') await firstTestRow();
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('| measure | value | baseline (same run) | ratio | goal | met |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.measure} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.goal} | ${r.ok ? 'yes' : 'NO'} |`);
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}

void main();
