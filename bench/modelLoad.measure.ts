// Measurement script (not a benchmark of its own): load-to-ready of a QwQ-sized header (152,064 tokens, ~5 MB of
// metadata, tiny weights) through the worker of another commit and through this tree's, alternately in one run,
// so a change to the worker's load path has a before/after ratio measured under the same machine load.
//   node --import tsx bench/modelLoad.measure.ts <git-ref> [rounds]
// Both workers are bundled like the extension's (esbuild, node-llama-cpp external) into .bench-data/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { LlamaRuntime } from '../src/core/model/llamaRuntime';
import { writeLargeVocabQwen2 } from '../test/unit/model/largeVocabModel';

const root = join(__dirname, '..');
const dataDir = join(root, '.bench-data', 'model-load');
const WORKER_ENTRY = 'src/core/model/worker/llamaWorkerMain.ts';

async function bundleWorker(sourceRoot: string, out: string): Promise<string> {
  const outfile = join(out, 'llamaWorker.js');
  await esbuild.build({ entryPoints: [join(sourceRoot, WORKER_ENTRY)], bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['node-llama-cpp', '@node-llama-cpp/*'], outfile, logLevel: 'warning' });
  return outfile;
}

/** The worker of `ref`: its src/ from git, bundled beside this tree's node_modules (same node-llama-cpp). */
async function workerOf(ref: string): Promise<string> {
  const dir = join(dataDir, `ref-${ref.replace(/[^\w.-]/g, '_')}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${JSON.stringify(ref)} src | tar -x -C ${JSON.stringify(dir)}`], { cwd: root });
  return bundleWorker(dir, dir);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** CPU time (user + system) the worker used so far: steadier than wall time on a loaded machine (Linux only). */
function workerCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return Math.round(((Number(fields[11]) + Number(fields[12])) * 1000) / 100); // utime, stime in USER_HZ ticks
}

async function loadOnce(model: string, workerPath: string): Promise<Record<string, number>> {
  const rt = new LlamaRuntime({ model, workerPath, gpu: false, threads: 1, contextSize: 2048 });
  try {
    const t0 = performance.now();
    const info = await rt.load();
    const readyMs = Math.round(performance.now() - t0);
    return { readyMs, workerCpuMs: workerCpuMs(rt.pid!), ...info.loadTimings };
  } finally { await rt.dispose(); }
}

async function main(): Promise<void> {
  const ref = process.argv[2];
  if (!ref) throw new Error('usage: modelLoad.measure.ts <git-ref> [rounds]');
  const rounds = Number(process.argv[3]) || 7;
  mkdirSync(dataDir, { recursive: true });
  const model = join(dataDir, 'large-vocab-qwen2.gguf');
  if (!existsSync(model)) writeLargeVocabQwen2(model);
  const workers = { before: await workerOf(ref), after: await bundleWorker(root, join(dataDir, 'tree')) };
  const runs: Record<keyof typeof workers, Array<Record<string, number>>> = { before: [], after: [] };
  await loadOnce(model, workers.before); await loadOnce(model, workers.after); // page cache, first-fork costs
  for (let i = 0; i < rounds; i++) {
    // Alternate the order, so neither side always runs right after the other's dispose.
    const order = i % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
    for (const side of order) runs[side].push(await loadOnce(model, workers[side]));
  }
  const keys = [...new Set([...runs.before, ...runs.after].flatMap((r) => Object.keys(r)))];
  const table = Object.fromEntries(keys.map((k) => [k, {
    before: runs.before.some((r) => k in r) ? median(runs.before.map((r) => r[k] ?? 0)) : '-',
    after: runs.after.some((r) => k in r) ? median(runs.after.map((r) => r[k] ?? 0)) : '-',
  }]));
  console.log(`model: ${model} (152,064-token vocabulary); ${rounds} loads each, alternating; medians in ms; before = ${ref}`);
  console.table(table);
  for (const [key, what] of [['readyMs', 'load to ready (wall)'], ['workerCpuMs', 'worker CPU time to ready']] as const) {
    const ratio = median(runs.after.map((r) => r[key]!)) / median(runs.before.map((r) => r[key]!));
    console.log(`${what}, this tree vs ${ref}: ${ratio.toFixed(3)}× (per round: ${runs.after.map((r, i) => (r[key]! / runs.before[i]![key]!).toFixed(2)).join(' ')})`);
  }
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
