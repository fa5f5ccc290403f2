// The VS Code experience, inside a real extension host (code-server): every command's wiring, the manifest
// and the code agreeing, the no-model message, and the rule that Accept applies only a verified edit to a
// document that has not changed since it was verified.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { QwqCoderTestApi } from '../../../src/extension/testApi';
import { COMMAND_IDS } from '../../../src/extension/commands';
import { statusPresentation } from '../../../src/extension/model/modelPresentation';
import type { ModelState } from '../../../src/protocol/messages';

import { addCandidate, api, EXTENSION_ID, scratchFiles, until } from './helpers';

const BEFORE = 'export function add(a, b) {\n  return a - b;\n}\n';
const AFTER = 'export function add(a, b) {\n  return a + b;\n}\n';

suite('qwq-coder UI wiring', () => {
  const files = scratchFiles('qwq-itest');
  const openFile = files.open;

  /** A candidate BEFORE → AFTER under review. */
  function review(a: QwqCoderTestApi, taskId: string, rel: string, doc: vscode.TextDocument, verified: boolean): void {
    addCandidate(a, taskId, rel, doc, verified, createTwoFilesPatch(`a/${rel}`, `b/${rel}`, BEFORE, AFTER));
  }

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
    await files.cleanup();
    await vscode.workspace.getConfiguration('qwq').update('model.source', undefined, vscode.ConfigurationTarget.Global);
  });

  test('the manifest contributes exactly the commands the code registers, and every menu and key points at one', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await api();
    const contributes = ext.packageJSON.contributes;
    const contributed = (contributes.commands as Array<{ command: string }>).map((c) => c.command);
    assert.deepEqual([...contributed].sort(), [...COMMAND_IDS].sort());
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of COMMAND_IDS) assert.ok(registered.has(id), `${id} is registered`);
    const referenced = [
      ...(contributes.keybindings as Array<{ command: string }>).map((k) => k.command),
      ...Object.values(contributes.menus as Record<string, Array<{ command?: string }>>).flat().flatMap((m) => (m.command ? [m.command] : [])),
    ];
    for (const c of referenced) assert.ok(contributed.includes(c), `${c} (menu or key) is contributed`);
    assert.ok((contributes.keybindings as Array<{ command: string }>).some((k) => k.command === 'qwq.editSelection'));
    assert.ok(contributes.walkthroughs?.[0]?.steps?.length === 3, 'the walkthrough has its three steps');
  });

  test('Select Model with a missing file: the status says so, and Edit Selection explains with Download and Select', async () => {
    const a = await api();
    const missing = '/nonexistent/qwq-itest/model.gguf';
    await vscode.commands.executeCommand('qwq.selectModel', missing);
    await until('the model state becomes missing-file', () => a.models.state.kind === 'missing-file');
    const { editor } = await openFile(BEFORE);
    editor.selection = new vscode.Selection(1, 0, 1, 15);
    const before = a.notices.length;
    const started = await vscode.commands.executeCommand('qwq.editSelection', 'use plus');
    assert.equal(started, undefined, 'no task starts without a model');
    const notice = a.notices.slice(before).find((x) => x.severity === 'error');
    assert.ok(notice, 'an error notice was shown');
    assert.match(notice.message, /does not exist/);
    assert.deepEqual(notice.actions, ['Download Model', 'Select Model…']);
    assert.equal(a.store.state.tasks.length, 0, 'no task was recorded');
  });

  test('Fix Failing Tests, Implement Function, Generate Tests and Explain all stop at the same model check', async () => {
    const a = await api();
    await vscode.commands.executeCommand('qwq.selectModel', '/nonexistent/qwq-itest/model.gguf');
    for (const id of ['qwq.fixFailingTests', 'qwq.implementFunction', 'qwq.generateTests', 'qwq.explainSelection']) {
      const before = a.notices.length;
      assert.equal(await vscode.commands.executeCommand(id), undefined, `${id} started nothing`);
      assert.ok(a.notices.slice(before).some((x) => /does not exist/.test(x.message)), `${id} explained the missing model`);
    }
  });

  test('with no model configured the status bar points at Select Model', async () => {
    const a = await api();
    await vscode.workspace.getConfiguration('qwq').update('model.source', '', vscode.ConfigurationTarget.Global);
    await until('the model state becomes not-configured', () => a.models.state.kind === 'not-configured');
    const p = statusPresentation(a.models.state);
    assert.equal(p.command, 'qwq.selectModel');
    assert.match(p.text, /no model/);
  });

  test('Cancel, Accept and Reject Suggestion with nothing to act on say so and change nothing', async () => {
    const a = await api();
    assert.equal(await vscode.commands.executeCommand('qwq.cancel'), false);
    assert.equal(await vscode.commands.executeCommand('qwq.acceptSuggestion'), false);
    assert.equal(await vscode.commands.executeCommand('qwq.rejectSuggestion'), false);
    assert.ok(a.notices.some((x) => /no verified edit to accept/i.test(x.message)));
  });

  test('Open Reasoning Panel shows the webview, which says ready', async () => {
    const a = await api();
    await vscode.commands.executeCommand('qwq.openPanel');
    await a.panelResolved;
    await until('the webview posts ready', () => a.panelMessages.some((m) => (m as { type?: string }).type === 'ready'), 20_000);
  });

  test('Accept applies a verified edit to an unchanged document, as one undo step', async () => {
    const a = await api();
    const { rel, editor } = await openFile(BEFORE);
    review(a, 'accept-ok', rel, editor.document, true);
    a.store.dispatch({ type: 'task-started', taskId: 'accept-ok', kind: 'edit-selection', instruction: 'plus', files: [rel] });
    a.store.dispatch({ type: 'candidate', taskId: 'accept-ok', candidate: { id: 'c1', round: 1, diff: '', files: [rel], verdict: 'verified' } });
    const reverified = a.reverifications;
    assert.equal(await vscode.commands.executeCommand('qwq.acceptSuggestion'), true);
    assert.equal(a.reverifications, reverified, 'an unchanged document is applied without verifying again');
    assert.equal(editor.document.getText(), AFTER);
    assert.equal(a.store.state.tasks.find((t) => t.taskId === 'accept-ok')?.candidates[0].resolution, 'accepted');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), BEFORE, 'one undo restores the text');
  });

  test('Accept refuses when the document changed where the edit goes, and applies nothing', async () => {
    const a = await api();
    const { rel, editor } = await openFile(BEFORE);
    review(a, 'accept-stale', rel, editor.document, true);
    // The user changes the very line the verified edit replaces: the verdict no longer holds, and the edit no
    // longer applies to the current text, so nothing may be applied.
    await editor.edit((e) => e.replace(new vscode.Range(1, 2, 1, 15), 'return a * b;'));
    const textAfterUserEdit = editor.document.getText();
    const reverified = a.reverifications;
    const ok = await a.review.accept({ taskId: 'accept-stale', candidateId: 'c1' });
    assert.equal(ok, false);
    assert.equal(a.reverifications, reverified, 'an edit that no longer applies is not even run');
    assert.equal(editor.document.getText(), textAfterUserEdit, 'the document is untouched');
    assert.ok(a.notices.some((x) => /changed since this edit was verified/.test(x.message)), 'the user is told why');
  });

  test('Accept on a document changed elsewhere verifies again (real tests, shadow copy) before applying', async () => {
    const a = await api();
    const { rel, editor } = await openFile(BEFORE);
    review(a, 'accept-reverify', rel, editor.document, true);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// note\n'));
    const before = a.reverifications;
    const ok = await a.review.accept({ taskId: 'accept-reverify', candidateId: 'c1' });
    assert.equal(a.reverifications, before + 1, 'it was verified again');
    // The workspace's own tests ran on a shadow copy with the edit; none that passed before fails, so it applies.
    assert.equal(ok, true);
    assert.equal(editor.document.getText(), `// note\n${AFTER}`, 'the user\'s change and the edit are both there');
  });

  test('Accept refuses an edit that was not verified', async () => {
    const a = await api();
    const { rel, editor } = await openFile(BEFORE);
    review(a, 'accept-unverified', rel, editor.document, false);
    assert.equal(await a.review.accept({ taskId: 'accept-unverified', candidateId: 'c1' }), false);
    assert.equal(editor.document.getText(), BEFORE);
  });

  test('Open Diff shows the verified text in a virtual document next to the file', async () => {
    const a = await api();
    const { rel, editor } = await openFile(BEFORE);
    review(a, 'diff', rel, editor.document, true);
    assert.equal(await a.review.openDiff({ taskId: 'diff', candidateId: 'c1' }), true);
    await until('a qwq-candidate document is open', () => vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'qwq-candidate' && d.getText() === AFTER));
    await a.review.reject({ taskId: 'diff', candidateId: 'c1' });
    assert.equal(a.review.get({ taskId: 'diff', candidateId: 'c1' }), undefined, 'a rejected edit leaves the review');
  });

  test('a SIGKILLed model process shows as an error (status bar: QwQ: error), and the next request restarts it', async function () {
    this.timeout(150_000);
    const a = await api();
    const model = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test/fixtures/generated/tiny-qwen2.gguf');
    assert.ok(existsSync(model), `npm run fixtures writes ${model}`);
    const cfg = () => vscode.workspace.getConfiguration('qwq');
    const G = vscode.ConfigurationTarget.Global;
    // One thread (docs/architecture.md §8) and a small context: the real llama.cpp loads the tiny GGUF in a child process.
    await cfg().update('model.threads', 1, G);
    await cfg().update('model.contextSize', 512, G);
    await cfg().update('model.source', model, G);
    try {
      await a.models.acquire();
      assert.equal(a.models.state.kind, 'ready');
      const pid = a.models.workerPid;
      assert.ok(pid !== undefined && pid !== process.pid, 'the model runs in its own process');

      process.kill(pid, 'SIGKILL');
      await until('the crash is reported', () => a.models.state.kind === 'error', 20_000);
      // (read through the type: TS narrowed `state` to 'ready' above and cannot see the crash happen)
      const crashed: ModelState = a.models.state as ModelState;
      assert.ok(crashed.kind === 'error');
      assert.match(crashed.message, /stopped unexpectedly .*SIGKILL.*restarts on next use/);
      assert.equal(statusPresentation(crashed).text, '$(error) QwQ: error');
      assert.equal(a.models.workerPid, undefined, 'the dead runtime was dropped');
      assert.equal((await a.models.refresh()).kind, 'error', 'the status keeps showing the crash until a request restarts the model');

      const runtime = await a.models.acquire();
      const again = a.models.workerPid;
      assert.equal((a.models.state as ModelState).kind, 'ready');
      assert.ok(again !== undefined && again !== pid, `a new model process (${again}) replaced the killed one (${pid})`);
      assert.ok((await runtime.countTokens('function add(a, b) { return a + b; }')) > 0, 'the restarted process answers');
    } finally {
      await cfg().update('model.source', undefined, G);
      await cfg().update('model.threads', undefined, G);
      await cfg().update('model.contextSize', undefined, G);
      await a.models.refresh();
    }
  });

  test('the inline provider is registered and honours qwq.inline.enabled', async () => {
    const a = await api();
    await vscode.workspace.getConfiguration('qwq').update('inline.enabled', false, vscode.ConfigurationTarget.Global);
    const { editor } = await openFile(BEFORE);
    const cts = new vscode.CancellationTokenSource();
    const items = await a.inline.provider.provideInlineCompletionItems(editor.document, new vscode.Position(1, 2), { triggerKind: 0, selectedCompletionInfo: undefined } as unknown as vscode.InlineCompletionContext, cts.token);
    assert.equal(items, undefined);
    assert.equal(a.inline.provider.counters.requests, 0, 'no model request when disabled');
    await vscode.workspace.getConfiguration('qwq').update('inline.enabled', undefined, vscode.ConfigurationTarget.Global);
  });

  test('a keystroke during the debounce cancels the inline request before the model is asked', async () => {
    const a = await api();
    await vscode.workspace.getConfiguration('qwq').update('inline.debounceMs', 500, vscode.ConfigurationTarget.Global);
    const { editor } = await openFile(BEFORE);
    const cts = new vscode.CancellationTokenSource();
    const before = { ...a.inline.provider.counters };
    const pending = a.inline.provider.provideInlineCompletionItems(editor.document, new vscode.Position(1, 2), { triggerKind: 1, selectedCompletionInfo: undefined } as unknown as vscode.InlineCompletionContext, cts.token);
    cts.cancel(); // what VS Code does on the next keystroke
    assert.equal(await pending, undefined);
    assert.equal(a.inline.provider.counters.cancelled, before.cancelled + 1);
    assert.equal(a.inline.provider.counters.requests, before.requests, 'the model was never asked');
    await vscode.workspace.getConfiguration('qwq').update('inline.debounceMs', undefined, vscode.ConfigurationTarget.Global);
  });
});
