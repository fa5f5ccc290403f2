// One test run in a directory: build the invocation, run it with the process runner, collect per-test
// results from the stream or the results file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestCommand } from './detect';
import { buildInvocation, type Selection } from './invocation';
import { newRunMarker, runProcess } from './processRunner';
import { NODE_TEST_REPORTER_SOURCE } from './results/nodeTestEvents';
import { ShadowWorkspace } from './shadow';
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
}

export const runnerName = (c: TestCommand): string => (c.runner === 'script' ? `script (${c.source})` : c.runner);

export async function runTests(root: string, cmd: TestCommand, sel: Selection, opts: RunTestsOptions): Promise<ExecutedRun> {
  // Results, our reporter and our hook live outside the mirror, so they never look like workspace files.
  const dir = mkdtempSync(join(tmpdir(), 'qwq-results-'));
  const marker = newRunMarker();
  trackRunDir(dir);
  try {
    writeOwnerFile(dir, { marker });
    const files = { reporter: join(dir, 'qwq-node-test-reporter.mjs'), hook: join(dir, 'qwq-runner-hook.cjs') };
    writeFileSync(files.reporter, NODE_TEST_REPORTER_SOURCE);
    writeFileSync(files.hook, RUNNER_HOOK_SOURCE);
    // ---- isolation (docs/architecture.md §5): a shadow's mirror runs sandboxed, seen at the workspace's path ----
    const shadow = ShadowWorkspace.forRoot(root);
    const iso = shadow?.runIsolation(dir, opts.network);
    const inv = buildInvocation(cmd, sel, iso?.viewRoot ?? root, dir, files, opts.skipSteps ? { skipSteps: opts.skipSteps } : {});
    const r = await runProcess({
      command: inv.command, argv: iso?.argv?.(inv.command, []), cwd: iso?.cwd ?? root, env: { ...inv.env, ...iso?.env }, inheritEnv: iso?.inheritEnv,
      timeoutMs: opts.timeoutMs, maxOutputBytes: opts.maxOutputBytes, marker,
      signal: opts.signal, onOutput: opts.onOutput, onStdoutLine: inv.collector ? (l) => inv.collector!.line(l) : undefined,
    });
    iso?.afterRun({ completed: !r.timedOut && !r.aborted });
    // ---- end isolation ----
    let tests = inv.collector?.results() ?? [];
    let reported = tests.length > 0 || inv.collector?.reported?.() === true;
    if (inv.resultFile) {
      const text = await readFile(inv.resultFile.path, 'utf8').catch(() => undefined);
      if (text !== undefined) { tests = inv.resultFile.parse(text); reported = true; }
    }
    const failed = tests.filter((t) => t.status === 'failed').length;
    return {
      runner: runnerName(cmd), tests, message: `${tests.length - failed} passed, ${failed} failed: ${inv.command}`,
      command: inv.command, exitCode: r.exitCode, timedOut: r.timedOut, aborted: r.aborted, output: r.output, truncated: r.truncated,
      durationMs: r.durationMs, reported, notes: [...inv.notes, ...(iso?.notes ?? [])], ...(iso ? { isolation: iso.kind } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    untrackRunDir(dir);
  }
}
