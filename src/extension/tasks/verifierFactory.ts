// Opens the verifier for a task: the core's shadow verifier (a warm shadow copy + the user's tests), fed
// with the editors' unsaved text so the verdict is about what the user sees. Each test run is logged.
import type { OpenVerifier, VerifierSession } from '../../core/agent';
import type { QwqCore } from '../../core/agent';
import { detectTestCommand } from '../../core/verify';
import type { EditorWorkspaceFiles } from './editorFiles';

export type VerifierFactory = (files: EditorWorkspaceFiles, testsCommand: string, timeoutSeconds: number) => OpenVerifier | undefined;

/** qwq.tests.sandbox and qwq.tests.network for a workspace root, read when a task opens its verifier. */
export type IsolationSettings = (root: string) => { sandbox: boolean; network: boolean };

export function createVerifierFactory(core: Pick<QwqCore, 'openShadowVerifier'>, onTestProcess?: (command: string) => void, isolation?: IsolationSettings): VerifierFactory {
  return (files, testsCommand, timeoutSeconds) => async (task): Promise<VerifierSession> => {
    const testCommand = testsCommand.trim() || undefined;
    const iso = isolation?.(task.workspace);
    const session = core.openShadowVerifier(task.workspace, {
      timeoutMs: timeoutSeconds * 1000, testCommand, overlays: files.unsavedTexts(),
      isolation: iso && !iso.sandbox ? 'fallback' : 'auto', network: iso?.network ?? true,
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
