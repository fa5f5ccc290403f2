// What the extension-host suites share: the activated extension's test API, the open folder, polling, and
// scratch files in the folder opened in an editor.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { QwqCoderTestApi } from '../../../src/extension/testApi';
import { buildReview } from '../../../src/extension/review/reviewFiles';
import type { AcceptanceTask } from '../../../src/core/verify/policy/task';

export const EXTENSION_ID = 'qwq-coder.qwq-coder';

/** The test API: activate() returns it because the suite runs in ExtensionMode.Test. */
export async function api(): Promise<QwqCoderTestApi> {
  const ext = vscode.extensions.getExtension<QwqCoderTestApi | undefined>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this extension host`);
  const a = await ext.activate();
  assert.ok(a, 'activate() returns the test API in ExtensionMode.Test');
  return a;
}

export function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the suite runs with a folder open');
  return f.uri;
}

/** Polls `fn` every 50 ms until it holds; fails after `ms`. */
export async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what} did not happen within ${ms} ms`);
}

/** Fresh files in the workspace folder, opened in an editor; `cleanup()` deletes them (suiteTeardown). */
export function scratchFiles(prefix: string): { open(text: string): Promise<{ rel: string; editor: vscode.TextEditor }>; cleanup(): Promise<void> } {
  const created: vscode.Uri[] = [];
  let n = 0;
  return {
    async open(text) {
      const rel = `${prefix}-${process.pid}-${++n}.js`;
      const uri = vscode.Uri.joinPath(folder(), rel);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      created.push(uri);
      return { rel, editor: await vscode.window.showTextDocument(uri) };
    },
    async cleanup() {
      for (const u of created) await vscode.workspace.fs.delete(u).then(undefined, () => undefined);
    },
  };
}

/**
 * Registers a candidate for review exactly as the task controller does: from what was read, with its version, and
 * with the task it was written for (a re-verification is held to it).
 */
export function addCandidate(a: QwqCoderTestApi, taskId: string, rel: string, doc: vscode.TextDocument, verified: boolean, diff: string, task: AcceptanceTask = { kind: 'edit-selection' }): void {
  const { candidate, problems } = buildReview({ taskId, candidateId: 'c1', task }, diff, verified, folder(), new Map([[rel, { text: doc.getText(), version: doc.version }]]));
  assert.deepEqual(problems, []);
  a.review.add(candidate);
}
