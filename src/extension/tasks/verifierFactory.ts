// Opens the verifier (shadow workspace + the user's tests) for a task, over the core's verify module.
// The shadow mirrors the editors' unsaved text (overlays), so the verdict is about what the user sees.
// One warm shadow per task: the baseline and every candidate run in it, and it is removed when the task ends.
import { ShadowWorkspace } from '../../core/verify/shadow';
import { verifyChanges } from '../../core/verify/verifyChanges';
import { runTests } from '../../core/verify/runTests';
import { detectTestCommand, NO_TEST_COMMAND_MESSAGE } from '../../core/verify/detect';
import type { OpenVerifier, TestRun, VerifierSession } from '../../core/agent/ports';
import type { EditorWorkspaceFiles } from './editorFiles';

export type VerifierFactory = (files: EditorWorkspaceFiles, testsCommand: string, timeoutSeconds: number) => OpenVerifier | undefined;

export function createVerifierFactory(onTestProcess?: (command: string) => void): VerifierFactory {
  return (files, testsCommand, timeoutSeconds) => async (task) => openSession(task.workspace, files, testsCommand, timeoutSeconds, onTestProcess);
}

async function openSession(workspace: string, files: EditorWorkspaceFiles, testsCommand: string, timeoutSeconds: number, onTestProcess?: (command: string) => void): Promise<VerifierSession> {
  const shadow = new ShadowWorkspace(workspace);
  const overlays = files.unsavedTexts();
  const timeoutMs = timeoutSeconds * 1000;
  const override = testsCommand.trim() || undefined;

  const runAll = async (filter: string | undefined, signal: AbortSignal, onOutput?: (s: 'stdout' | 'stderr', t: string) => void): Promise<TestRun> => {
    const cmd = detectTestCommand(workspace, override);
    if (!cmd) return { runner: 'none', tests: [], message: NO_TEST_COMMAND_MESSAGE, problem: 'no-tests' };
    await shadow.sync(overlays);
    onTestProcess?.(cmd.base);
    const r = await runTests(shadow.root, cmd, filter ? { kind: 'files', files: [filter] } : { kind: 'all' }, { timeoutMs, signal, onOutput });
    const problem = r.timedOut || (r.results.length === 0 && r.exitCode !== 0) ? 'error' : r.results.length === 0 ? 'no-tests' : undefined;
    const passed = r.results.filter((t) => t.status === 'passed').length;
    return {
      runner: cmd.runner, tests: r.results, output: r.output,
      message: r.timedOut ? `${r.command} timed out after ${timeoutSeconds} s` : `${r.command}: ${passed} passed, ${r.results.length - passed} failed`,
      ...(problem ? { problem } : {}),
    };
  };

  return {
    baseline: (signal) => runAll(undefined, signal),
    async verify(changes, req) {
      const cmd = detectTestCommand(workspace, override);
      if (cmd) onTestProcess?.(cmd.base);
      const r = await verifyChanges({
        workspace, overlays, changes, tests: 'related', thenAll: true, timeoutMs, trusted: true, shadow,
        signal: req.signal, onOutput: req.onOutput, targetTests: req.targets, ...(override ? { testCommand: override } : {}),
      });
      return { ...r, tests: r.candidateTests };
    },
    runTests: (filter, signal) => runAll(filter, signal),
    async dispose() { shadow.dispose(); },
  };
}
