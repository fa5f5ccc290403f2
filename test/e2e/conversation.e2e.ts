// The panel as a conversation, on the real bundle (media/webview.js, media/panel.css) in chromium at 300 px,
// with the page playing the extension (panelPage.ts): a three-round regression that wrote the same edit shows
// one card with one plain sentence; thinking and plan come before the result, folded; test output wraps at
// spaces; the composer's placeholder fits and its hint says "Ctrl+Enter sends"; a thread of three edit turns and
// an explanation thread continue in place; a queued task shows with its own Cancel; #file: completes while
// typing and becomes a pill; text typed survives a refusal. Screenshots: conversation-*.png.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/code-server.mjs';
import { SCREENSHOT_DIR } from './harness';
import { openPanelPage, posted, send } from './panelPage';
import type { PanelEvent } from '../../src/protocol/panelState';
import { emptyPanelState, reduceAll } from '../../src/protocol/panelState';

const DIFF = '--- a/src/cart.js\n+++ b/src/cart.js\n@@ -20,3 +20,3 @@\n function itemCount(items) {\n-  return items.reduce((n, item) => n + item.quantity, 0);\n+  return items.length;\n }\n';
const DIFF2 = DIFF.replace('items.length', 'Math.max(0, items.length)');
const DIFF3 = DIFF.replace('items.length', 'items.filter(Boolean).length');
const FAILURE = '● test/cart.test.js::itemCount counts quantities\nAssertionError [ERR_ASSERTION]: Expected values to be strictly equal: the number of items in the cart including their quantities should be three\n\n2 !== 3\n\n    at TestContext.<anonymous> (test/cart.test.js:17:10)\n';
const REASON = 'regressed: 1 test that passed before fails with this edit: cart itemCount counts quantities';
const SNAPSHOT = { model: { kind: 'ready', model: '/models/qwq-32b-q4_k_m.gguf' }, trusted: true, version: '0.1.0', editor: { file: 'src/cart.js' } };

const regression = (round: number): PanelEvent => ({ type: 'candidate', taskId: 'reg', candidate: { id: `r${round}`, round, diff: DIFF, files: ['src/cart.js'], verdict: 'regressed', reason: REASON, newlyFailing: ['cart itemCount counts quantities'], failureOutput: FAILURE } });

/** A three-round regression: each attempt wrote the same edit; the core's message is today's jargon. */
function regressionEvents(): PanelEvent[] {
  return [
    { type: 'task-started', taskId: 'reg', kind: 'edit-selection', instruction: 'make itemCount faster', files: ['src/cart.js'], maxRounds: 3, at: 1_000 },
    { type: 'phase', taskId: 'reg', phase: 'plan', round: 1, at: 1_100 },
    { type: 'thought', taskId: 'reg', text: 'The reduce could be replaced by the array length.' },
    { type: 'plan', taskId: 'reg', text: 'In src/cart.js, return items.length from itemCount.' },
    regression(1), regression(2), regression(3),
    { type: 'task-finished', taskId: 'reg', outcome: 'unverified', at: 9_000, message: 'no verified edit: 3 round(s) without a verified edit. The best attempt (1 of 3) is NOT verified: regressed: 1 test that passed before fails with this edit: cart itemCount counts quantities', best: { id: 'r1', round: 1, diff: DIFF, files: ['src/cart.js'], verdict: 'regressed', reason: REASON } },
  ];
}

const verifiedTurn = (taskId: string, instruction: string, diff: string, at: number, parent?: string): PanelEvent[] => [
  { type: 'task-started', taskId, kind: 'edit-selection', instruction, files: ['src/cart.js'], maxRounds: 3, at },
  ...(parent ? [{ type: 'task-meta', taskId, parentTaskId: parent, threadId: 'e1', title: instruction } as PanelEvent] : []),
  { type: 'thought', taskId, text: `thinking about: ${instruction}` },
  { type: 'plan', taskId, text: `Plan for: ${instruction}` },
  { type: 'candidate', taskId, candidate: { id: `${taskId}-c1`, round: 1, diff, files: ['src/cart.js'], verdict: 'verified', reason: 'Your tests pass: 3 tests passed before the edit, 3 pass with it.' } },
  { type: 'task-finished', taskId, outcome: 'verified', message: 'Verified (attempt 1 of 3).', at: at + 100, best: { id: `${taskId}-c1`, round: 1, diff, files: ['src/cart.js'], verdict: 'verified' } },
];

/** A thread of three turns on one edit (the first accepted, then undone), then an explanation with a follow-up. */
function conversationEvents(): PanelEvent[] {
  return [
    ...verifiedTurn('e1', 'count items by quantity', DIFF, 10_000),
    { type: 'candidate-resolved', taskId: 'e1', candidateId: 'e1-c1', resolution: 'accepted' },
    { type: 'candidate-resolved', taskId: 'e1', candidateId: 'e1-c1', resolution: 'undone' },
    ...verifiedTurn('e2', 'never return a negative count', DIFF2, 20_000, 'e1'),
    ...verifiedTurn('e3', 'try again without touching Math', DIFF3, 30_000, 'e2'),
    { type: 'task-started', taskId: 'x1', kind: 'explain', instruction: 'what does total do?', files: ['src/cart.js'], at: 40_000 },
    { type: 'task-finished', taskId: 'x1', outcome: 'no-edit', message: 'explained (no edit)', explanation: 'total sums the prices and applies the discount.', at: 40_100 },
    { type: 'task-started', taskId: 'x2', kind: 'explain', instruction: 'and with a 100 percent discount?', files: ['src/cart.js'], at: 50_000 },
    { type: 'task-meta', taskId: 'x2', parentTaskId: 'x1', threadId: 'x1', title: 'and with a 100 percent discount?' },
    { type: 'task-finished', taskId: 'x2', outcome: 'no-edit', message: 'explained (no edit)', explanation: 'Then the total is 0.', at: 50_100 },
  ];
}

async function showState(page: Page, events: PanelEvent[], extra: Record<string, unknown> = {}): Promise<void> {
  await send(page, { type: 'snapshot', payload: { ...SNAPSHOT, ...extra } });
  await send(page, { type: 'state', payload: { state: reduceAll(emptyPanelState(), events) } });
}

describe('the panel as a conversation at 300 px (real bundle, chromium)', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    browser = await launchChromium();
    ({ page, errors } = await openPanelPage(browser));
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  after(async () => {
    assert.deepEqual(errors, [], 'no page errors');
    await browser?.close();
  });

  test('a three-round regression that wrote the same edit shows one card and one plain sentence', async () => {
    await showState(page, regressionEvents());
    await page.locator('.candidate').first().waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('.candidate').count(), 1, 'one card, not three');
    const card = page.locator('.candidate');
    assert.match(await card.locator('.candidate-head').innerText(), /attempts 1–3 wrote the same edit/);
    assert.equal(await card.locator('button', { hasText: 'Reject' }).count(), 1);
    assert.equal(await card.locator('button', { hasText: 'Apply unverified…' }).count(), 1);
    const text = await page.locator('.task').innerText();
    assert.doesNotMatch(text, /round\(s\)|NOT verified|regressed:|not-fixed:|no verified edit/, 'no jargon');
    assert.equal(await page.locator('.outcome-message').innerText(), 'No attempt passed your tests: all 3 attempts wrote the same edit.');
    assert.equal((text.match(/1 test that passed before fails with this edit/g) ?? []).length, 1, 'the reason is said once');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'conversation-regression-one-card.png'), fullPage: true });
  });

  test('at 300 px: thinking and plan come before the result, folded; test output wraps at spaces; nothing scrolls sideways', async () => {
    const m = await page.evaluate(() => {
      const thoughts = document.querySelector<HTMLDetailsElement>('details[data-key$="/thoughts"]')!;
      const plan = document.querySelector<HTMLDetailsElement>('details[data-key$="/plan"]')!;
      const result = document.querySelector('.outcome-message')!;
      const before = (a: Node, b: Node) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
      // Every word of the failing output sits on one line (a word split mid-way has two rects); a word wider than
      // the block scrolls sideways instead.
      const pre = document.querySelector<HTMLElement>('pre.failure-output')!;
      pre.closest('details')!.open = true;
      const split: string[] = [];
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (const w of n.textContent!.matchAll(/\S+/g)) {
          const r = document.createRange();
          r.setStart(n, w.index!);
          r.setEnd(n, w.index! + w[0].length);
          const tops = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
          if (tops.size > 1) split.push(w[0]);
        }
      }
      return {
        order: before(thoughts, result) && before(plan, result) && before(thoughts, plan),
        folded: !thoughts.open && !plan.open,
        split, lines: pre.getClientRects()[0].height / parseFloat(getComputedStyle(pre).lineHeight || '16'),
        page: document.scrollingElement!.scrollWidth,
      };
    });
    assert.ok(m.order, 'thinking, then plan, then the result');
    assert.ok(m.folded, 'folded once the task is done');
    assert.deepEqual(m.split, [], 'no word of the test output is broken across lines');
    assert.ok(m.page <= 300, `the page is ${m.page} px wide`);
    await page.locator('pre.failure-output').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'conversation-narrow-output.png') });
  });

  test('the composer\'s placeholder fits at 300 px and its hint shows "Ctrl+Enter sends"', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const m = await page.evaluate(() => {
      const fits = (input: HTMLInputElement | HTMLTextAreaElement) => {
        const cs = getComputedStyle(input);
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = `${cs.fontSize} ${cs.fontFamily}`;
        const room = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        return { text: input.placeholder, width: Math.ceil(ctx.measureText(input.placeholder).width), room };
      };
      const hint = document.querySelector<HTMLElement>('.composer-hint')!;
      const r = document.createRange();
      const node = hint.firstChild!;
      const at = node.textContent!.indexOf('Ctrl+Enter sends');
      r.setStart(node, at);
      r.setEnd(node, at + 'Ctrl+Enter sends'.length);
      const rects = [...r.getClientRects()];
      return { composer: fits(document.querySelector('.composer-input')!), followUp: document.querySelector('.followup-input') ? fits(document.querySelector('.followup-input')!) : undefined, hintRects: rects.length, hintRight: Math.max(...rects.map((x) => x.right)) };
    });
    assert.ok(m.composer.width <= m.composer.room, `composer placeholder "${m.composer.text}" is ${m.composer.width} px in ${m.composer.room} px`);
    assert.ok(m.followUp && m.followUp.width <= m.followUp.room, `follow-up placeholder ${JSON.stringify(m.followUp)}`);
    assert.equal(m.hintRects, 1, '"Ctrl+Enter sends" is on one line');
    assert.ok(m.hintRight <= 300, 'and fully in view');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'conversation-narrow-composer.png') });
  });

  test('a thread of three turns on one edit shows every turn in place; the follow-up continues from the file after an undo', async () => {
    await showState(page, conversationEvents());
    // The explanation thread is the newest; open the edit thread from History.
    await page.locator('details[data-key="history"] > summary').click();
    const rows = await page.locator('.history-row .history-title').allInnerTexts();
    assert.deepEqual(rows, ['count items by quantity'], 'History lists threads, not turns');
    await page.locator('.history-row .history-title').first().click();
    const thread = page.locator('.thread[data-thread="e1"]');
    await thread.waitFor({ timeout: 5_000 });
    assert.deepEqual(await thread.locator('.turn').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.task)), ['e1', 'e2', 'e3']);
    assert.match(await thread.locator('.turn').first().innerText(), /accepted, then undone/);
    assert.equal(await page.locator('.followup-input').count(), 1, 'one box, under the last turn');
    await page.locator('.followup-input').fill('and keep the old name');
    await page.locator('.followup-input').press('Enter');
    const fu = (await posted(page, 'followUp')).at(-1)!;
    assert.equal(fu.payload.taskId, 'e3');
    assert.equal(fu.payload.candidateId, 'e3-c1', 'the last turn\'s pending edit is refined in place');
    // Refused (say, the model is not ready): the text stays. Started: it clears.
    await send(page, { type: 'submitResult', payload: { requestId: fu.payload.requestId, started: false } });
    assert.equal(await page.locator('.followup-input').inputValue(), 'and keep the old name');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'conversation-thread-edit.png'), fullPage: true });
    await page.locator('.followup-input').press('Enter');
    const again = (await posted(page, 'followUp')).at(-1)!;
    await send(page, { type: 'submitResult', payload: { requestId: again.payload.requestId, started: true } });
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('.followup-input')?.value === '');
  });

  test('an explanation thread continues as a conversation too', async () => {
    if (!(await page.locator('details[data-key="history"]').evaluate((d) => (d as HTMLDetailsElement).open))) await page.locator('details[data-key="history"] > summary').click();
    await page.locator('.history-row .history-title', { hasText: 'what does total do?' }).click();
    const thread = page.locator('.thread[data-thread="x1"]');
    await thread.waitFor({ timeout: 5_000 });
    assert.equal(await thread.locator('.turn').count(), 2);
    assert.equal(await thread.locator('.explanation').count(), 2, 'the first answer stays above the follow-up\'s');
    await page.locator('.followup-input').fill('what about rounding?');
    await page.locator('.followup-input').press('Enter');
    const fu = (await posted(page, 'followUp')).at(-1)!;
    assert.equal(fu.payload.taskId, 'x2');
    assert.equal(fu.payload.candidateId, undefined);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'conversation-thread-explain.png'), fullPage: true });
  });

  test('a second task while one runs is shown as queued, with its own Cancel', async () => {
    await showState(page, [
      { type: 'task-started', taskId: 'run1', kind: 'implement-function', instruction: 'implement applyCoupon', files: ['src/cart.js'], maxRounds: 3, at: Date.now() },
      { type: 'phase', taskId: 'run1', phase: 'plan', round: 1, at: Date.now() },
      { type: 'task-queued', taskId: 'q1', kind: 'generate-tests', title: 'Generate tests for total', files: ['src/cart.js'] },
    ]);
    const queued = page.locator('.queued[data-queued="q1"]');
    await queued.waitFor({ timeout: 5_000 });
    assert.match(await queued.innerText(), /queued[\s\S]*Generate tests for total/);
    assert.equal(await page.locator('.task-running').count(), 1, 'the running task still runs');
    await queued.locator('button', { hasText: 'Cancel' }).click();
    assert.deepEqual((await posted(page, 'cancelTask')).at(-1)?.payload, { taskId: 'q1' });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'conversation-queued.png') });
  });

  test('#file: completes while typing; the choice becomes a pill and goes with the instruction; a refusal keeps the text', async () => {
    const box = page.locator('.composer-input');
    await box.click();
    await box.pressSequentially('use the helper from #file:dis');
    await page.waitForFunction(() => (window as unknown as { posted: Array<{ type: string; payload: { query?: string } }> }).posted.some((m) => m.type === 'completeMention' && m.payload.query === 'dis'));
    const ask = (await posted(page, 'completeMention')).at(-1)!;
    assert.deepEqual({ kind: ask.payload.kind, query: ask.payload.query }, { kind: 'file', query: 'dis' });
    await send(page, { type: 'mentions', payload: { requestId: ask.payload.requestId, kind: 'file', query: 'dis', items: [{ value: 'src/discount.js' }, { value: 'test/discount.test.js' }] } });
    await page.locator('.mention-item').first().waitFor({ timeout: 5_000 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'conversation-mention-completion.png') });
    await box.press('ArrowDown');
    await box.press('ArrowUp');
    await box.press('Enter');
    await page.locator('.pill[data-pill="file:src/discount.js"]').waitFor({ timeout: 5_000 });
    assert.equal(await page.locator('.mention-list').count(), 0, 'the list closes');
    assert.equal(await box.inputValue(), 'use the helper from');
    await box.press('Control+Enter');
    const sub = (await posted(page, 'submit')).at(-1)!;
    assert.equal(sub.payload.instruction, 'use the helper from');
    assert.deepEqual(sub.payload.pills, [{ kind: 'file', path: 'src/cart.js' }, { kind: 'file', path: 'src/discount.js' }]);
    await send(page, { type: 'submitResult', payload: { requestId: sub.payload.requestId, started: false } });
    assert.equal(await box.inputValue(), 'use the helper from', 'refused: nothing typed is lost');
    assert.equal(await page.locator('.pill[data-pill="file:src/discount.js"]').count(), 1, 'nor the pill');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'conversation-mention-pill.png') });
  });

  test('a card shows the lines the acceptance policy marks, with why, as links', async () => {
    await showState(page, [
      { type: 'task-started', taskId: 'mk', kind: 'edit-selection', instruction: 'fix total', files: ['src/cart.js'], maxRounds: 3, at: 1 },
      { type: 'candidate', taskId: 'mk', candidate: { id: 'mk1', round: 1, diff: DIFF, files: ['src/cart.js', 'test/cart.test.js'], verdict: 'inconclusive', reason: 'The edit changes your tests, so passing them proves less.', marks: [{ path: 'test/cart.test.js', line: 17, kind: 'changes-tests', why: 'an assertion was changed' }] } },
      { type: 'task-finished', taskId: 'mk', outcome: 'unverified', message: 'x', at: 2 },
    ]);
    const mark = page.locator('li.mark-changes-tests');
    await mark.waitFor({ timeout: 5_000 });
    assert.match(await mark.innerText(), /changes your tests\s+test\/cart\.test\.js:17 an assertion was changed/);
    await mark.locator('button.file-link').click();
    assert.deepEqual((await posted(page, 'openLocation')).at(-1)?.payload, { path: 'test/cart.test.js', line: 17, taskId: 'mk' });
  });

  test('"Context used" lists the attached file first, marked attached', async () => {
    await showState(page, [
      { type: 'task-started', taskId: 'm1', kind: 'edit-selection', instruction: 'use the helper', files: ['src/cart.js'], at: 1 },
      { type: 'task-meta', taskId: 'm1', pills: [{ kind: 'file', path: 'src/discount.js' }], title: 'use the helper' },
      { type: 'context', taskId: 'm1', tokens: 300, items: [{ path: 'src/discount.js', startLine: 1, endLine: 12, kind: 'attached' }, { path: 'src/cart.js', startLine: 1, endLine: 30, kind: 'scope' }] },
    ]);
    await page.locator('details[data-key="m1/context"] > summary').click();
    const first = page.locator('ul.context li').first();
    assert.match(await first.innerText(), /src\/discount\.js:1-12 attached/);
  });
  test('a queued follow-up of a thread not on screen waits under that thread\'s title, which opens it; a partly accepted card offers no Open Diff', async () => {
    await showState(page, [
      ...verifiedTurn('e1', 'count items by quantity', DIFF, 10_000),
      { type: 'candidate-resolved', taskId: 'e1', candidateId: 'e1-c1', resolution: 'partial', diff: DIFF, files: ['src/cart.js'] },
      { type: 'task-started', taskId: 'run2', kind: 'edit-selection', instruction: 'implement applyCoupon', files: ['src/cart.js'], maxRounds: 3, at: Date.now() },
      { type: 'task-queued', taskId: 'q2', kind: 'edit-selection', title: 'and round the total', files: ['src/cart.js'], threadId: 'e1' },
    ]);
    const waiting = page.locator('.queue .queued-thread[data-thread="e1"]');
    await waiting.waitFor({ timeout: 5_000 });
    assert.match(await waiting.innerText(), /Follow-up to: count items by quantity[\s\S]*queued[\s\S]*and round the total/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'conversation-queued-follow-up.png'), fullPage: true });
    await waiting.locator('.queued-thread-title').click();
    const thread = page.locator('.thread[data-thread="e1"]');
    await thread.waitFor({ timeout: 5_000 });
    assert.equal(await thread.locator('.queued[data-queued="q2"]').count(), 1, 'in its thread, once on screen');
    assert.equal(await page.locator('.queue').count(), 0, 'and no longer under "Waiting"');
    const card = thread.locator('.candidate');
    assert.match(await card.locator('.candidate-head').innerText(), /partly accepted/);
    assert.equal(await card.locator('button', { hasText: 'Open Diff' }).count(), 0, 'its review is over: nothing left to open');
  });
});
