// One test run in a directory: build the invocation, run it with the process runner, collect per-test
// results from the result channel (results/channel.ts) or, for runners without a reporter of ours, stdout.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TestCommand } from './detect';
import { buildInvocation, type Selection } from './invocation';
import { newRunMarker, runProcess, type RunProcessResult } from './processRunner';
import { resultChannel } from './results/channel';
import { NODE_TEST_REPORTER_SOURCE } from './results/nodeTestEvents';
import { JEST_REPORTER_SOURCE, PYTEST_PLUGIN_MODULE, PYTEST_PLUGIN_SOURCE, VITEST_REPORTER_SOURCE } from './results/reporters';
import { ShadowWorkspace } from './shadow';
import { forgetSandboxProbe } from './sandboxCheck';
import { trackRunDir, untrackRunDir, writeOwnerFile } from './staleRuns';
import { RUNNER_HOOK_SOURCE } from './runnerHook';
import type { TestRun } from './types';

export type { TestRun };

/** A run that went through the process runner: every field of TestRun is there. */
export type ExecutedRun = TestRun & Required<Pick<TestRun, 'command' | 'exitCode' | 'timedOut' | 'aborted' | 'output' | 'truncated' | 'durationMs' | 'reported' | 'notes'>>;

export interface RunTestsOptions {
  timeoutMs: number;
  maxOutputBytes?: number;
  signal?: AbortSignal;
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** The host's network inside the sandbox (default: the shadow's setting, off). */
  network?: boolean;
  /** Build steps to leave out (buildOnce.ts): their output is already in the mirror. */
  skipSteps?: ReadonlySet<number>;
  /** Called when the run's first process started (verifyChanges audits the patch beside the baseline). */
  onStarted?: () => void;
}

export const runnerName = (c: TestCommand): string => (c.runner === 'script' ? `script (${c.source})` : c.runner);

export async function runTests(root: string, cmd: TestCommand, sel: Selection, opts: RunTestsOptions): Promise<ExecutedRun> {
  // Our hook, reporters and plugin live outside the mirror, so they never look like workspace files. The
  // folder holds code only (no results, no key): the sandbox sees it read-only.
  const dir = mkdtempSync(join(tmpdir(), 'qwq-results-'));
  const marker = newRunMarker();
  trackRunDir(dir);
  try {
    writeOwnerFile(dir, { marker });
    const files = {
      reporter: join(dir, 'qwq-node-test-reporter.mjs'), hook: join(dir, 'qwq-runner-hook.cjs'),
      jestReporter: join(dir, 'qwq-jest-reporter.cjs'), vitestReporter: join(dir, 'qwq-vitest-reporter.mjs'), pythonPath: dir,
    };
    writeFileSync(files.reporter, NODE_TEST_REPORTER_SOURCE);
    writeFileSync(files.hook, RUNNER_HOOK_SOURCE);
    writeFileSync(files.jestReporter, JEST_REPORTER_SOURCE);
    writeFileSync(files.vitestReporter, VITEST_REPORTER_SOURCE);
    writeFileSync(join(dir, `${PYTEST_PLUGIN_MODULE}.py`), PYTEST_PLUGIN_SOURCE);
    for (const f of Object.values(files)) if (f !== dir) chmodSync(f, 0o444);
    // ---- isolation (docs/architecture.md §5): a shadow's mirror runs sandboxed, seen at the workspace's path ----
    const shadow = ShadowWorkspace.forRoot(root);
    const iso = shadow?.runIsolation(dir, opts.network);
    const viewRoot = iso?.viewRoot ?? root;
    const inv = buildInvocation(cmd, sel, viewRoot, dir, files, opts.skipSteps ? { skipSteps: opts.skipSteps } : {});
    const env = { ...inv.env, ...iso?.env };
    // Python byte-code: where the isolation gives it a cache of its own (PYTHONPYCACHEPREFIX, kept from a baseline
    // like the other caches: runCaches.ts), write it there, even when the user's environment says not to write
    // (that keeps __pycache__ out of their tree, which the prefix does too). With a prefix Python reads .pyc only
    // from that tree, so forbidding writes would compile every module (pytest's own too) from source on every run.
    if (iso?.env.PYTHONPYCACHEPREFIX) env.PYTHONDONTWRITEBYTECODE = '';
    // Both want PYTHONPATH: our plugin's folder first, then the mirror's editable-install sources.
    if (inv.env.PYTHONPATH && iso?.env.PYTHONPATH) env.PYTHONPATH = `${files.pythonPath}${delimiter}${iso.env.PYTHONPATH}`;
    const channel = inv.results === 'channel' ? resultChannel(viewRoot) : undefined;
    const started = Date.now();
    const one = (command: string, withChannel: boolean): Promise<RunProcessResult> => runProcess({
      command, argv: iso?.argv?.(command, []), ownPidNamespace: iso?.ownPidNamespace, cwd: iso?.cwd ?? root, env, inheritEnv: iso?.inheritEnv,
      timeoutMs: Math.max(1, opts.timeoutMs - (Date.now() - started)), maxOutputBytes: opts.maxOutputBytes, marker,
      signal: opts.signal, onOutput: opts.onOutput, onSpawn: opts.onStarted,
      onStdoutLine: withChannel && inv.collector ? (l) => inv.collector!.line(l) : undefined,
      channel: withChannel && channel ? { keys: channel.keyText, onLine: (l) => channel.line(l) } : undefined,
    });
    // A chain runs step by step: the runner's step gives the results and the exit code; the others' exit
    // codes are kept (steps) and said in the notes.
    const steps: NonNullable<ExecutedRun['steps']> = [];
    const outputs: string[] = [];
    let stopped = false;
    const side = async (list: string[]): Promise<void> => {
      for (const step of list) {
        if (stopped) break;
        const s = await one(step, false);
        steps.push({ step, exitCode: s.exitCode, runner: false });
        outputs.push(`> ${step}\n${s.output}`);
        stopped = s.timedOut || s.aborted;
      }
    };
    await side(inv.chain?.before ?? []);
    const r = stopped ? { exitCode: null, signal: null, timedOut: true, aborted: opts.signal?.aborted ?? false, output: '', totalBytes: 0, truncated: false, durationMs: 0, pid: undefined } : await one(inv.command, true);
    if (inv.chain) { steps.push({ step: inv.command, exitCode: r.exitCode, runner: true }); outputs.push(`> ${inv.command}\n${r.output}`); }
    // bwrap itself refused (its own "bwrap: …" line) although the probe said it works: the next run probes again.
    if (iso?.ownPidNamespace && r.exitCode !== 0 && /^bwrap: /m.test(r.output)) forgetSandboxProbe();
    if (!r.timedOut && !r.aborted) await side(inv.chain?.after ?? []);
    if (inv.chain) {
      const others = steps.filter((s) => !s.runner);
      if (others.length) inv.notes.push(`the test script's other steps ran on their own: ${others.map((s) => `\`${s.step}\` ${s.exitCode === 0 ? 'passed' : `failed (${s.exitCode === null ? 'killed' : `exit ${s.exitCode}`})`}`).join(', ')}`);
    }
    iso?.afterRun({ completed: !r.timedOut && !r.aborted && !stopped });
    // ---- end isolation ----
    const outcome = channel?.finish(r.exitCode, !r.timedOut && !r.aborted);
    // A stdout parser loaded on demand (TAP) has had the whole run to load; one that could not load throws here.
    if (!outcome) await inv.collector?.ready?.();
    const tests = outcome ? outcome.tests : inv.collector?.results() ?? [];
    const reported = outcome ? outcome.sessions > 0 : tests.length > 0 || inv.collector?.reported?.() === true;
    // Where the results came from: a channel runner whose reporter never started, or a stdout runner that
    // printed nothing we read (uvu, a bare script), is known by its exit code only.
    const results: ExecutedRun['results'] = outcome ? (outcome.sessions === 0 ? 'exit-code' : 'channel') : reported ? 'stdout' : 'exit-code';
    const notes = [...inv.notes];
    if (outcome && outcome.sessions === 0 && !r.timedOut && !r.aborted && r.exitCode !== 0 && r.exitCode !== null) {
      notes.push(`${runnerName(cmd)}'s reporter never started (the command failed before the tests ran, or a program between it and the verifier closed the result channel), so only the exit code was compared`);
    }
    const failed = tests.filter((t) => t.status === 'failed').length;
    return {
      runner: runnerName(cmd), tests, message: `${tests.length - failed} passed, ${failed} failed: ${inv.command}`,
      command: inv.chain ? [...inv.chain.before, inv.command, ...inv.chain.after].join(' && ') : inv.command,
      exitCode: r.exitCode, timedOut: r.timedOut || stopped, aborted: r.aborted || (opts.signal?.aborted ?? false),
      output: inv.chain ? outputs.join('\n') : r.output, truncated: r.truncated,
      durationMs: Date.now() - started, reported, notes: [...notes, ...(iso?.notes ?? [])], results, ...(inv.chain ? { steps } : {}), ...(outcome?.problem && !r.timedOut && !r.aborted ? { resultsProblem: outcome.problem } : {}),
      ...(iso ? { isolation: iso.kind } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    untrackRunDir(dir);
  }
}
