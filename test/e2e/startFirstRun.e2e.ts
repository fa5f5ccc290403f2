// `npm start` as a newcomer meets it, offline, from a fresh profile (flow 14):
// - it serves a workbench on the port asked for, with the packaged extension installed and active, and Ctrl+C
//   (SIGINT) stops the server and exits 0;
// - the sample opens in Restricted Mode (workspace trust stays on, so it is real); trusting it ticks that step;
// - the walkthrough opens by itself and ticks "Download a model": the sample's demo model is configured and
//   labelled "demo model (scripted for the sample workspace)" in the panel;
// - Fix Failing Tests on the sample plans, edits and reaches a verified edit;
// - a model chosen in the workbench survives a restart of `npm start` (its settings are merged, not rewritten).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freePort, launchChromium } from '../../scripts/code-server.mjs';
import { prepareSampleWorkspace } from '../../scripts/sample-workspace.mjs';
import { ensureVsix, expectText, panelFrame, runPaletteCommand, SCREENSHOT_DIR } from './harness';
import { npmStart, type NpmStart } from './npmStart';
import { walkthrough } from './uiFixtures';
import { DEMO_MODEL_LABEL } from '../../src/protocol/modelName';

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

async function openPanel(page: Page): Promise<ReturnType<typeof panelFrame>> {
  const panel = panelFrame(page);
  // Right after startup (and under load) the view can still be resolving its webview: open it again if needed.
  for (let i = 0; ; i++) {
    await runPaletteCommand(page, 'QwQ: Open Reasoning Panel', { timeoutMs: 90_000 });
    if (await panel.locator('.composer textarea').waitFor({ timeout: 45_000 }).then(() => true, () => false)) return panel;
    if (i === 2) throw new Error('the reasoning panel never showed its composer');
  }
}

test('14. npm start offline from a fresh profile: the extension active, Restricted Mode shown, walkthrough ticked, demo model labelled, a verified edit; a chosen model survives a restart after Ctrl+C', async () => {
  ensureVsix();
  const tmp = mkdtempSync(join(tmpdir(), 'qwq-e2e-firstrun-'));
  const profile = join(tmp, 'profile');
  const folder = prepareSampleWorkspace(join(tmp, 'sample'));
  const port = await freePort();
  let browser: Browser | undefined;
  let run: NpmStart | undefined;
  try {
    run = await npmStart({ port, profile, folder });
    assert.ok(run.url.startsWith(`http://127.0.0.1:${port}/`), run.url);
    browser = await launchChromium();
    let page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(run.url);
    // The packaged extension is installed and registered its view container.
    await page.locator('.part.activitybar [aria-label^="QwQ Coder"]').first().waitFor({ state: 'visible', timeout: 90_000 });

    // Workspace trust stays on: the sample opens in Restricted Mode, and says so.
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 90_000 });

    // The walkthrough opens by itself; the model step ticks itself from the real state (the demo model).
    const steps = walkthrough(page);
    await expectText(steps.view, 'Get started with QwQ Coder', 90_000);
    await steps.waitDone('Download a model', 'the model step is ticked while the demo model is available', 60_000);
    await shot(page, 'flow14-walkthrough');

    // Trusting the sample (as the walkthrough's second step says) ticks that step.
    await runPaletteCommand(page, 'Workspaces: Manage Workspace Trust');
    await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click({ timeout: 30_000 });
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached', timeout: 30_000 });
    // The trust editor opens as a modal editor over the workbench: close it.
    const modal = page.locator('.monaco-modal-editor-block');
    for (let i = 0; i < 5 && await modal.count() > 0; i++) {
      const close = modal.locator('.action-label.codicon-close, .action-label.codicon-x, [aria-label^="Close"]').first();
      if (await close.count()) await close.click({ timeout: 5_000 }).catch(() => {});
      else await runPaletteCommand(page, 'View: Close Editor').catch(() => {});
      await modal.first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
    }
    await page.locator('.tabs-container .tab', { hasText: 'Welcome' }).first().click();
    await steps.waitDone('Trust the workspace', 'the trust step is ticked once the sample is trusted');

    let panel = await openPanel(page);
    await expectText(panel.locator('.model-state'), `sample-cart-fix: ${DEMO_MODEL_LABEL}`, 60_000);
    await runPaletteCommand(page, 'QwQ: Fix Failing Tests');
    await panel.locator('.candidate[data-verdict="verified"]').first().waitFor({ timeout: 240_000 });
    await shot(page, 'flow14-verified');

    // The user chooses another model in the workbench: Select Model offers the demo models, labelled.
    const demoRow = page.locator('.quick-input-list .monaco-list-row', { hasText: 'sample-cart-repair' }).first();
    // Under load the quick pick can lose focus to the workbench settling and close: open it again, up to 3 times.
    for (let i = 0; ; i++) {
      await runPaletteCommand(page, 'QwQ: Select Model');
      if (await demoRow.waitFor({ timeout: 20_000 }).then(() => true, () => false)) break;
      if (i === 2) throw new Error('Select Model never listed the demo model sample-cart-repair');
      await page.keyboard.press('Escape');
    }
    await expectText(demoRow, DEMO_MODEL_LABEL, 30_000);
    await shot(page, 'flow14-select-model');
    await demoRow.click();
    await expectText(panel.locator('.model-state'), 'sample-cart-repair', 30_000);

    // Restart npm start on the same profile: the choice is still there.
    // Ctrl+C stops it: start.mjs exits 0 and the server no longer answers.
    await page.close();
    const code = await run.interrupt();
    assert.equal(code, 0, `start.mjs exit after SIGINT: ${code}\n${run.out().slice(-1000)}`);
    assert.equal(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false), false, 'code-server still answers after Ctrl+C');
    await run.stop();
    const machine = readFileSync(join(profile, 'user-data', 'Machine', 'settings.json'), 'utf8');
    const user = readFileSync(join(profile, 'user-data', 'User', 'settings.json'), 'utf8');
    assert.ok(machine.includes('sample-cart-repair') || user.includes('sample-cart-repair'), 'VS Code wrote the choice into the profile');
    run = await npmStart({ port, profile, folder });
    assert.ok(readFileSync(join(profile, 'user-data', 'Machine', 'settings.json'), 'utf8').includes('sample-cart-repair') === machine.includes('sample-cart-repair'), 'the restart left the Machine choice alone');
    assert.ok(readFileSync(join(profile, 'user-data', 'User', 'settings.json'), 'utf8').includes('sample-cart-repair') === user.includes('sample-cart-repair'), 'the restart left the User choice alone');
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(run.url);
    panel = await openPanel(page);
    await expectText(panel.locator('.model-state'), `sample-cart-repair: ${DEMO_MODEL_LABEL}`, 60_000);
    await shot(page, 'flow14-restart-keeps-model');
  } catch (e) {
    const pages = browser?.contexts().flatMap((c) => c.pages()) ?? [];
    if (pages[0]) await shot(pages[0], 'flow14-failure').catch(() => {});
    throw new Error(`${(e as Error).message}\n--- npm start output ---\n${run?.out().slice(-2000) ?? ''}`);
  } finally {
    await browser?.close().catch(() => {});
    await run?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('14b. npm start -- --restricted opens the sample untrusted, without asking, and says so', async () => {
  ensureVsix();
  const tmp = mkdtempSync(join(tmpdir(), 'qwq-e2e-restricted-start-'));
  const profile = join(tmp, 'profile');
  const folder = prepareSampleWorkspace(join(tmp, 'sample'));
  let browser: Browser | undefined;
  let run: NpmStart | undefined;
  try {
    run = await npmStart({ port: await freePort(), profile, folder, extra: ['--restricted'] });
    assert.match(run.out(), /Restricted Mode: the sample is not trusted/);
    // code-server's chat is off: the launcher says where @qwq is instead (scripts/code-server.mjs CHAT_NOTICE).
    assert.match(run.out(), /@qwq \(VS Code chat\) is not available in code-server: .* @qwq in desktop VS Code's Chat view/);
    const settings = readFileSync(join(profile, 'user-data', 'User', 'settings.json'), 'utf8');
    assert.match(settings, /"security\.workspace\.trust\.startupPrompt": "never"/);
    assert.doesNotMatch(settings, /"security\.workspace\.trust\.enabled": false/, 'trust is not turned off');
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(run.url);
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 90_000 });
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no trust question');
    await expectText(page.locator('.gettingStartedContainer'), 'Get started with QwQ Coder', 90_000);
    const panel = await openPanel(page);
    await expectText(panel.locator('.restricted'), 'Restricted Mode: tests will not run');
    await shot(page, 'flow14b-restricted');
  } finally {
    await browser?.close().catch(() => {});
    await run?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
});
