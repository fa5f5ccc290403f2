// UI flows 6 and 11 on one code-server, with one scripted model of failures (sampleModels.writeFailuresModel):
// 6. a candidate that breaks a passing test. The model's edit makes itemCount return items.length, in each of
//    its three attempts. The panel shows one card for the three identical attempts ("attempts 1–3 wrote the
//    same edit") with one plain sentence above it, the regressed verdict, the newly failing test and its
//    output, and offers no Accept button;
// 11. an instruction with MISS_WORD gets an edit whose SEARCH is not in the file, in every attempt: the task
//    ends with no edit.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectText, openWorkbench, type Workbench } from './harness';
import { CART, editorText, editSelection, flow, modelSettings, MISS_WORD, writeFailuresModel } from './uiFixtures';

describe('a regressing candidate, and a task that ends without an edit', () => {
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench({ flow: 'regression', folder: CART, settings: modelSettings(writeFailuresModel(), { 'qwq.agent.maxRounds': 3 }) });
  });
  after(async () => { await wb?.close(); });

  test('6. three attempts that wrote the same breaking edit show as one card; the failing output is shown, and there is no Accept button', () => flow(wb, 'flow6', async () => {
    const { page } = wb;
    const onDisk = readFileSync(join(wb.folder, 'src/cart.js'), 'utf8');
    await editSelection(wb, { line: 18, instruction: 'count the items' });
    const before = await editorText(page);

    const task = wb.panel().locator('.task').first();
    const regressed = task.locator('.candidate[data-verdict="regressed"]');
    await regressed.waitFor({ timeout: 180_000 });
    await expectText(regressed.locator('.badge'), 'regressed');
    await expectText(regressed.locator('.failing'), 'itemCount counts quantities');
    await expectText(regressed.locator('.verdict-summary'), 'passed before');
    await expectText(regressed.locator('.failure-output'), 'itemCount');
    assert.equal(await regressed.locator('button', { hasText: 'Accept' }).count(), 0, 'no Accept for a regressed candidate');
    assert.equal(await regressed.locator('button', { hasText: 'Open Diff' }).count(), 1, 'it can still be inspected');
    await expectText(task.locator('.task-head .badge'), 'not verified', 180_000);
    // Said once: one card for the three identical attempts, one plain sentence, no jargon.
    assert.equal(await task.locator('.candidate').count(), 1, 'one card, not three');
    await expectText(regressed.locator('.candidate-head'), 'attempts 1–3 wrote the same edit');
    assert.equal(await task.locator('.outcome-message').innerText(), 'No attempt passed your tests: all 3 attempts wrote the same edit.');
    assert.doesNotMatch(await task.innerText(), /round\(s\)|NOT verified|regressed:|not-fixed:/, 'no jargon');
    assert.equal(await task.locator('button', { hasText: 'Apply unverified…' }).count(), 1, 'one "Apply unverified…"');
    // Paths are the user's own: no temp folder in the output, and runner-internal frames are folded.
    const output = await regressed.locator('.failure-output').innerText();
    assert.doesNotMatch(output, /qwq-shadow-|\/tmp\//, 'no shadow paths');
    assert.equal(await regressed.locator('button', { hasText: 'Apply unverified…' }).count(), 1, 'applying it is explicit and separate');
    await regressed.locator('.failure-output').scrollIntoViewIfNeeded();
    await wb.screenshot('flow6-regressed');
    assert.equal(await editorText(page), before, 'the file was not touched');
    assert.equal(readFileSync(join(wb.folder, 'src/cart.js'), 'utf8'), onDisk, 'nor its copy on disk');

    // A failure's file:line opens the user's test file at that line.
    const link = regressed.locator('.failure-output button.file-link', { hasText: /^test\/cart\.test\.js:\d+/ }).first();
    const where = await link.innerText();
    const line = Number(/:(\d+)/.exec(where)![1]);
    await link.click();
    await page.locator('.tabs-container .tab.active', { hasText: 'cart.test.js' }).waitFor({ timeout: 15_000 });
    await page.locator('.statusbar-item', { hasText: `Ln ${line},` }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('flow6-link-opened');
  }));

  test('11. an edit that never applied: the card says why, offers no Reject, never says "verifying…"; a notification says so', () => flow(wb, 'flow11', async () => {
    await editSelection(wb, { line: 14, instruction: `treat discountPercent as a percentage, ${MISS_WORD}` });
    const task = wb.panel().locator('.task').first();
    await expectText(task.locator('.task-head .badge'), 'no edit', 180_000);
    const card = task.locator('.candidate').first();
    await expectText(card.locator('.badge'), 'did not apply');
    await expectText(card.locator('.verdict-summary'), 'never applied');
    assert.equal(await card.locator('button', { hasText: 'Reject' }).count(), 0, 'nothing to reject');
    assert.equal(await card.locator('button', { hasText: /^Accept$/ }).count(), 0);
    assert.equal(await task.locator('text=verifying…').count(), 0, 'a finished task never says verifying');
    await wb.notifications().filter({ hasText: 'none of its attempts applied' }).first().waitFor({ timeout: 20_000 });
    await wb.screenshot('flow11-failed');
  }));
});
