// UI flows 1–3 on one code-server (trusted workspace, the node cart fixture, a scripted GGUF run by the real
// runtime in its child process): Edit Selection → streamed thoughts → verified diff → Accept → Ctrl+Z;
// Fix Failing Tests → verified fix; ghost text → Tab.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectText, normalize, openWorkbench, type Workbench } from './harness';
import { CART, editSelection, expectVerifiedFix, FIX_INSTRUCTION, flow, waitForEditorText, GHOST_TEXT, modelSettings, writeFixModel, undoInEditor, focusEditor } from './uiFixtures';

describe('editing flows (trusted, scripted model)', () => {
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench({ flow: 'editing', folder: CART, settings: modelSettings(writeFixModel()) });
  });
  after(async () => { await wb?.close(); });

  test('1. Edit Selection: thoughts stream, a verified diff appears, Accept changes the file, Ctrl+Z restores it', () => flow(wb, 'flow1', async () => {
    const { page } = wb;
    await editSelection(wb, { line: 12, extend: 4, instruction: FIX_INSTRUCTION, screenshots: 'flow1' });
    const verified = await expectVerifiedFix(wb);
    await wb.screenshot('flow1-verified');

    await verified.locator('button', { hasText: 'Open Diff' }).first().click();
    await page.locator('.editor-instance .monaco-diff-editor').first().waitFor({ timeout: 20_000 });
    await wb.screenshot('flow1-diff');
    await page.keyboard.press('Control+W'); // close the diff, back to cart.js

    await verified.locator('button', { hasText: /^Accept$/ }).click();
    await expectText(verified.locator('.resolution'), 'accepted', 20_000);
    const accepted = await waitForEditorText(page, (t) => t.includes('(sub * discountPercent) / 100'), 'Accept did not change the file');
    assert.ok(!accepted.includes('return sub - sub * discountPercent;'));
    await wb.screenshot('flow1-accepted');

    await undoInEditor(page, (t) => t.includes('return sub - sub * discountPercent;') && !t.includes('/ 100'), 'Ctrl+Z did not restore the file');
    await wb.screenshot('flow1-undone');
  }));

  test('2. Fix Failing Tests on the cart fixture: a verified fix', () => flow(wb, 'flow2', async () => {
    const { page } = wb;
    await focusEditor(page);
    await wb.runCommand('QwQ: Fix Failing Tests');
    const panel = wb.panel();
    const task = panel.locator('.task').first();
    await expectText(task.locator('.task-title'), 'Fix failing tests', 60_000);
    await expectText(task.locator('.baseline'), 'total applies a percentage discount', 120_000);
    const verified = task.locator('.candidate[data-verdict="verified"]');
    await verified.waitFor({ timeout: 180_000 });
    await expectText(task.locator('.task-head .badge'), 'verified', 30_000);
    assert.equal(await verified.locator('button', { hasText: /^Accept$/ }).count(), 1, 'a verified fix can be accepted');
    await wb.screenshot('flow2-fix-verified');

    // The panel's state survives a reload of its webview (getState/setState, and the extension's copy).
    await wb.runCommand('Developer: Reload Webviews');
    await expectText(wb.panel().locator('.task').first().locator('.task-title'), 'Fix failing tests', 30_000);
    // The current task in full, the earlier one as a history row.
    assert.equal(await wb.panel().locator('.task').count(), 1);
    assert.equal(await wb.panel().locator('.history-row').count(), 1, 'both tasks of this session are still listed');
  }));

  test('3. Ghost text appears from the fast path, and Tab accepts it', () => flow(wb, 'flow3', async () => {
    const { page } = wb;
    await focusEditor(page);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('const answer = ', { delay: 30 });
    const ghost = page.locator('.editor-instance .monaco-editor .ghost-text-decoration, .editor-instance .monaco-editor .ghost-text').first();
    await ghost.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(normalize(await ghost.innerText()), /42/);
    await wb.screenshot('flow3-ghost-text');
    await page.keyboard.press('Tab');
    await waitForEditorText(page, (t) => t.includes(`const answer = ${GHOST_TEXT}`), 'Tab did not accept the ghost text');
    await wb.screenshot('flow3-accepted');
  }));
});
