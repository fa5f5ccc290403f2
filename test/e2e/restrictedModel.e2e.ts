// Restricted Mode closed for models: an untrusted workspace whose .vscode/settings.json names a model inside
// the repository (for the reasoning model and for ghost text). The extension must never open that file.
// The "model" is a named pipe with a writer waiting on it: any open() of it for reading, by anyone, lets the
// writer through and it leaves a marker file, so "no marker" proves no open (stat and existsSync do not open).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkbench, waitUntil, type Workbench } from './harness';
import { flow, openFile } from './uiFixtures';
import { root } from '../../scripts/package.mjs';

const CART = join(root, 'test/fixtures/workspaces/node');

describe('Restricted Mode: a model named by the workspace is never opened', () => {
  let wb: Workbench;
  let dir: string;
  let fifo: string;
  let marker: string;
  let watcher: ChildProcess | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qwq-e2e-restricted-model-'));
    const folder = join(dir, 'repo');
    cpSync(CART, folder, { recursive: true });
    mkdirSync(join(folder, 'models'));
    fifo = join(folder, 'models', 'evil.gguf');
    marker = join(dir, 'opened');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify({
      'qwq.model.provider': 'local', 'qwq.model.source': 'models/evil.gguf', 'qwq.inline.model': 'models/evil.gguf',
      'qwq.speculative.draftModel': 'models/evil.gguf',
    }, null, 2));
    // Blocks in open() until a reader opens the pipe; then leaves the marker.
    watcher = spawn('sh', ['-c', 'exec 3>"$1"; touch "$2"; sleep 1', 'watch', fifo, marker], { stdio: 'ignore' });
    wb = await openWorkbench({
      flow: 'restricted-model', folder, inPlace: true, trusted: false, extension: 'source',
      settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'editor.inlineSuggest.enabled': true, 'qwq.inline.debounceMs': 50, 'files.autoSave': 'off' },
    });
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });
  });
  after(async () => {
    await wb?.close();
    if (watcher?.pid && watcher.exitCode === null) watcher.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  test('Explain Selection and typing (ghost text) do not open the workspace\'s model; the user is told why', () => flow(wb, 'restricted-model', async () => {
    const { page } = wb;
    await openFile(page, 'cart.js');
    await wb.runCommand('QwQ: Explain Selection');
    // VS Code drops the workspace's values of restricted settings in Restricted Mode (restrictedConfigurations),
    // so the user's own model (here the default, not downloaded) is what the task sees; where an editor still
    // passes a workspace value, the extension's own gate refuses it with "Restricted Mode".
    const status = page.locator('.statusbar-item', { hasText: /QwQ: not downloaded|QwQ: error/ }).first();
    await status.waitFor({ timeout: 30_000 });
    // Typing asks the inline provider for ghost text: it must not load the workspace's inline model either.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nconst answer = ', { delay: 80 });
    await page.locator('.statusbar-item', { hasText: /Set up ghost text|Ghost text: off/ }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('restricted-model');
    // The provider was asked and answered "no ghost text" (the log says why, once): only now is "no marker" proof.
    await wb.runCommand('QwQ: Show Log');
    await waitUntil(async () => /inline: no ghost text: /.test(await wb.outputText().catch(() => '')), 'the log says why there is no ghost text');
    assert.equal(existsSync(marker), false, 'the model file was opened');
    assert.equal(watcher?.exitCode, null, 'the writer is still waiting: nobody opened the pipe for reading');
    // The detector works: opening the pipe ourselves lets the writer through.
    closeSync(openSync(fifo, 'r'));
    await waitUntil(() => existsSync(marker), 'the detector sees our own open', { timeout: 5_000, interval: 100 });
  }));
});
