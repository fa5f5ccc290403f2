// The foundation, checked inside a real extension host: the extension activates, every command it
// contributes is registered, its panel resolves, and its log channel and settings exist.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { QwqCoderTestApi } from '../../../src/extension/testApi';
import { EXTENSION_ID } from './helpers';

function withTimeout<T>(p: Thenable<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

async function activated(): Promise<{ ext: vscode.Extension<QwqCoderTestApi | undefined>; api: QwqCoderTestApi }> {
  const ext = vscode.extensions.getExtension<QwqCoderTestApi | undefined>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this extension host`);
  const api = await withTimeout(ext.activate(), 30_000, 'activation');
  assert.ok(api, 'in ExtensionMode.Test activate() returns the test API');
  return { ext, api };
}

suite('qwq-coder extension', () => {
  test('activates and returns its API', async () => {
    const { ext, api } = await activated();
    assert.equal(ext.isActive, true);
    assert.equal(ext.packageJSON.name, 'qwq-coder');
    assert.ok(api.panel, 'the API exposes the reasoning panel');
    assert.ok(api.log, 'the API exposes the log channel');
  });

  test('registers every command contributed in package.json', async () => {
    const { ext } = await activated();
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(contributed.length >= 2, `expected contributed commands, got ${JSON.stringify(contributed)}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('contributes every command under the QwQ category', async () => {
    const { ext } = await activated();
    for (const c of ext.packageJSON.contributes.commands as Array<{ command: string; category?: string }>) {
      assert.equal(c.category, 'QwQ', `${c.command} has category ${c.category}`);
    }
  });

  test('qwq.openPanel resolves the reasoning panel', async () => {
    const { api } = await activated();
    await vscode.commands.executeCommand('qwq.openPanel');
    await withTimeout(api.panelResolved, 30_000, 'reasoning panel resolution');
    assert.equal(api.panel.isVisible, true, 'the panel is visible after qwq.openPanel');
  });

  test('has a log channel named "QwQ Coder", and qwq.showLog runs', async () => {
    const { api } = await activated();
    assert.equal(api.log.name, 'QwQ Coder');
    assert.equal(typeof api.log.logLevel, 'number', 'it is a LogOutputChannel (it has a log level)');
    await vscode.commands.executeCommand('qwq.showLog');
  });

  test('contributes its settings with their defaults, and the transcript language', async () => {
    await activated();
    const config = vscode.workspace.getConfiguration('qwq');
    assert.equal(config.get('model.source'), 'hf:Qwen/QwQ-32B-GGUF:Q4_K_M');
    assert.equal(config.get('model.contextSize'), 0);
    assert.equal(config.get('tests.timeoutSeconds'), 120);
    assert.ok((await vscode.languages.getLanguages()).includes('qwq-transcript'));
  });
});
