// The reasoning panel's real bundle (media/webview.js, media/panel.css) in Debian's chromium, without a
// workbench: a page that plays the extension's side of the protocol (snapshot, state) and records what the
// panel posts back. It checks the layout rules at the width of a narrow side bar (300 px): the diff keeps its
// lines and scrolls sideways, nothing else makes the page scroll sideways, the card's actions stay in view,
// test-output links post the user's own path, and every verdict reads in words. Screenshots:
// panel-narrow-*.png in test-results/screenshots/.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/code-server.mjs';
import { SCREENSHOT_DIR } from './harness';
import { openPanelPage } from './panelPage';
import type { PanelEvent } from '../../src/protocol/panelState';
import { emptyPanelState, reduceAll } from '../../src/protocol/panelState';

const LONG = 'const discounted = items.map((item) => ({ ...item, price: item.price - (item.price * discountPercent) / 100 }));';
const DIFF = `--- a/src/cart.js\n+++ b/src/cart.js\n@@ -12,4 +12,4 @@\n /** Subtotal minus a percentage discount (0-100). */\n function total(items, discountPercent) {\n   const sub = subtotal(items);\n-  return sub - sub * discountPercent;\n+  ${LONG}\n`;
const FAILURE = `● cart itemCount counts quantities\nAssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n2 !== 3\n\n    at TestContext.<anonymous> (test/cart.test.js:17:10)\n    … 3 runner frames hidden\n`;

function events(): PanelEvent[] {
  const t = 'task-1';
  return [
    { type: 'task-started', taskId: t, kind: 'edit-selection', instruction: 'treat discountPercent as a percentage (0-100)', files: ['src/cart.js'], maxRounds: 3, at: 1_000 },
    { type: 'phase', taskId: t, phase: 'plan', round: 1, at: 2_000 },
    { type: 'thought', taskId: t, text: 'The test expects 540 for a 10 percent discount on 600.' },
    { type: 'plan', taskId: t, text: 'In src/cart.js, make total divide the discount percentage by 100.' },
    { type: 'candidate', taskId: t, candidate: { id: 'c1', round: 1, diff: DIFF.replace(LONG, '  return items.length;'), files: ['src/cart.js'], verdict: 'regressed', reason: '1 test that passed before fails with this edit: cart itemCount counts quantities.', newlyFailing: ['cart itemCount counts quantities'], failureOutput: FAILURE } },
    { type: 'test-output', taskId: t, candidateId: 'c1', stream: 'stdout', text: `✖ itemCount counts quantities (test/cart.test.js:17:10)\n` },
    { type: 'candidate', taskId: t, candidate: { id: 'c2', round: 2, diff: '', files: ['src/cart.js'], applyError: 'SEARCH block not found in src/cart.js: did you mean line 15?' } },
    { type: 'candidate', taskId: t, candidate: { id: 'c3', round: 3, diff: DIFF, files: ['src/cart.js'], verdict: 'verified', reason: 'Your tests pass: 3 tests passed before the edit, 3 pass with it, none newly failing; now passing: cart total applies a percentage discount.', newlyPassing: ['cart total applies a percentage discount'] } },
    { type: 'stats', taskId: t, stats: { promptTokens: 1345, completionTokens: 1240, reusedTokens: 1100, tokensPerSecond: 12.3, timeToFirstTokenMs: 310 } },
    { type: 'budget', taskId: t, tokensUsed: 4698, tokenBudget: 120000, elapsedMs: 48_000, timeBudgetMs: 1_800_000 },
    { type: 'task-finished', taskId: t, outcome: 'verified', message: 'Verified (attempt 3 of 3). Your tests pass.', at: 50_000 },
    { type: 'task-started', taskId: 'task-0', kind: 'fix-failing-tests', instruction: '', files: ['test/cart.test.js'], maxRounds: 3, at: 500 },
    { type: 'task-finished', taskId: 'task-0', outcome: 'no-edit', message: 'all tests pass already: nothing to fix', at: 900 },
  ];
}

describe('the reasoning panel at 300 px (real bundle, chromium)', () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
    let errors: string[];
    ({ page, errors } = await openPanelPage(browser));
    // Reorder so the newest task (the verified one) is last, as the extension's state keeps them.
    const list = events();
    const state = reduceAll(emptyPanelState(), [...list.slice(11), ...list.slice(0, 11)]);
    await page.evaluate((s) => {
      window.postMessage({ type: 'snapshot', payload: { model: { kind: 'ready', model: '/models/qwq-32b-q4_k_m.gguf' }, trusted: true, version: '0.1.0', editor: { file: 'src/cart.js', selection: { startLine: 13, endLine: 16 } } } }, '*');
      window.postMessage({ type: 'state', payload: { state: s } }, '*');
    }, state);
    await page.locator('.candidate').first().waitFor({ timeout: 10_000 }).catch(async (e) => { throw new Error(`${e.message}; page errors: ${errors.join(' | ')}; body: ${(await page.content()).slice(0, 300)}`); });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  after(async () => { await browser?.close(); });

  test('the diff keeps its lines and scrolls sideways; the page itself never scrolls sideways', async () => {
    const m = await page.evaluate(() => {
      const pre = document.querySelector<HTMLElement>('.candidate[data-verdict="verified"] pre.diff')!;
      const details = pre.closest('details')!;
      details.open = true;
      return { ws: getComputedStyle(pre).whiteSpace, scroll: pre.scrollWidth > pre.clientWidth, page: document.scrollingElement!.scrollWidth, lines: pre.querySelectorAll('span').length, lineHeight: pre.querySelector('span')!.getBoundingClientRect().height };
    });
    assert.equal(m.ws, 'pre');
    assert.ok(m.scroll, 'a long line scrolls sideways');
    assert.ok(m.page <= 300, `the page is ${m.page} px wide at a 300 px viewport`);
    assert.ok(m.lineHeight < 30, 'one diff line is one row (not wrapped per character)');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'panel-narrow-top.png') });
  });

  test('every card says its verdict in words, with a reason; Accept only on the verified one; no Reject for an edit that never applied', async () => {
    const cards = await page.locator('.candidate').evaluateAll((els) => els.map((e) => ({
      verdict: (e as HTMLElement).dataset.verdict, badge: e.querySelector('.badge')!.textContent, reason: e.querySelector('.verdict-summary')?.textContent ?? '',
      buttons: [...e.querySelectorAll('.card-actions button')].map((b) => b.textContent),
    })));
    const byVerdict = Object.fromEntries(cards.map((c) => [c.verdict, c]));
    assert.deepEqual(Object.keys(byVerdict).sort(), ['not-applied', 'regressed', 'verified']);
    assert.ok(byVerdict.verified.buttons.includes('Accept'));
    assert.ok(!byVerdict.regressed.buttons.includes('Accept'));
    assert.ok(byVerdict.regressed.buttons.includes('Apply unverified…'));
    assert.deepEqual(byVerdict['not-applied'].buttons, [], 'nothing to accept, reject or open');
    assert.match(byVerdict['not-applied'].reason, /never applied/);
    assert.match(byVerdict.regressed.badge ?? '', /regressed/);
    assert.match(cards.map((c) => c.reason).join(' '), /passed before fails/);
    assert.equal(await page.locator('text=verifying…').count(), 0, 'a finished task never says verifying');
    assert.match(await page.locator('.candidate-head').first().innerText(), /attempt 3 of 3/);
  });

  test('the action bar of the card in view stays on screen while its body scrolls past', async () => {
    await page.evaluate(() => {
      document.querySelectorAll('details').forEach((d) => { d.open = true; });
    });
    const card = page.locator('.candidate[data-verdict="regressed"]');
    await card.locator('.verdict-summary').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 40));
    const bar = await card.locator('.card-actions').boundingBox();
    const cardBox = await card.boundingBox();
    assert.ok(bar && cardBox, 'measured');
    assert.ok(bar.y + bar.height <= 700 + 1, `the bar (at ${Math.round(bar.y)}) is within the viewport`);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'panel-narrow-sticky.png') });
  });

  test('a file:line in test output is a link that asks for the user\'s file at that line', async () => {
    const link = page.locator('.failure-output button.file-link').first();
    assert.equal(await link.innerText(), 'test/cart.test.js:17:10');
    await link.click();
    const posted = await page.evaluate(() => (window as unknown as { posted: Array<{ type: string; payload: unknown }> }).posted.filter((m) => m.type === 'openLocation'));
    assert.deepEqual(posted.at(-1)?.payload, { path: 'test/cart.test.js', line: 17, taskId: 'task-1' });
  });

  test('the composer shows the file and selection as pills; removing one and sending posts the rest', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const pills = await page.locator('.pill > span').allInnerTexts();
    assert.deepEqual(pills, ['src/cart.js', 'src/cart.js:13-16']);
    await page.locator('.pill', { hasText: 'src/cart.js:13-16' }).locator('button').click();
    await page.locator('.composer textarea').fill('also handle negative amounts #symbol:total');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'panel-narrow-composer.png') });
    await page.locator('.composer textarea').press('Control+Enter');
    const posted = await page.evaluate(() => (window as unknown as { posted: Array<{ type: string; payload: unknown }> }).posted.filter((m) => m.type === 'submit'));
    const { requestId, ...payload } = posted.at(-1)?.payload as { requestId?: string };
    assert.match(requestId ?? '', /./, 'a submit carries an id the answer refers to');
    assert.deepEqual(payload, { instruction: 'also handle negative amounts', kind: 'edit-selection', pills: [{ kind: 'file', path: 'src/cart.js' }, { kind: 'symbol', symbol: 'total' }] });
  });

  test('history rows show title, outcome and files, filter by search, and each can be removed', async () => {
    // The earlier test opened every fold; the panel keeps them as they are across renders.
    if (!(await page.locator('details[data-key="history"]').evaluate((d) => (d as HTMLDetailsElement).open))) await page.locator('details[data-key="history"] > summary').click();
    const row = page.locator('.history-row').first();
    assert.match(await row.innerText(), /Fix failing tests: test\/cart\.test\.js.*no edit/s);
    await page.locator('.history-search').fill('discount');
    await page.locator('.history-row').first().waitFor({ state: 'detached', timeout: 5_000 });
    assert.equal(await page.locator('.history-row').count(), 0);
    await page.locator('.history-search').fill('');
    await page.locator('.history-row').first().waitFor({ timeout: 5_000 });
    await page.locator('.history-row button[title="Remove from history"]').first().click();
    const posted = await page.evaluate(() => (window as unknown as { posted: Array<{ type: string; payload: unknown }> }).posted.filter((m) => m.type === 'removeTask'));
    assert.deepEqual(posted.at(-1)?.payload, { taskId: 'task-0' });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'panel-narrow-history.png') });
  });
  test('typing in the composer while snapshots stream in keeps focus, the caret, a selection and the scroll: the nodes stay', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = page.locator('.composer textarea');
    await box.fill('fix the total');
    await box.click();
    // The caret goes after "fix "; the box and a card's reason are marked, and the reason's words selected.
    await page.evaluate(() => {
      const t = document.querySelector<HTMLTextAreaElement>('.composer textarea')!;
      t.setSelectionRange(4, 4);
      (t as unknown as { kept: boolean }).kept = true;
      const busy = (i: number) => ({ type: 'snapshot', payload: { model: { kind: 'busy', model: '/models/qwq-32b-q4_k_m.gguf', tokensPerSecond: 10 + i }, trusted: true, version: '0.1.0', editor: { file: 'src/cart.js', selection: { startLine: 13, endLine: 16 } } } });
      let i = 0;
      (window as unknown as { stream: unknown }).stream = setInterval(() => { i += 1; window.postMessage(busy(i), '*'); }, 5);
    });
    await page.keyboard.type('discount in ', { delay: 25 });
    const typed = await page.evaluate(() => {
      const t = document.querySelector<HTMLTextAreaElement>('.composer textarea')!;
      return { focused: document.activeElement === t, kept: (t as unknown as { kept?: boolean }).kept === true, value: t.value, caret: [t.selectionStart, t.selectionEnd], model: document.querySelector('.model-state')!.textContent };
    });
    assert.equal(typed.value, 'fix discount in the total');
    assert.deepEqual(typed.caret, [16, 16], 'the caret stays after what was typed');
    assert.ok(typed.focused, 'the box keeps focus');
    assert.ok(typed.kept, 'the same textarea node: nothing rebuilt it');
    assert.match(typed.model ?? '', /Working: .*tokens\/s/, 'the snapshots did render meanwhile');
    // Reading further down: a selection in a card and the scroll position outlive the renders too.
    const read = await page.evaluate(async () => {
      const reason = document.querySelector('.candidate[data-verdict="verified"] .verdict-summary')!;
      reason.scrollIntoView();
      window.scrollBy(0, -20);
      const y = window.scrollY;
      getSelection()!.selectAllChildren(reason);
      const selected = getSelection()!.toString();
      await new Promise((r) => setTimeout(r, 300));
      clearInterval((window as unknown as { stream: ReturnType<typeof setInterval> }).stream);
      return { y, after: window.scrollY, selected, still: getSelection()!.toString(), model: document.querySelector('.model-state')!.textContent };
    });
    assert.ok(read.y > 0, 'the page was scrolled');
    assert.equal(read.after, read.y, 'the scroll position stays');
    assert.match(read.selected, /Your tests pass/);
    assert.equal(read.still, read.selected, 'the selection stays');
    assert.notEqual(read.model, typed.model, 'and snapshots kept rendering');
  });
});
