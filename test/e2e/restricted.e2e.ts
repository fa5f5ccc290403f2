// UI flows 4 and 5 on one code-server in Restricted Mode (workspace trust on, not granted), with qwq.model
// pointing at a file that does not exist:
// 4. Edit Selection explains why it won't run tests and offers Manage Workspace Trust; no test process starts;
//    Edit from the panel's composer is refused the same way and keeps the typed instruction.
// 5. Explain Selection (which needs no trust) says the model file is missing, with Download and Select.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectText, openWorkbench, waitUntil, type Workbench } from './harness';
import { flow, goToLine, modelSettings, openFile } from './uiFixtures';
import { root } from '../../scripts/package.mjs';

const CART = join(root, 'test/fixtures/workspaces/node');
const MISSING = '/nonexistent/models/qwq-missing.gguf';

/** Shadow copies the verifier creates (qwq-shadow-*) in code-server's own TMPDIR: their absence shows nothing ran.
 *  (Not the machine's tmpdir: other processes, such as unit tests, create shadows there too.) */
function shadowDirs(wb: Workbench): string[] {
  return readdirSync(wb.tmpDir).filter((n) => n.startsWith('qwq-shadow-'));
}

describe('Restricted Mode and a missing model', () => {
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench({ flow: 'restricted', folder: CART, trusted: false, settings: modelSettings(MISSING, { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }) });
    // Trust is off for this folder: the status bar says so.
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });
  });
  after(async () => { await wb?.close(); });

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
});
