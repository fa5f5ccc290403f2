// One patch, one verdict, for callers outside the loop (docs/architecture.md, "Other agents"): the CLI's
// `verify`, the MCP server's and the editor's qwq_verifyEdit tool all call verifyPatch, so a patch gets the same
// verdict whichever door it came through. The verdict itself comes from verifyChanges (and, through it, the one
// acceptance policy); this module only parses, applies in memory, and shapes the answer. Nothing here writes a
// file of the workspace: applyEdits computes the changes and verifyChanges runs them in a shadow copy.
import { applyEdits, EditParseError, parseEdits, syntaxFailures } from '../edits';
import type { ApplyFailure, FileChange, SyntaxErrorCounter } from '../edits/types';
import { isVerified, verifyChanges, type BuildImportGraph, type FullVerifyResult, type IsolationMode } from '../verify';
import type { AcceptanceTask, Mark } from '../verify';
import { locateTest, testFilesOf, type TestLocation } from '../verify';
import type { TaskKind } from './task';
import { DiskWorkspaceFiles } from './workspaceFiles';

export interface VerifyPatchRequest {
  /** Absolute path of the workspace; it is read, never written. */
  workspace: string;
  /** A unified diff or SEARCH/REPLACE blocks with workspace-relative path lines. */
  patch: string;
  /** Tests that must fail before and pass after (ids or parts of ids): makes the patch a fix. */
  targetTests?: string[];
  /** The patch's task. `fix-failing-tests` without targets makes every test failing before a target. */
  taskKind?: TaskKind;
  /** Every test failing before the patch is a target (the CLI's --fix-failing). */
  fixFailing?: boolean;
  tests?: 'related' | 'all';
  /** After the related tests pass, run all tests too (the CLI's default for --tests related). */
  thenAll?: boolean;
  timeoutMs?: number;
  testCommand?: string;
  isolation?: IsolationMode;
  network?: boolean;
  /** Credential-looking environment variables the tests may see anyway (--env). */
  envAllow?: readonly string[];
  /** Workspace trust (or the MCP server's --no-verify): false runs nothing and the verdict is `untrusted`. */
  trusted: boolean;
  signal?: AbortSignal;
  countSyntaxErrors?: SyntaxErrorCounter;
  buildImportGraph?: BuildImportGraph;
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

/** Why a patch never reached the tests: it did not parse, or a block did not apply (each failure named). */
export class PatchRejectedError extends Error {
  constructor(readonly stage: 'parse' | 'apply', message: string, readonly failures: ApplyFailure[] = []) { super(message); }
}

export interface VerifiedPatch {
  result: FullVerifyResult;
  /** The files the patch changes, as verified (never written by this module). */
  changes: FileChange[];
}

function acceptanceTask(req: VerifyPatchRequest): AcceptanceTask {
  return { kind: req.taskKind ?? (req.fixFailing ? 'fix-failing-tests' : 'edit-selection'), targets: req.targetTests ?? [] };
}

/**
 * Parses and applies the patch in memory, then verifies it. Throws PatchRejectedError when the patch does not parse
 * or apply (before any test runs), or adds syntax errors (that check runs beside the baseline, which it then stops).
 */
export async function verifyPatch(req: VerifyPatchRequest): Promise<VerifiedPatch> {
  let blocks;
  try {
    blocks = parseEdits(req.patch).blocks;
  } catch (e) {
    if (e instanceof EditParseError) throw new PatchRejectedError('parse', `the patch is malformed: ${e.message}`);
    throw e;
  }
  if (blocks.length === 0) throw new PatchRejectedError('parse', 'the patch is empty: no unified diff hunks or SEARCH/REPLACE blocks found');
  const applied = await applyEdits({ workspace: req.workspace, blocks });
  if (!applied.ok) throw rejected(applied.failures);
  const tests = req.tests ?? 'all';
  // The syntax check (tree-sitter: its grammar loads on first use) runs beside the baseline, once its process
  // started (the baseline needs only the workspace): a patch it rejects stops the runs, and its verdict is the rejection, as before.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  req.signal?.addEventListener('abort', onAbort, { once: true });
  if (req.signal?.aborted) stop.abort();
  let runStarted!: () => void;
  const started = new Promise<void>((go) => { runStarted = go; });
  const verifying = verifyChanges({
    onRunStarted: runStarted,
    workspace: req.workspace, changes: applied.changes, tests, thenAll: req.thenAll, timeoutMs: req.timeoutMs ?? 120_000, trusted: req.trusted, signal: stop.signal,
    testCommand: req.testCommand, buildImportGraph: tests === 'related' ? req.buildImportGraph : undefined,
    isolation: req.isolation ?? 'auto', network: req.network, envAllow: req.envAllow, onOutput: req.onOutput,
    // The acceptance policy (src/core/verify/policy) holds the patch to its task, as it does the loop's candidates.
    task: acceptanceTask(req),
    fixFailing: req.fixFailing === true || (req.taskKind === 'fix-failing-tests' && !(req.targetTests?.length)),
  });
  try {
    // One thread: parsing before the baseline's process exists would only delay it.
    if (req.countSyntaxErrors) await Promise.race([started, verifying.then(() => undefined, () => undefined)]);
    const syntax = req.countSyntaxErrors ? await syntaxFailures(req.workspace, blocks, applied.changes, req.countSyntaxErrors) : [];
    if (syntax.length) {
      stop.abort();
      await verifying.catch(() => undefined);
      throw rejected(syntax);
    }
    return { result: await verifying, changes: applied.changes };
  } finally {
    req.signal?.removeEventListener('abort', onAbort);
  }
}

const rejected = (failures: ApplyFailure[]): PatchRejectedError =>
  new PatchRejectedError('apply', `the patch does not apply: ${failures.map((f) => f.message.split('\n')[0]).join('; ')}`, failures);

// ---- the answer other agents read (the tool's structured content) ----

export interface LocatedTest { id: string; path?: string; line?: number }

/** What qwq_verifyEdit returns, in the MCP server and in the editor alike. */
export interface PatchReport {
  verdict: FullVerifyResult['verdict'];
  /** The acceptance policy's yes (isVerified): the tests ran green, nothing that passed before broke, no mark. */
  accepted: boolean;
  /** Why, in plain words (the policy's sentence when a rule beyond the run comparison decided). */
  reason: string;
  newlyFailing: LocatedTest[];
  newlyPassing: LocatedTest[];
  targetsStillFailing: string[];
  flaky: string[];
  baseline: { passed: number; failed: number };
  candidate: { passed: number; failed: number };
  runner: string;
  /** The shell command that ran the tests ('' when nothing ran). */
  command: string;
  /** How the runs were kept from the user's files (sandbox, copy, checked); absent when nothing ran. */
  isolation?: string;
  /** The patch changes the judge (tests, test config, manifest scripts, lockfile): `path:line why`; never green. */
  judgeFiles: string[];
  /** Test-gaming found in the patch (exits, patched assertions, skip markers…): `path:line why`. */
  audit: string[];
  /** The policy's marks as they are (path, line, kind, why). */
  marks: Mark[];
  /** What ran differently from the user's own command. */
  notes: string[];
  files: string[];
  durationMs: number;
  failureOutput?: string;
}

/** Where each test is defined (best effort: a test whose name is not a literal in a test file has no location). */
export async function locateTests(workspace: string, ids: readonly string[], signal?: AbortSignal): Promise<LocatedTest[]> {
  if (ids.length === 0) return [];
  const files = new DiskWorkspaceFiles(workspace);
  let texts: { path: string; text: string }[] = [];
  try {
    const paths = testFilesOf(await files.list(signal));
    texts = (await Promise.all(paths.map(async (path) => ({ path, text: (await files.read(path)) ?? '' }))));
  } catch { /* no locations: the ids still say which tests */ }
  return ids.map((id) => {
    const at: TestLocation | undefined = locateTest(id, texts);
    return at ? { id, path: at.path, line: at.line } : { id };
  });
}

const markText = (m: Mark): string => `${m.path}:${m.line} ${m.why}`;

export async function patchReport(workspace: string, verified: VerifiedPatch, signal?: AbortSignal): Promise<PatchReport> {
  const r = verified.result;
  const [newlyFailing, newlyPassing] = await Promise.all([locateTests(workspace, r.newlyFailing, signal), locateTests(workspace, r.newlyPassing, signal)]);
  return {
    verdict: r.verdict, accepted: isVerified(r), reason: r.reason ?? r.message,
    newlyFailing, newlyPassing, targetsStillFailing: r.targetsStillFailing ?? [], flaky: r.flaky,
    baseline: r.baseline, candidate: r.candidate, runner: r.runner, command: r.command ?? '',
    ...(r.isolation ? { isolation: r.isolation } : {}),
    judgeFiles: (r.marks ?? []).filter((m) => m.kind === 'changes-tests').map(markText), audit: (r.marks ?? []).filter((m) => m.kind === 'audit').map(markText),
    marks: r.marks ?? [], notes: r.notes ?? [],
    files: verified.changes.map((c) => c.path), durationMs: r.durationMs,
    ...(r.failureOutput && !isVerified(r) ? { failureOutput: r.failureOutput } : {}),
  };
}

/** The report in words, for an agent that reads text (and for a person reading the transcript). */
export function patchReportText(p: PatchReport): string {
  const lines = [`${p.verdict}: ${p.reason}`];
  const where = (t: LocatedTest): string => (t.path ? `${t.id} (${t.path}:${t.line})` : t.id);
  if (p.command) lines.push(`ran: ${p.command}${p.isolation ? ` [isolation: ${p.isolation}]` : ''}`);
  lines.push(`baseline: ${p.baseline.passed} passed, ${p.baseline.failed} failed; with the patch: ${p.candidate.passed} passed, ${p.candidate.failed} failed`);
  if (p.newlyFailing.length) lines.push('newly failing:', ...p.newlyFailing.map((t) => `  ${where(t)}`));
  if (p.newlyPassing.length) lines.push('newly passing:', ...p.newlyPassing.map((t) => `  ${where(t)}`));
  if (p.targetsStillFailing.length) lines.push('targets still failing:', ...p.targetsStillFailing.map((t) => `  ${t}`));
  if (p.judgeFiles.length) lines.push('changes the tests that judge it:', ...p.judgeFiles.map((t) => `  ${t}`));
  if (p.audit.length) lines.push('audit:', ...p.audit.map((t) => `  ${t}`));
  if (p.notes.length) lines.push('notes:', ...p.notes.map((t) => `  ${t}`));
  lines.push(p.accepted ? 'The patch passed the workspace\'s own tests; no file of the workspace was written.' : 'Not verified: do not treat this patch as passing. No file of the workspace was written.');
  if (p.failureOutput) lines.push('', p.failureOutput);
  return lines.join('\n');
}
