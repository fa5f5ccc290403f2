// UI flow 12: the first run. With a fresh profile the extension opens its walkthrough once; its steps complete
// themselves: the model step (a local scripted model is configured), the trust step (the workspace is
// trusted: it must show checked at once) and, after Fix Failing Tests gives a verified edit, the first-edit step.
import { after, before, describe, test } from 'node:test';
import { expectText, openWorkbench, type Workbench } from './harness';
import { CART, flow, modelSettings, openFile, walkthrough, writeFixModel } from './uiFixtures';

describe('first run', () => {
  let wb: Workbench;

  before(async () => {
    // The launcher turns startup editors off for the other flows; a new user's profile has them on.
    wb = await openWorkbench({ flow: 'first-run', folder: CART, settings: modelSettings(writeFixModel(), { 'workbench.startupEditor': 'welcomePage' }) });
  });
  after(async () => { await wb?.close(); });

  test('12. the walkthrough opens by itself, and its steps complete themselves', () => flow(wb, 'flow12', async () => {
    const { page } = wb;
    const steps = walkthrough(page);
    await expectText(steps.view, 'Get started with QwQ Coder', 90_000);
    await steps.waitDone('Trust the workspace', 'the trust step is checked in a trusted workspace');
    await steps.waitDone('Download a model', 'the model step is checked once a model is available');
    await wb.screenshot('flow12-walkthrough');

    await openFile(page, 'cart.js');
    await wb.runCommand('QwQ: Fix Failing Tests');
    await wb.panel().locator('.candidate[data-verdict="verified"]').first().waitFor({ timeout: 180_000 });
    // Back on the Welcome tab, the walkthrough is still ours (not the generic Welcome page).
    await page.locator('.tabs-container .tab', { hasText: 'Welcome' }).first().click();
    await expectText(steps.view, 'Get started with QwQ Coder', 30_000);
    await steps.waitDone('Make a first verified edit', 'the first-edit step completes after a verified edit');
    await wb.screenshot('flow12-walkthrough-done');
  }));
});
