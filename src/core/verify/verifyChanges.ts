// verifyChanges (docs/architecture.md §5): baseline on the unedited shadow copy, candidate with the changes,
// verdict (verdict.ts).
// The one entry point the agent, the extension and the CLI use.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileChange } from '../edits';
import { baselineStateKey, lookupBaseline, storeBaseline } from './baselineCache';
import { planBuild, recordBuild } from './buildOnce';
import { detectTestCommand, type TestCommand } from './detect';
import type { Selection } from './invocation';
import { runTests, runnerName, type ExecutedRun } from './runTests';
import { existingOnly, selectTestsExplained, type BuildImportGraph, type ImportGraphLike } from './selection';
import type { IsolationMode } from './sandbox';
import { looksLikeNetworkFailure, refusedWriteSaid, refusedWrites } from './isolationVerdict';
import { msg, renderMessage, SaidError, type Message } from '../messages';
import { ShadowWorkspace } from './shadow';
import { trimOutput, type TestCaseResult, type VerifyResult, type VerifyResultDetails } from './types';
import { auditPatch, decide, holdJudgeFiles, isVerified, judge, judgeFileKind, readJudgeConfig, type AcceptanceTask, type JudgeConfig } from './policy';

export interface VerifyOptions {
  workspace: string;
  changes: FileChange[];
  /** Unsaved editor text by workspace-relative path. */
  overlays?: ReadonlyMap<string, string>;
  tests: 'related' | 'all';
  /** After related tests pass, run all tests too (docs/architecture.md §5 "then the rest, when configured"). */
  thenAll?: boolean;
  /** The first test process started (callers start their own work beside it; not called when none starts). */
  onRunStarted?: () => void;
  /** With thenAll: the related tests passed and the full suite starts now (the result says on how many tests). */
  onRelatedVerified?: (r: FullVerifyResult) => void;
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
  /**
   * The task the edit was written for: the acceptance policy (policy/decide.ts) holds the edit to it. Default: an
   * edit with the targets below.
   */
  task?: AcceptanceTask;
  /** Fix tasks: tests that must fail before and pass after the change (the SWE-bench rule). Whole ids or names. */
  targetTests?: string[];
  /** Fix tasks: every test that fails on the unedited code is a target (added to targetTests). */
  fixFailing?: boolean;
  /** Re-run newly failing tests once; those that pass are flaky, not regressed. Default true. */
  rerunFailing?: boolean;
  maxOutputBytes?: number;
  /** Isolation of the test runs (default 'auto': the bubblewrap sandbox where it runs). Only for a shadow made here. */
  isolation?: IsolationMode;
  /** The host's network inside the sandbox (qwq.tests.network / --network); default off: the run's own loopback only. */
  network?: boolean;
  /** Credential-looking environment variables the tests may see anyway (qwq.tests.env / --env). */
  envAllow?: readonly string[];
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
// The isolation is decided before the run (resolveIsolation: the machine and the user's setting); nothing a
// test prints or does changes it. A write the sandbox refused makes the verdict `inconclusive`, naming the path.
export async function verifyChanges(opts: VerifyOptions): Promise<FullVerifyResult> {
  if (!opts.trusted) return verifyInShadow(opts);
  const ownShadow = opts.shadow === undefined;
  const shadow = opts.shadow ?? new ShadowWorkspace(opts.workspace, { isolation: opts.isolation, network: opts.network, envAllow: opts.envAllow });
  try {
    void shadow.isolationMode; // throws SandboxUnavailableError, saying why and what to do, before anything runs
    const r = await verifyInShadow({ ...opts, shadow });
    const out: FullVerifyResult = { ...r, isolation: shadow.isolationKind, ...(shadow.skipped.length ? { skipped: shadow.skipped } : {}) };
    const failedText = [out.failureOutput ?? '', ...[...(out.baselineTests ?? []), ...(out.candidateTests ?? [])].filter((t) => t.status === 'failed').map((t) => t.output ?? '')].join('\n');
    const refused = out.isolation === 'sandbox' ? refusedWrites(failedText) : [];
    if (refused.length && out.verdict !== 'error' && out.verdict !== 'untrusted') {
      out.verdict = 'inconclusive';
      saying(out, refusedWriteSaid(refused));
    } else if (!shadow.networkOn && looksLikeNetworkFailure(failedText)) {
      saying(out, msg('withHint', saidOf(out), msg('networkOffHint')));
    }
    const written = shadow.takeViolations();
    if (written.length) {
      out.verdict = 'error';
      saying(out, msg('wroteIntoWorkspace', `${written.slice(0, 5).join(', ')}${written.length > 5 ? ', …' : ''}`));
    }
    return withIsolationLine(out, shadow);
  } catch (e) {
    let isolation: FullVerifyResult['isolation'];
    try { isolation = shadow.isolationKind; } catch { isolation = undefined; }
    return { verdict: 'error', baseline: { passed: 0, failed: 0 }, candidate: { passed: 0, failed: 0 }, newlyFailing: [], newlyPassing: [], flaky: [], runner: '', durationMs: 0, message: (e as Error).message, said: errorSaid(e), isolation };
  } finally {
    if (ownShadow) shadow.dispose();
  }
}

/** Every verdict line says when the run was not sandboxed, or had the network on. */
function withIsolationLine(r: FullVerifyResult, shadow: ShadowWorkspace): FullVerifyResult {
  if (r.isolation === 'copy' && !/not sandboxed/.test(r.message)) return saying({ ...r }, msg('notSandboxedTag', saidOf(r)));
  if (r.isolation === 'sandbox' && shadow.networkOn && !/network on\]/.test(r.message)) return saying({ ...r }, msg('networkOnTag', saidOf(r)));
  return r;
}

/** The result's message as the table says it: its own `said`, or its words passed through as they are. */
const saidOf = (r: Pick<FullVerifyResult, 'message' | 'said'>): Message => r.said ?? msg('plain', r.message);

/** An error's message as the table says it (a SaidError), or its words as they are. */
const errorSaid = (e: unknown): Message => (e instanceof SaidError ? e.said : msg('plain', (e as Error).message));

/** Sets the result's message and its English words together, so they never disagree. */
function saying<T extends Pick<FullVerifyResult, 'message' | 'said'>>(r: T, said: Message): T {
  r.message = renderMessage(said);
  r.said = said;
  return r;
}
// ---- end isolation ----

async function verifyInShadow(opts: VerifyOptions): Promise<FullVerifyResult> {
  const started = Date.now();
  const result = (verdict: VerifyResult['verdict'], said: Message, extra: Partial<FullVerifyResult> = {}): FullVerifyResult => ({
    verdict, baseline: { passed: 0, failed: 0 }, candidate: { passed: 0, failed: 0 }, newlyFailing: [], newlyPassing: [], flaky: [],
    runner: '', durationMs: Date.now() - started, ...extra, message: renderMessage(said), said,
  });
  // Trust comes first: in an untrusted workspace nothing is read for commands, mirrored or executed.
  if (!opts.trusted) return result('untrusted', msg('untrustedNotRun'));

  const cmd = detectTestCommand(opts.workspace, opts.testCommand);
  if (!cmd) return result('no-tests', msg('noTestCommand'));
  const runner = runnerName(cmd);

  const ownShadow = opts.shadow === undefined;
  const shadow = opts.shadow ?? new ShadowWorkspace(opts.workspace);
  try {
    try {
      await shadow.sync(opts.overlays);
    } catch (e) {
      return result('error', errorSaid(e), { runner });
    }
    const changed = opts.changes.map((c) => c.path);
    let graph: ImportGraphLike | undefined;
    const getGraph = async (): Promise<ImportGraphLike> => {
      if (!opts.buildImportGraph) throw new Error('related-test selection needs the import graph (buildImportGraph)');
      graph ??= await opts.buildImportGraph(shadow.root);
      return graph;
    };
    // The files that judge the edit (policy/judgeFiles.ts), read before the edit. A change to test config, the
    // manifest's test fields or the lockfile can reach every test: then every test runs.
    const task = taskOf(opts);
    const judgeConfig = readJudgeConfig((rel) => readText(join(shadow.root, rel)));
    const { held, judgeChanges } = holdJudgeFiles(task.kind, opts.changes, judgeConfig);
    const reachesAll = judgeChanges.some((c) => c.kind !== 'test');
    let sel: Selection | undefined;
    let selectionNote: string | undefined;
    try {
      let reach: { files: number; of: number } | undefined;
      ({ sel, note: selectionNote, reach } = await selectTestsExplained(cmd, reachesAll ? 'all' : opts.tests, changed, getGraph, shadow.root));
      // Related first pays only when it is a small part: with two thirds of the test files or more, the full suite
      // that follows runs them again (the final answer comes at 5/3 of the time or later) for an early answer
      // hardly earlier than the final one would be.
      if (opts.thenAll && sel?.kind === 'files' && reach && reach.files > 0 && reach.files * 3 >= reach.of * 2) {
        sel = { kind: 'all' };
        selectionNote = `the change reaches ${reach.files} of the ${reach.of} test files, so every test ran at once`;
      }
      if (reachesAll && opts.tests === 'related') selectionNote = `every test ran: the edit changes ${judgeChanges.filter((c) => c.kind !== 'test').map((c) => c.what).join(', ')}`;
    } catch (e) {
      return result('error', msg('selectionFailed', (e as Error).message), { runner });
    }
    // Related first, then all: a change no test imports (a README) is judged by the whole suite, not 'no-tests'.
    if (!sel && opts.thenAll && opts.tests === 'related') return verifyChanges({ ...opts, tests: 'all', thenAll: false, shadow });
    if (!sel) return result('no-tests', msg('noTestCovers', changed.join(', ')), { runner, selection: [] });

    const runOpts = { timeoutMs: opts.timeoutMs, maxOutputBytes: opts.maxOutputBytes, signal: opts.signal, onOutput: opts.onOutput, network: opts.network };
    const baseSel = existingOnly(sel, (rel) => existsSync(join(shadow.root, rel)));
    const key = baselineKey(shadow, cmd, baseSel);
    const contentHash = shadow.contentHash();
    // Build steps once (buildOnce.ts): a run whose build reads what an earlier run's read reuses its output.
    const builtRun = async (s: Selection, changes: FileChange[], onStarted?: () => void): Promise<ExecutedRun> => {
      const plan = await planBuild(shadow, cmd, contentHash, changes);
      const run = await runTests(shadow.root, cmd, s, { ...runOpts, ...(plan.skipSteps ? { skipSteps: plan.skipSteps } : {}), onStarted });
      await recordBuild(shadow, cmd, plan, run);
      return run;
    };
    // The audit reads only the patch: it parses here once the first run's process has started (the baseline's, or
    // with a cached baseline the candidate's), beside it.
    let startAudit!: () => void;
    const firstSpawn = new Promise<void>((go) => { startAudit = go; });
    if (opts.onRunStarted) void firstSpawn.then(opts.onRunStarted); // once, however often startAudit is called
    const auditing = firstSpawn.then(() => auditPatch(opts.changes, (p) => isJudgePath(p, judgeConfig)));
    auditing.catch(() => undefined); // awaited below; a failure must not surface as unhandled while the baseline runs
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
        : await builtRun(baseSel, [], startAudit);
      storeBaseline(shadow, key, baseline);
    }
    const details = { runner, selection: selectionList(sel), baselineCached: baselineCached || derived !== undefined, baselineDerived: derived !== undefined, baselineTests: baseline.tests, notes: baseline.notes.length ? baseline.notes : undefined };
    // The notes are the runner's own words (runTests.ts), passed through as they are.
    const withNotes = (said: Message, notes: string[]): Message => (notes.length ? msg('withRunNotes', said, notes.join('; ')) : said);
    const secs = Math.round(opts.timeoutMs / 1000);
    if (baseline.aborted) return result('error', msg('cancelled'), details);
    if (baseline.timedOut) return result('error', msg('baselineTimedOut', secs), { ...details, failureOutput: trimOutput(baseline.output) });

    // ---- judge files and audit (docs/architecture.md §5): the candidate runs with the user's tests as they were ----
    const { candidate, rerun, editedTests } = await shadow.withChanges(held, async () => {
      // A test file only the edit adds is not in the held run: select only what exists there.
      const heldSel = existingOnly(sel!, (rel) => existsSync(join(shadow.root, rel)));
      const nothingHeld = (heldSel.kind === 'files' && heldSel.files.length === 0) || (heldSel.kind === 'related' && heldSel.changed.length === 0);
      if (nothingHeld) return { candidate: { ...baseline!, tests: [], message: 'no selected test file exists without the edit\'s own test files', command: '', exitCode: 0, output: '', durationMs: 0, reported: true, notes: [] } as ExecutedRun, rerun: undefined, editedTests: undefined as ExecutedRun | undefined };
      const c = await builtRun(heldSel, held, startAudit); // a cached baseline: the audit runs beside this run
      const brokenNow = judge({ baseline: baseline!, candidate: c }).newlyFailing.filter((id) => c.tests.some((t) => t.id === id));
      const again = brokenNow.length > 0 && (opts.rerunFailing ?? true) && !c.timedOut && !c.aborted
        ? await builtRun(heldSel, held) : undefined;
      return { candidate: c, rerun: again, editedTests: undefined as ExecutedRun | undefined };
    });
    startAudit(); // no run started a process (nothing selected, or a run stopped before it began)
    const audit = await auditing;
    // The edit's own tests run only where they could matter: the held run is green and the audit clean.
    const heldGreen = isVerified({ verdict: decide(task, baseline, { candidate, rerun }, { changes: opts.changes, judgeChanges: [], audit }).runVerdict });
    const edited = judgeChanges.length > 0 && heldGreen && audit.findings.length === 0 && !candidate.timedOut && !candidate.aborted
      ? await shadow.withChanges(opts.changes, () => builtRun(sel!, opts.changes)) : editedTests;
    // ---- end judge files and audit ----
    const editedNotes = (edited?.notes ?? []).filter((n) => !candidate.notes.includes(n)).map((n) => `with the edit's own test changes: ${n}`);
    const notes = [...new Set([...baseline.notes, ...candidate.notes, ...editedNotes, ...(selectionNote ? [selectionNote] : [])])];
    const base = { ...details, notes: notes.length ? notes : undefined, command: candidate.command, baseline: summary(baseline.tests), candidate: summary(candidate.tests), candidateTests: candidate.tests };
    if (candidate.aborted) return result('error', msg('cancelled'), base);
    if (candidate.timedOut) return result('error', msg('candidateTimedOut', secs), { ...base, failureOutput: trimOutput(candidate.output) });

    if (edited?.aborted) return result('error', msg('cancelled'), base);
    if (edited?.timedOut) return result('error', msg('editedTestsTimedOut', secs), { ...base, failureOutput: trimOutput(edited.output) });

    const evidence = { task, baseline, run: { candidate, rerun, editedTests: edited }, patch: { changes: opts.changes, judgeChanges, audit } };
    const j = decide(task, baseline, evidence.run, evidence.patch);
    const out = {
      ...base, newlyFailing: j.newlyFailing, newlyPassing: j.newlyPassing, flaky: j.flaky, targetsStillFailing: j.targets.length ? j.targetsStillFailing : undefined, failureOutput: j.failureOutput,
      ...(j.marks.length ? { marks: j.marks } : {}), ...(j.reason ? { reason: j.reason } : {}), evidence,
    };
    if (isVerified({ verdict: j.runVerdict }) && opts.tests === 'related' && opts.thenAll && sel.kind !== 'all') {
      const n = candidate.tests.length;
      const first = n === 1 ? msg('relatedTestOne') : msg('relatedTests', n);
      opts.onRelatedVerified?.(result(j.verdict, withNotes(msg('relatedVerified', first), notes), out));
      const all = await verifyChanges({ ...opts, tests: 'all', thenAll: false, shadow });
      const total = all.candidate.passed + all.candidate.failed;
      const said = isVerified(all) ? msg('verifiedOnAll', total, first, saidOf(all)) : msg('fullSuiteDecided', saidOf(all), first);
      return saying({ ...all, durationMs: Date.now() - started }, said);
    }
    return result(j.verdict, withNotes(j.said ?? msg('plain', j.message), notes), out);
  } finally {
    if (ownShadow) shadow.dispose();
  }
}

/** The baseline's state key (baselineCache.ts): content, command, selection, isolation, environment. */
const baselineKey = baselineStateKey;

/** The task the policy holds the edit to: the caller's, with the --target / --fix-failing options folded in. */
function taskOf(opts: VerifyOptions): AcceptanceTask {
  const task: AcceptanceTask = opts.task ?? { kind: opts.fixFailing ? 'fix-failing-tests' : 'edit-selection' };
  const targets = [...(task.targets ?? []), ...(opts.targetTests ?? [])];
  return { ...task, kind: opts.fixFailing ? 'fix-failing-tests' : task.kind, targets: [...new Set(targets)] };
}

function readText(path: string): string | undefined {
  try { return readFileSync(path, 'utf8'); } catch { return undefined; }
}

/** Test and config files, for the audit's "library code" rules (its text does not matter here). */
function isJudgePath(path: string, config: JudgeConfig): boolean {
  const kind = judgeFileKind(path, undefined, '', config)?.kind;
  return kind === 'test' || kind === 'config';
}


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
