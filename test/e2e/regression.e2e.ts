// UI flow 6: a candidate that breaks a passing test. The scripted model's only edit makes itemCount return
// items.length; with qwq.agent.maxRounds = 1 the task ends on it. The panel shows the regressed verdict, the
// newly failing test and its output, and offers no Accept button.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { expectText, openWorkbench, type Workbench } from './harness';
import { flow, goToLine, modelSettings, openFile, editorText, writeUiModels } from './uiFixtures';
import { root } from '../../scripts/package.mjs';

const CART = join(root, 'test/fixtures/workspaces/node');

describe('a regressing candidate', () => {
  let wb: Workbench;

  before(async () => {
    const models = writeUiModels();
    wb = await openWorkbench({ flow: 'regression', folder: CART, settings: modelSettings(models.breaking, { 'qwq.agent.maxRounds': 1 }) });
  });
  after(async () => { await wb?.close(); });

  test('6. the failing test output is shown, and there is no Accept button', () => flow(wb, 'flow6', async () => {
    const { page } = wb;
    await openFile(page, 'cart.js');
    await goToLine(page, 18);
    const before = await editorText(page);
    await wb.runCommand('QwQ: Edit Selection…');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('count the items');
    await input.press('Enter');

    const task = wb.panel().locator('.task').first();
    const regressed = task.locator('.candidate[data-verdict="regressed"]');
    await regressed.waitFor({ timeout: 180_000 });
    await expectText(regressed.locator('.badge'), 'regressed');
    await expectText(regressed.locator('.failing'), 'itemCount counts quantities');
    await expectText(regressed.locator('.failure-output'), 'itemCount');
    assert.equal(await regressed.locator('button', { hasText: 'Accept' }).count(), 0, 'no Accept for a regressed candidate');
    assert.equal(await regressed.locator('button', { hasText: 'Open Diff' }).count(), 1, 'it can still be inspected');
    await expectText(task.locator('summary').first(), 'not verified', 60_000);
    await regressed.locator('.failure-output').scrollIntoViewIfNeeded();
    await wb.screenshot('flow6-regressed');
    assert.equal(await editorText(page), before, 'the file was not touched');
  }));
});
