// `qwq-coder verify --workspace W --patch P [--tests related|all] [--timeout S] [--json]` (docs/architecture.md §6):
// applies P (unified diff or SEARCH/REPLACE blocks) in a shadow copy of W, runs W's tests before and after,
// and prints the verdict. W itself is never written. Exit 0 only when the verdict is `verified`.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HandledError, optionalInt, requireString, testsOption, type CliCommand } from '../command';
import { isVerified, type BuildImportGraph, type FullVerifyResult } from '../../core/verify';
import { PatchRejectedError, verifyPatch } from '../../core/agent/verifyPatch';
import { lazySyntaxErrorCounter } from './syntaxCounter';
import { isolationArgs } from './isolationFlags';
import { useBaselineWasmCompiler } from './wasmTier';

export async function loadImportGraph(): Promise<BuildImportGraph | undefined> {
  try {
    const { buildImportGraph } = await import('../../core/context/importGraph');
    return (root) => buildImportGraph(root);
  } catch {
    return undefined;
  }
}

function contractJson(r: FullVerifyResult): Record<string, unknown> {
  return {
    verdict: r.verdict, baseline: r.baseline, candidate: r.candidate, newlyFailing: r.newlyFailing, newlyPassing: r.newlyPassing,
    runner: r.runner, durationMs: r.durationMs, flaky: r.flaky, message: r.message, command: r.command, selection: r.selection,
    ...(r.isolation ? { isolation: r.isolation } : {}), ...(r.skipped?.length ? { skipped: r.skipped } : {}),
    ...(r.targetsStillFailing ? { targetsStillFailing: r.targetsStillFailing } : {}),
    ...(r.notes ? { notes: r.notes } : {}),
    ...(r.reason ? { reason: r.reason } : {}), ...(r.marks?.length ? { marks: r.marks } : {}),
    ...(r.failureOutput ? { failureOutput: r.failureOutput } : {}),
  };
}

export const verifyCommand: CliCommand = {
  async run(args, io) {
    const workspace = resolve(io.cwd, requireString(args, 'workspace'));
    const patchPath = resolve(io.cwd, requireString(args, 'patch'));
    const tests = testsOption(args);
    const timeoutS = optionalInt(args, 'timeout', 1) ?? 120;
    const json = args.values.json === true;
    const iso = isolationArgs(args);
    // Only the patch's files are parsed (no import graph): the optimizing tier would only compete with the tests.
    if (tests === 'all') useBaselineWasmCompiler();

    if (!(await stat(workspace).catch(() => undefined))?.isDirectory()) throw new HandledError(`workspace is not a directory: ${workspace}`);
    const patchText = await readFile(patchPath, 'utf8').catch(() => { throw new HandledError(`cannot read the patch: ${patchPath}`); });

    let r: FullVerifyResult;
    try {
      ({ result: r } = await verifyPatch({
        workspace, patch: patchText, tests, thenAll: tests === 'related', timeoutMs: timeoutS * 1000, trusted: true, signal: io.signal,
        testCommand: typeof args.values['test-command'] === 'string' ? args.values['test-command'] : undefined,
        countSyntaxErrors: lazySyntaxErrorCounter(), buildImportGraph: tests === 'related' ? await loadImportGraph() : undefined,
        ...iso,
        targetTests: (args.values.target as string[] | undefined) ?? [], fixFailing: args.values['fix-failing'] === true,
      }));
    } catch (e) {
      if (!(e instanceof PatchRejectedError)) throw e;
      if (json && e.stage === 'apply') io.stdout(`${JSON.stringify({ verdict: 'error', message: 'the patch does not apply', failures: e.failures })}\n`);
      throw new HandledError(e.message);
    }
    if (json) {
      io.stdout(`${JSON.stringify(contractJson(r))}\n`);
    } else {
      io.stdout(`${r.verdict}: ${r.message}\nrunner: ${r.runner}  baseline: ${r.baseline.passed} passed, ${r.baseline.failed} failed  candidate: ${r.candidate.passed} passed, ${r.candidate.failed} failed  (${r.durationMs} ms)\n`);
      if (r.isolation) io.stdout(`isolation: ${r.isolation === 'copy' ? 'copy (not sandboxed)' : `sandbox, network ${iso.network ? 'on' : 'off'}`}${r.skipped?.length ? `  skipped (not regular files): ${r.skipped.join(', ')}` : ''}\n`);
      if (r.newlyFailing.length) io.stdout(`newly failing:\n${r.newlyFailing.map((t) => `  ${t}`).join('\n')}\n`);
      if (r.newlyPassing.length) io.stdout(`newly passing:\n${r.newlyPassing.map((t) => `  ${t}`).join('\n')}\n`);
      if (r.flaky.length) io.stdout(`flaky:\n${r.flaky.map((t) => `  ${t}`).join('\n')}\n`);
      if (r.targetsStillFailing?.length) io.stdout(`targets still failing:\n${r.targetsStillFailing.map((t) => `  ${t}`).join('\n')}\n`);
      // The policy's marks: hunks that change the user's tests, and audit hits, each with its line and why.
      if (r.marks?.length) io.stdout(`marked lines:\n${r.marks.map((m) => `  ${m.path}:${m.line}  ${m.why}`).join('\n')}\n`);
      if (r.failureOutput && !isVerified(r)) io.stdout(`\n${r.failureOutput}\n`);
    }
    if (isVerified(r)) return 0;
    io.stderr(`qwq-coder: verify: ${r.verdict}: ${r.message.split('\n')[0]}\n`);
    return 1;
  },
};
