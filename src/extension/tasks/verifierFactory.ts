// Opens the verifier for a task: the core's shadow verifier (a warm shadow copy + the user's tests), fed
// with the editors' unsaved text so the verdict is about what the user sees. Each test run is logged.
// Where the sandbox cannot run, tests run unsandboxed only after the user allowed it for that workspace
// (docs/architecture.md §5, "Isolation").
import type { OpenVerifier, QwqCore, VerifierSession } from '../../core/agent';
import { detectTestCommand } from '../../core/verify';
import { bwrapFor, diagnoseSandbox, msg } from '../../core/verify';
import { l10n } from '../l10n';
import type { EditorWorkspaceFiles } from './editorFiles';

export type VerifierFactory = (files: EditorWorkspaceFiles, testsCommand: string, timeoutSeconds: number) => OpenVerifier | undefined;

/** qwq.tests.sandbox, qwq.tests.network and qwq.tests.env for a workspace root, read when a task opens its verifier. */
export type IsolationSettings = (root: string) => { sandbox: boolean; network: boolean; env?: string[] };

/** Asks (once per workspace: the answer is remembered by the caller) whether tests may run unsandboxed. */
export type AllowUnsandboxed = (workspace: string, why: string) => Promise<boolean>;

export function createVerifierFactory(core: Pick<QwqCore, 'openShadowVerifier'>, onTestProcess?: (command: string) => void, isolation?: IsolationSettings, allowUnsandboxed?: AllowUnsandboxed): VerifierFactory {
  return (files, testsCommand, timeoutSeconds) => async (task): Promise<VerifierSession> => {
    const testCommand = testsCommand.trim() || undefined;
    const iso = isolation?.(task.workspace);
    let copy = iso !== undefined && !iso.sandbox;
    // The bwrap the shadow will start for this workspace (never one inside it): the one whose diagnosis is asked about.
    const d = copy ? undefined : diagnoseSandbox(bwrapFor(task.workspace));
    // The answer decides this task's isolation before anything runs; without a yes, verify says why and runs nothing.
    if (d && !d.ok && allowUnsandboxed) copy = await allowUnsandboxed(task.workspace, d.problemSaid && d.fixSaid ? l10n.say(msg('problemAndFix', d.problemSaid, d.fixSaid)) : `${d.problem}. ${d.fix}`);
    const session = core.openShadowVerifier(task.workspace, {
      timeoutMs: timeoutSeconds * 1000, testCommand, overlays: files.unsavedTexts(),
      isolation: copy ? 'copy' : 'auto', network: iso?.network ?? false, envAllow: iso?.env,
    });
    const announce = (): void => { onTestProcess?.(detectTestCommand(task.workspace, testCommand)?.base ?? '(no test command)'); };
    return {
      baseline: (signal) => { announce(); return session.baseline(signal); },
      runTests: (filter, signal) => { announce(); return session.runTests(filter, signal); },
      verify: (changes, req) => { announce(); return session.verify(changes, req); },
      dispose: () => session.dispose(),
    };
  };
}
