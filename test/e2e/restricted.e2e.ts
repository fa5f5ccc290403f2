// UI flows 4 and 5, and the closed door for models, on one code-server in Restricted Mode (workspace trust on,
// not granted). The user's qwq.model points at a file that does not exist; the workspace's own
// .vscode/settings.json names a model inside the repository (for the reasoning model and for ghost text):
// 4. Edit Selection explains why it won't run tests and offers Manage Workspace Trust; no test process starts;
//    Edit from the panel's composer is refused the same way and keeps the typed instruction.
// 5. Explain Selection (which needs no trust) says the model file is missing, with Download and Select.
// Last: after all that, and typing (ghost text), the workspace's model was never opened. That "model" is a named
// pipe with a writer waiting on it: any open() of it for reading, by anyone, lets the writer through and it
// leaves a marker file, so "no marker" proves no open (stat and existsSync do not open).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectText, openWorkbench, waitUntil, type Workbench } from './harness';
import { scratchDir } from '../support/scratchDir';
import { CART, flow, goToLine, modelSettings, openFile, focusEditor } from './uiFixtures';

const MISSING = '/nonexistent/models/qwq-missing.gguf';

/** Shadow copies the verifier creates (qwq-shadow-*) in code-server's own TMPDIR: their absence shows nothing ran.
 *  (Not the machine's tmpdir: other processes, such as unit tests, create shadows there too.) */
function shadowDirs(wb: Workbench): string[] {
  return readdirSync(wb.tmpDir).filter((n) => n.startsWith('qwq-shadow-'));
}

describe('Restricted Mode, a missing model, and a model the workspace names', () => {
  let wb: Workbench;
  let dir: string;
  let fifo: string;
  let marker: string;
  let watcher: ChildProcess | undefined;

  before(async () => {
    dir = scratchDir('qwq-e2e-restricted-');
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
    // The user has no ghost-text model: the provider is asked and says why there is none.
    wb = await openWorkbench({ flow: 'restricted', folder, inPlace: true, trusted: false, settings: modelSettings(MISSING, { 'qwq.inline.model': '', 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }) });
    // Trust is off for this folder: the status bar says so.
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });
  });
  after(async () => {
    await wb?.close();
    if (watcher?.pid && watcher.exitCode === null) watcher.kill();
  });

  test('4. Restricted Mode: Edit Selection explains why, offers Manage Workspace Trust, and starts no test process', () => flow(wb, 'flow4', async () => {
    const { page } = wb;
    const shadowsBefore = shadowDirs(wb);
    await openFile(page, 'cart.js');
    await goToLine(page, 12);
    await wb.runCommand('QwQ: Edit Selection…');
    const toast = wb.notifications().filter({ hasText: 'Restricted Mode' }).first();
    await toast.waitFor({ timeout: 30_000 });
    await expectText(toast, 'Nothing was run');
    assert.equal(await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).count(), 1, 'the toast offers Manage Workspace Trust');
    // The command stopped before asking for an instruction.
    assert.equal(await page.locator('.quick-input-widget input').isVisible(), false);
    await wb.runCommand('QwQ: Open Reasoning Panel');
    await expectText(wb.panel().locator('.restricted'), 'Restricted Mode: tests will not run');
    // Edit from the composer is refused the same way, and what the user typed stays in the box.
    const composer = wb.panel().locator('.composer textarea');
    await composer.fill('handle an empty cart');
    await wb.panel().locator('.composer button', { hasText: /^Edit$/ }).click();
    await wb.notifications().filter({ hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    assert.equal(await composer.inputValue(), 'handle an empty cart', 'a refused edit keeps the typed instruction');
    await wb.screenshot('flow4-restricted');

    await wb.runCommand('QwQ: Show Log');
    let log = '';
    await waitUntil(async () => /activated/.test(log = await wb.outputText().catch(() => '')), 'the log shows the activation line').catch(() => {});
    assert.match(log, /QwQ Coder \S+ activated \(workspace trusted: false\)/, 'the log was read');
    assert.doesNotMatch(log, /tests: starting/, 'the log shows no test run');
    assert.deepEqual(shadowDirs(wb).filter((d) => !shadowsBefore.includes(d)), [], 'no shadow workspace was created');
    assert.equal(existsSync(join(wb.folder, 'node_modules')), false);
  }));

  test('5. A missing model file: a clear message with Download and Select actions', () => flow(wb, 'flow5', async () => {
    const { page } = wb;
    await openFile(page, 'cart.js');
    await goToLine(page, 12);
    await wb.runCommand('QwQ: Explain Selection');
    const toast = wb.notifications().filter({ hasText: 'does not exist' }).first();
    await toast.waitFor({ timeout: 30_000 });
    await expectText(toast, MISSING);
    for (const action of ['Download Model', 'Select Model…']) {
      assert.equal(await toast.locator('.monaco-button', { hasText: action }).count(), 1, `the toast offers ${action}`);
    }
    await wb.runCommand('QwQ: Open Reasoning Panel');
    const panel = wb.panel();
    await expectText(panel.locator('.model-state'), 'Model file not found');
    assert.equal(await panel.locator('button', { hasText: 'Download Model' }).count(), 1);
    assert.equal(await panel.locator('button', { hasText: 'Select Model…' }).count(), 1);
    await page.locator('.statusbar-item', { hasText: 'QwQ: model file missing' }).first().waitFor({ timeout: 10_000 });
    await wb.screenshot('flow5-missing-model');

    await toast.locator('.monaco-button', { hasText: 'Select Model…' }).click();
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Browse for a GGUF file' }).first();
    await pick.waitFor({ timeout: 15_000 });
    await wb.screenshot('flow5-select-model');
    await page.keyboard.press('Escape');
  }));

  test('Explain Selection and typing (ghost text) do not open the workspace\'s model; the user is told why', () => flow(wb, 'restricted-model', async () => {
    const { page } = wb;
    await openFile(page, 'cart.js');
    await wb.runCommand('QwQ: Explain Selection');
    // VS Code drops the workspace's values of restricted settings in Restricted Mode (restrictedConfigurations),
    // so the user's own model (here a missing file) is what the task sees; where an editor still
    // passes a workspace value, the extension's own gate refuses it with "Restricted Mode".
    const status = page.locator('.statusbar-item', { hasText: /QwQ: model file missing|QwQ: not downloaded|QwQ: error/ }).first();
    await status.waitFor({ timeout: 30_000 });
    // Typing asks the inline provider for ghost text: it must not load the workspace's inline model either.
    await focusEditor(page);
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
