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
import type { IsolationKind } from './sandbox';
import { ShadowWorkspace } from './shadow';
import { trackRunDir, untrackRunDir, writeOwnerFile } from './staleRuns';
import type { TestCaseResult } from './types';

export interface TestRun {
  results: TestCaseResult[];
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  aborted: boolean;
  /** Capped combined output. */
  output: string;
  truncated: boolean;
  durationMs: number;
  /** How the run was kept from the user's files (absent when `root` is not a shadow's mirror). */
  isolation?: IsolationKind;
}

export interface RunTestsOptions {
  timeoutMs: number;
  maxOutputBytes?: number;
  signal?: AbortSignal;
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** Network inside the sandbox (default: the shadow's setting, true). */
  network?: boolean;
}

export async function runTests(root: string, cmd: TestCommand, sel: Selection, opts: RunTestsOptions): Promise<TestRun> {
  // Results and our reporter live outside the mirror, so they never look like workspace files.
  const dir = mkdtempSync(join(tmpdir(), 'qwq-results-'));
  const marker = newRunMarker();
  trackRunDir(dir);
  try {
    writeOwnerFile(dir, { marker });
    const reporter = join(dir, 'qwq-node-test-reporter.mjs');
    writeFileSync(reporter, NODE_TEST_REPORTER_SOURCE);
    // ---- isolation (docs/architecture.md §5): a shadow's mirror runs sandboxed, seen at the workspace's path ----
    const shadow = ShadowWorkspace.forRoot(root);
    const iso = shadow?.runIsolation(dir, opts.network);
    const inv = buildInvocation(cmd, sel, iso?.viewRoot ?? root, dir, reporter);
    const writable = inv.env.GOCACHE ? [inv.env.GOCACHE] : [];
    const r = await runProcess({
      command: inv.command, argv: iso?.argv?.(inv.command, writable), cwd: iso?.cwd ?? root, env: { ...inv.env, ...iso?.env },
      timeoutMs: opts.timeoutMs, maxOutputBytes: opts.maxOutputBytes, marker,
      signal: opts.signal, onOutput: opts.onOutput, onStdoutLine: inv.collector ? (l) => inv.collector!.line(l) : undefined,
    });
    shadow?.checkAfterRun();
    // ---- end isolation ----
    let results = inv.collector?.results() ?? [];
    if (inv.resultFile) {
      const text = await readFile(inv.resultFile.path, 'utf8').catch(() => undefined);
      if (text !== undefined) results = inv.resultFile.parse(text);
    }
    if (results.length === 0 && cmd.runner === 'script' && !r.timedOut && !r.aborted && r.exitCode !== 127) {
      // A script without structured output: its exit code is the one result we can trust.
      results = [{ id: `command: ${cmd.base}`, status: r.exitCode === 0 ? 'passed' : 'failed', output: r.exitCode === 0 ? undefined : r.output.slice(-4000) }];
    }
    return { results, command: inv.command, exitCode: r.exitCode, timedOut: r.timedOut, aborted: r.aborted, output: r.output, truncated: r.truncated, durationMs: r.durationMs, isolation: iso?.kind };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    untrackRunDir(dir);
  }
}
