// verifyChanges (docs/architecture.md §5): baseline on the unedited shadow copy, candidate with the changes,
// verdict (verdict.ts).
// The one entry point the agent, the extension and the CLI use.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FileChange } from '../edits';
import { baselineStateKey, lookupBaseline, storeBaseline } from './baselineCache';
import { detectTestCommand, NO_TEST_COMMAND_MESSAGE, type TestCommand } from './detect';
import type { Selection } from './invocation';
import { runTests, runnerName, type ExecutedRun } from './runTests';
import { existingOnly, selectTests, type BuildImportGraph, type ImportGraphLike } from './selection';
import { envIsolationMode, type IsolationMode } from './sandbox';
import { ShadowWorkspace } from './shadow';
import { trimOutput, type TestCaseResult, type VerifyResult, type VerifyResultDetails } from './types';
import { judge } from './verdict';

export interface VerifyOptions {
  workspace: string;
  changes: FileChange[];
  /** Unsaved editor text by workspace-relative path. */
  overlays?: ReadonlyMap<string, string>;
  tests: 'related' | 'all';
  /** After related tests pass, run all tests too (docs/architecture.md §5 "then the rest, when configured"). */
  thenAll?: boolean;
  timeoutMs: number;
  /** Workspace trust. False: nothing is executed and the verdict is `untrusted`. */
  trusted: boolean;
  signal?: AbortSignal;
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** The qwq.tests.command setting / --test-command flag. */
  testCommand?: string;
  /** A warm shadow the caller keeps between runs; otherwise a temporary one is made and removed. */
  shadow?: ShadowWorkspace;
  /** The context engine's buildImportGraph (injected: related selection for node:test, pytest, mocha, go). */
  buildImportGraph?: BuildImportGraph;
  /** Fix tasks: tests that must fail before and pass after the change (the SWE-bench rule). Ids or substrings of ids. */
  targetTests?: string[];
  /** Fix tasks: every test that fails on the unedited code is a target (added to targetTests). */
  fixFailing?: boolean;
  /** Re-run newly failing tests once; those that pass are flaky, not regressed. Default true. */
  rerunFailing?: boolean;
  maxOutputBytes?: number;
  /** Isolation of the test runs (default 'auto': the bubblewrap sandbox where it runs). Only for a shadow made here. */
  isolation?: IsolationMode;
  /** Network inside the sandbox (the qwq.tests.network setting / --no-network); default true. */
  network?: boolean;
}

export type FullVerifyResult = VerifyResult & VerifyResultDetails;

function summary(results: TestCaseResult[]): { passed: number; failed: number } {
  return { passed: results.filter((r) => r.status === 'passed').length, failed: results.filter((r) => r.status === 'failed').length };
}

function selectionList(sel: Selection): string[] | 'all' {
  switch (sel.kind) {
    case 'all': return 'all';
    case 'files': return sel.files;
    case 'related': return sel.changed;
    case 'packages': return sel.packages;
  }
}

// ---- isolation (docs/architecture.md §5): the shadow, its sandbox and the after-run check, around the verdict ----
export async function verifyChanges(opts: VerifyOptions): Promise<FullVerifyResult> {
  if (!opts.trusted) return verifyInShadow(opts);
  const ownShadow = opts.shadow === undefined;
  const shadow = opts.shadow ?? new ShadowWorkspace(opts.workspace, { isolation: opts.isolation, network: opts.network });
  try {
    const r = await verifyInShadow({ ...opts, shadow });
    const out: FullVerifyResult = { ...r, isolation: shadow.isolationKind, ...(shadow.skipped.length ? { skipped: shadow.skipped } : {}) };
    // EROFS, or what a recursive mkdir reports instead (ENOENT) for a path in a read-only heavy folder.
    const readOnlyHit = (t?: string): boolean => /EROFS|read-only file system/i.test(t ?? '') || /\b(ENOENT|EACCES|EPERM)\b[^\n]*\b(node_modules|\.venv|venv)\//.test(t ?? '');
    if (out.isolation === 'sandbox' && (readOnlyHit(out.failureOutput) || [...(out.baselineTests ?? []), ...(out.candidateTests ?? [])].some((t) => t.status === 'failed' && readOnlyHit(t.output)))) {
      // A tool that insists on writing into node_modules (nyc before 15, for one) fails in the sandbox. With the
      // isolation left to us ('auto'), verify again in a copy, where that write lands in the copy; else say why.
      if ((opts.isolation ?? 'auto') === 'auto' && envIsolationMode() === 'auto' && !opts.signal?.aborted) {
        const copy = await verifyChanges({ ...opts, shadow: undefined, isolation: 'fallback' });
        return { ...copy, message: `${copy.message} (run in a copy, not the sandbox: a tool failed writing into node_modules, a virtualenv or your home folder, which the sandbox shows read-only)` };
      }
      out.message += ' (in the test sandbox, node_modules, virtualenvs and your home folder are read-only: a tool that writes there fails; most honour CACHE_DIR or XDG_CACHE_HOME, which point at scratch folders; qwq.tests.sandbox off runs the tests in a copy instead)';
    }
    const written = shadow.takeViolations();
    if (written.length === 0) return out;
    return {
      ...out, verdict: 'error',
      message: `a test run wrote into your workspace's own files through the shadow's hard links (isolation: checked), so nothing can be trusted: ${written.slice(0, 5).join(', ')}${written.length > 5 ? ', …' : ''}`,
    };
  } catch (e) {
    let isolation: FullVerifyResult['isolation'];
    try { isolation = shadow.isolationKind; } catch { isolation = undefined; }
    return { verdict: 'error', baseline: { passed: 0, failed: 0 }, candidate: { passed: 0, failed: 0 }, newlyFailing: [], newlyPassing: [], flaky: [], runner: '', durationMs: 0, message: (e as Error).message, isolation };
  } finally {
    if (ownShadow) shadow.dispose();
  }
}
// ---- end isolation ----

async function verifyInShadow(opts: VerifyOptions): Promise<FullVerifyResult> {
  const started = Date.now();
  const result = (verdict: VerifyResult['verdict'], message: string, extra: Partial<FullVerifyResult> = {}): FullVerifyResult => ({
    verdict, baseline: { passed: 0, failed: 0 }, candidate: { passed: 0, failed: 0 }, newlyFailing: [], newlyPassing: [], flaky: [],
    runner: '', durationMs: Date.now() - started, message, ...extra,
  });
  // Trust comes first: in an untrusted workspace nothing is read for commands, mirrored or executed.
  if (!opts.trusted) return result('untrusted', 'the workspace is not trusted, so its tests were not run (trust the workspace to verify edits)');

  const cmd = detectTestCommand(opts.workspace, opts.testCommand);
  if (!cmd) return result('no-tests', NO_TEST_COMMAND_MESSAGE);
  const runner = runnerName(cmd);

  const ownShadow = opts.shadow === undefined;
  const shadow = opts.shadow ?? new ShadowWorkspace(opts.workspace);
  try {
    try {
      await shadow.sync(opts.overlays);
    } catch (e) {
      return result('error', (e as Error).message, { runner });
    }
    const changed = opts.changes.map((c) => c.path);
    let graph: ImportGraphLike | undefined;
    const getGraph = async (): Promise<ImportGraphLike> => {
      if (!opts.buildImportGraph) throw new Error('related-test selection needs the import graph (buildImportGraph)');
      graph ??= await opts.buildImportGraph(shadow.root);
      return graph;
    };
    let sel: Selection | undefined;
    try {
      sel = await selectTests(cmd, opts.tests, changed, getGraph);
    } catch (e) {
      return result('error', `test selection failed: ${(e as Error).message}`, { runner });
    }
    if (!sel) return result('no-tests', `no test covers the change (no test file imports ${changed.join(', ')}); run with tests: 'all' to run every test`, { runner, selection: [] });

    const runOpts = { timeoutMs: opts.timeoutMs, maxOutputBytes: opts.maxOutputBytes, signal: opts.signal, onOutput: opts.onOutput, network: opts.network };
    const baseSel = existingOnly(sel, (rel) => existsSync(join(shadow.root, rel)));
    const key = baselineKey(shadow, cmd, baseSel);
    let baseline = lookupBaseline(shadow, key);
    const baselineCached = baseline !== undefined;
    const emptyBase = (baseSel.kind === 'files' && baseSel.files.length === 0) || (baseSel.kind === 'related' && baseSel.changed.length === 0);
    // A full-suite baseline of this same content (one the caller seeded, or an earlier 'all' run) already holds
    // the selected files' results: take them instead of running those files again.
    const derived = baseline || emptyBase ? undefined : deriveFromFullBaseline(shadow, cmd, baseSel);
    if (derived) baseline = derived;
    if (!baseline) {
      baseline = emptyBase
        ? { runner, tests: [], message: 'no test file existed before the change', command: '', exitCode: 0, timedOut: false, aborted: false, output: '', truncated: false, durationMs: 0, reported: true, notes: [] }
        : await runTests(shadow.root, cmd, baseSel, runOpts);
      storeBaseline(shadow, key, baseline);
    }
    const details = { runner, selection: selectionList(sel), baselineCached: baselineCached || derived !== undefined, baselineDerived: derived !== undefined, baselineTests: baseline.tests, notes: baseline.notes.length ? baseline.notes : undefined };
    const withNotes = (message: string, notes: string[]): string => (notes.length ? `${message} (note: ${notes.join('; ')})` : message);
    if (baseline.aborted) return result('error', 'cancelled', details);
    if (baseline.timedOut) return result('error', `the baseline test run timed out after ${Math.round(opts.timeoutMs / 1000)} s (it was stopped with every process it started)`, { ...details, failureOutput: trimOutput(baseline.output) });
    const targets = [...(opts.targetTests ?? []), ...(opts.fixFailing ? baseline.tests.filter((t) => t.status === 'failed').map((t) => t.id) : [])];

    const { candidate, rerun } = await shadow.withChanges(opts.changes, async () => {
      const c = await runTests(shadow.root, cmd, sel!, runOpts);
      const brokenNow = judge({ baseline: baseline!, candidate: c }).newlyFailing.filter((id) => c.tests.some((t) => t.id === id));
      const again = brokenNow.length > 0 && (opts.rerunFailing ?? true) && !c.timedOut && !c.aborted
        ? await runTests(shadow.root, cmd, sel!, runOpts) : undefined;
      return { candidate: c, rerun: again };
    });
    const notes = [...new Set([...baseline.notes, ...candidate.notes])];
    const base = { ...details, notes: notes.length ? notes : undefined, command: candidate.command, baseline: summary(baseline.tests), candidate: summary(candidate.tests), candidateTests: candidate.tests };
    if (candidate.aborted) return result('error', 'cancelled', base);
    if (candidate.timedOut) return result('error', `the test run timed out after ${Math.round(opts.timeoutMs / 1000)} s with the change (it was stopped with every process it started)`, { ...base, failureOutput: trimOutput(candidate.output) });

    const j = judge({ baseline, candidate, rerun, targets });
    const out = { ...base, newlyFailing: j.newlyFailing, newlyPassing: j.newlyPassing, flaky: j.flaky, targetsStillFailing: targets.length ? j.targetsStillFailing : undefined, failureOutput: j.failureOutput };
    if (j.verdict === 'verified' && opts.tests === 'related' && opts.thenAll && sel.kind !== 'all') {
      const all = await verifyChanges({ ...opts, tests: 'all', thenAll: false, shadow });
      return { ...all, durationMs: Date.now() - started };
    }
    return result(j.verdict, withNotes(j.message, notes), out);
  } finally {
    if (ownShadow) shadow.dispose();
  }
}

/** The baseline's state key (baselineCache.ts): content, command, selection, isolation, environment. */
const baselineKey = baselineStateKey;

/**
 * Records a full-suite run (selection 'all') that the caller made on `shadow` right after `shadow.sync()`, so
 * verifyChanges reuses it as the baseline instead of running the same tests again. Keyed by the mirror's
 * content hash like every cached baseline: once the workspace changes, the seed no longer matches.
 * Interrupted runs are not stored (they say nothing about the code).
 */
export function seedBaseline(shadow: ShadowWorkspace, cmd: TestCommand, run: ExecutedRun): void {
  storeBaseline(shadow, baselineKey(shadow, cmd, { kind: 'all' }), run);
}

/** A full-suite baseline already run on this content (this task, an earlier one, or an earlier process): see baselineCache.ts. */
export function cachedFullBaseline(shadow: ShadowWorkspace, cmd: TestCommand): ExecutedRun | undefined {
  return lookupBaseline(shadow, baselineKey(shadow, cmd, { kind: 'all' }));
}

/**
 * The selected files' slice of a cached full-suite baseline, when every result names its file
 * (`<file>::<name>`, as node:test, jest and vitest ids do) and the selection is by file. Runners whose ids do
 * not name an existing file (junit class names, go packages) always run their own baseline.
 */
function deriveFromFullBaseline(shadow: ShadowWorkspace, cmd: TestCommand, sel: Selection): ExecutedRun | undefined {
  if (sel.kind !== 'files') return undefined;
  const full = lookupBaseline(shadow, baselineKey(shadow, cmd, { kind: 'all' }));
  if (!full || full.tests.length === 0) return undefined;
  const fileOf = (id: string): string | undefined => {
    const at = id.indexOf('::');
    return at > 0 ? id.slice(0, at) : undefined;
  };
  const files = new Set(full.tests.map((r) => fileOf(r.id)));
  if ([...files].some((f) => f === undefined || !existsSync(join(shadow.root, f)))) return undefined;
  // A selected file without results in the full run (it crashed silently, or the runner skipped it): run it.
  if (sel.files.some((f) => !files.has(f))) return undefined;
  const wanted = new Set(sel.files);
  const tests = full.tests.filter((r) => wanted.has(fileOf(r.id)!));
  const failed = tests.some((r) => r.status === 'failed');
  return { ...full, tests, exitCode: failed ? 1 : 0, durationMs: 0, output: failed ? full.output : '' };
}
