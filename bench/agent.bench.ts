// `node scripts/bench.mjs agent`: what the agent loop costs on top of the work it orchestrates, against a
// baseline measured in the same run: one verifyChanges of the fixing patch on the node fixture (baseline test
// run + candidate test run, cold shadow), which is the least any verified edit costs.
//  1. the loop with the scripted in-memory runtime double and predicate tests: pure orchestration overhead
//  2. a one-round verified fix on the real stack (scripted GGUF model in the runtime's child process)
//  3. a two-round fix (breaking edit, repair, fix) on the real stack
//  4. time to feedback: an edit task whose model takes D and whose test runs take D each (scripted delays,
//     D = BENCH_DELAY_MS, default 20 s): the baseline runs while the model plans, so the wall time is about
//     max(model, tests) + the candidate run. Goal: ≤ 1.1 × D + D.
// Goal: (2) within ~2.5× of the baseline (model load + context + a second related/all run), and (1) ≪ 1 %.
import childProcess from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChanges } from '../src/core/verify';
import { buildImportGraph } from '../src/core/context/importGraph';
import { createModelRuntime } from '../src/core/model';
import { runAgent } from '../src/core/agent/agent';
import { createAgentDeps } from '../src/core/agent/qwqCore';
import { createApplyEdits, MemoryWorkspaceFiles } from '../src/core/agent/workspaceFiles';
import { unifiedDiff } from '../src/core/edits';
import { writeScenario, FIX_EDIT } from '../test/fixtures/scenarios/cartScenarios';
import { edit, noContext, PredicateTestsDouble, ScriptedRuntimeDouble } from '../test/unit/agent/doubles';

const WS = join(__dirname, '../test/fixtures/workspaces/node');
const FIX = JSON.parse(FIX_EDIT).edits[0] as { path: string; search: string; replace: string };

/** Test runs, counted as the process runner's `sh -c <test command>` spawns (nothing else here starts a shell). */
let testRuns = 0;
const spawn = childProcess.spawn;
childProcess.spawn = ((cmd: string, ...rest: unknown[]) => {
  if (/(^|\/)(sh|bwrap)$/.test(cmd)) testRuns++;
  return (spawn as (...a: unknown[]) => unknown)(cmd, ...rest);
}) as typeof childProcess.spawn;

/** The median time of `fn`, and the test runs of one call (the same every call: the counts are asserted equal). */
async function timed(n: number, fn: () => Promise<unknown>): Promise<{ ms: number; runs: number }> {
  const counts: number[] = [];
  const ms = await repeat(n, async () => {
    const before = testRuns;
    await fn();
    counts.push(testRuns - before);
  });
  if (new Set(counts).size !== 1) throw new Error(`test runs differ between repetitions: ${counts.join(', ')}`);
  return { ms, runs: counts[0]! };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function repeat(n: number, fn: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Case 4: a model that plans for `delay` ms, tests whose baseline and candidate runs take `delay` ms each
 *  (the candidate's verification reuses a baseline already run, as ShadowVerifierSession does). */
async function overlapCase(delay: number): Promise<{ wall: number; goal: number }> {
  class SlowModel extends ScriptedRuntimeDouble {
    override async chat(...args: Parameters<ScriptedRuntimeDouble['chat']>) { await sleep(delay); return super.chat(...args); }
  }
  const files = new MemoryWorkspaceFiles('/mem', { 'a.js': 'x = 1;\n' });
  class SlowTests extends PredicateTestsDouble {
    private base: Promise<unknown> | undefined;
    override baseline() { const b = super.baseline.bind(this); this.base ??= sleep(delay).then(b); return this.base as ReturnType<PredicateTestsDouble['baseline']>; }
    override async verify(...args: Parameters<PredicateTestsDouble['verify']>) { await this.baseline(); await sleep(delay); return super.verify(...args); }
  }
  const tests = new SlowTests(files.files, [{ id: 't', passes: () => true }]);
  const t0 = Date.now();
  const r = await runAgent({ id: 'o', kind: 'edit-selection', instruction: 'set x to 2', workspace: '/mem', file: 'a.js' }, {
    architect: new SlowModel([{ thought: 't', answer: 'set x to 2' }]), editor: new ScriptedRuntimeDouble([{ answer: edit('a.js', 'x = 1;', 'x = 2;') }]),
    context: noContext, files, applyEdits: createApplyEdits(), openVerifier: tests.open, diff: unifiedDiff,
  }, { trusted: true, tools: false, maxRounds: 1 });
  if (r.outcome !== 'verified') throw new Error(r.message);
  return { wall: Date.now() - t0, goal: 1.1 * delay + delay };
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'overlap') {
    const delay = Number(process.env.BENCH_DELAY_MS) || 20_000;
    const o = await overlapCase(delay);
    console.log(`| edit task, model ${delay / 1000} s + tests ${delay / 1000} s each | wall ${(o.wall / 1000).toFixed(2)} s | goal ≤ ${(o.goal / 1000).toFixed(2)} s | ${o.wall <= o.goal ? 'ok' : 'MISSED'} |`);
    if (o.wall > o.goal) process.exitCode = 1;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'qwq-agent-bench-'));
  try {
    const { readFileSync } = await import('node:fs');
    const before = readFileSync(join(WS, FIX.path), 'utf8');
    const change = { path: FIX.path, before, after: before.replace(FIX.search, FIX.replace) };
    const { ms: baseline, runs: baselineRuns } = await timed(3, async () => {
      const r = await verifyChanges({ workspace: WS, changes: [change], tests: 'related', thenAll: true, timeoutMs: 60_000, trusted: true, buildImportGraph: (root) => buildImportGraph(root) });
      if (r.verdict !== 'verified') throw new Error(`baseline not verified: ${r.message}`);
    });

    const doubleLoop = await repeat(20, async () => {
      const files = new MemoryWorkspaceFiles('/mem', { 'a.js': 'x = 1;\n' });
      const tests = new PredicateTestsDouble(files.files, [{ id: 't', passes: (f) => f.get('a.js')!.includes('2') }]);
      const r = await runAgent({ id: 'b', kind: 'fix-failing-tests', instruction: '', workspace: '/mem' }, {
        architect: new ScriptedRuntimeDouble([{ thought: 't', answer: 'set x to 2' }]), editor: new ScriptedRuntimeDouble([{ answer: edit('a.js', 'x = 1;', 'x = 2;') }]),
        context: noContext, files, applyEdits: createApplyEdits(), openVerifier: tests.open, diff: unifiedDiff,
      }, { trusted: true });
      if (r.outcome !== 'verified') throw new Error(r.message);
    });

    const real = async (scenario: 'fix' | 'breakThenFix', rounds: number) => {
      const model = writeScenario(dir, scenario);
      return timed(3, async () => {
        const runtime = createModelRuntime({ model, threads: 1, gpu: false, contextSize: 16384 });
        const deps = createAgentDeps({ workspace: WS, architect: runtime, trusted: true, timeoutMs: 60_000 });
        try {
          const r = await runAgent({ id: 'b', kind: 'fix-failing-tests', instruction: '', workspace: WS }, deps, { trusted: true });
          if (r.outcome !== 'verified' || r.rounds !== rounds) throw new Error(`${scenario}: ${r.outcome} in ${r.rounds}: ${r.message}`);
        } finally {
          deps.dispose();
          await runtime.dispose();
        }
      });
    };
    const oneRound = await real('fix', 1);
    const twoRounds = await real('breakThenFix', 2);

    const rows: Array<[string, number, number | string]> = [
      ['baseline: verifyChanges of the fix (node fixture)', baseline, baselineRuns],
      ['loop with test doubles (orchestration only)', doubleLoop, '(doubles)'],
      ['real stack, 1 round (scripted model)', oneRound.ms, oneRound.runs],
      ['real stack, 2 rounds (break → repair → fix)', twoRounds.ms, twoRounds.runs],
    ];
    console.log('| case | median ms | × baseline | test runs |\n|---|---|---|---|');
    for (const [name, ms, runs] of rows) console.log(`| ${name} | ${ms.toFixed(1)} | ${(ms / baseline).toFixed(3)} | ${runs} |`);
    const delay = Number(process.env.BENCH_DELAY_MS) || 20_000;
    const o = await overlapCase(delay);
    console.log(`\ntime to feedback: edit task, model ${delay / 1000} s + test runs ${delay / 1000} s each: wall ${(o.wall / 1000).toFixed(2)} s, goal ≤ ${(o.goal / 1000).toFixed(2)} s (1.1 × max + candidate run): ${o.wall <= o.goal ? 'ok' : 'MISSED'}`);
    if (o.wall > o.goal) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e) => { console.error(e); process.exit(1); });
