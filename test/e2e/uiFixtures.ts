// The UI flows' scripted models (test fixtures, real GGUF weights run by the real llama.cpp): the sample's models
// from test/fixtures/scenarios/sampleModels.ts (which `npm run demo-models` writes too), into test-results/.
import { join } from 'node:path';
import * as sample from '../fixtures/scenarios/sampleModels';
import type { Locator, Page } from 'playwright-core';
import { root } from '../../scripts/package.mjs';
import { expectText, normalize, waitUntil, type Workbench } from './harness';

export { GHOST_TEXT, REFINE_WORD, WHY_WORD, REFINED_LINE, BOTH_WORD, DOC_LINE, MISS_WORD } from '../fixtures/scenarios/sampleModels';

const modelsDir = (): string => join(root, 'test-results', 'e2e-models');

/** The node cart fixture most flows open (a copy of it: openWorkbench copies the folder). */
export const CART = join(root, 'test/fixtures/workspaces/node');

/** The fix at once, plus ghost text (sampleModels.writeFixModel). */
export function writeFixModel(): string {
  return sample.writeFixModel(modelsDir());
}

/** The review flows' model: the fix, a NEGATIVE refinement, a WHY explanation (sampleModels.writeReviewModel). */
export function writeReviewModel(): string {
  return sample.writeReviewModel(modelsDir());
}

/** The regression flows' model: a breaking edit, or with MISS_WORD an edit that never applies (sampleModels.writeFailuresModel). */
export function writeFailuresModel(): string {
  return sample.writeFailuresModel(modelsDir());
}

/** Settings every UI flow shares: the scripted model, one thread (docs/architecture.md §8), a small context. */
export function modelSettings(model: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'qwq.model.source': model, 'qwq.inline.model': model, 'qwq.model.threads': 1, 'qwq.model.contextSize': 16384, 'qwq.inline.debounceMs': 50,
    'editor.inlineSuggest.enabled': true, 'files.autoSave': 'off', 'workbench.tips.enabled': false,
    ...extra,
  };
}

// ---- page helpers shared by the UI flows ----

export async function openFile(page: Page, name: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const rows = page.locator('.quick-input-list .monaco-list-row');
  const labels = (): Promise<string[]> => rows.locator('.label-name').allTextContents().catch(() => []);
  // Quick Open closes when an editor takes focus as it opens (the walkthrough, shown again a few seconds after
  // activation, did in flow 12): open it again, up to 3 times, rather than wait 30 s on a closed widget.
  let index = -1;
  for (let i = 0; ; i++) {
    await page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    const filled = await input.fill(name, { timeout: 5_000 }).then(() => true, () => false);
    // The row named exactly `name`, once the list stopped changing: a file opened recently (cart.test.js after
    // flow 6, which fuzzy-matches "cart.js") is ranked above it, and results arrive in more than one batch.
    let last = '';
    const settled = filled && await waitUntil(async () => {
      const now = await labels();
      const same = now.join('\n') === last;
      last = now.join('\n');
      index = now.indexOf(name);
      return same && index >= 0;
    }, `Quick Open lists ${name}`, { timeout: 15_000, interval: 300 }).then(() => true, () => false);
    if (settled) break;
    if (i === 2) throw new Error(`Quick Open never listed ${name}`);
    // Escape only into Quick Open: sent to a walkthrough that took the focus, it goes back to the generic page.
    if (await input.isVisible()) await input.press('Escape');
  }
  for (let k = 0; k < index; k++) await input.press('ArrowDown');
  await expectText(rows.and(page.locator('.focused')).locator('.label-name'), name, 5_000);
  await input.press('Enter');
  await page.locator(`.tabs-container .tab.active`, { hasText: name }).waitFor({ timeout: 15_000 });
  await quickInputClosed(page);
}

/** Waits until the quick input closed after Enter. Without it the next runCommand can see the closing widget
 *  as open, skip F1 and wait on an input that is going away (this cost 30 s per flow). */
async function quickInputClosed(page: Page): Promise<void> {
  await page.locator('.quick-input-widget input').waitFor({ state: 'hidden', timeout: 10_000 });
}

export async function goToLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}`);
  // Enter before the widget has read the text does nothing (seen under load): wait for its "go to line" row,
  // and press Enter again if the widget is still open.
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 10_000 }).catch(() => {});
  await input.press('Enter');
  try {
    await page.locator('.quick-input-widget input').waitFor({ state: 'hidden', timeout: 3_000 });
  } catch {
    if (await input.isVisible()) await input.press('Enter').catch(() => {});
    await quickInputClosed(page);
  }
}

/** Puts the keyboard focus in the active editor's text. */
export async function focusEditor(page: Page): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
}

/** Ctrl+Z in the active editor, then waits until its text passes `restored`. */
export async function undoInEditor(page: Page, restored: (t: string) => boolean, what: string): Promise<string> {
  await focusEditor(page);
  await page.keyboard.press('Control+Z');
  return waitForEditorText(page, restored, what);
}

export function editorText(page: Page): Promise<string> {
  return page.locator('.editor-instance .monaco-editor .view-lines').first().innerText().then(normalize);
}

export async function waitForEditorText(page: Page, pred: (t: string) => boolean, what: string, ms = 20_000): Promise<string> {
  let t = '';
  await waitUntil(async () => pred(t = await editorText(page).catch(() => '')), what, { timeout: ms }).catch(() => {
    throw new Error(`${what}; the editor shows: ${t.slice(0, 400)}`);
  });
  return t;
}

/**
 * "QwQ: Edit Selection…" on src/cart.js: selects `extend` lines down from `line`, runs the command and sends
 * `instruction`. With `screenshots`, saves `<screenshots>-palette.png` and `<screenshots>-instruction.png`.
 */
export async function editSelection(wb: Workbench, o: { line: number; extend?: number; instruction: string; screenshots?: string }): Promise<void> {
  const { page } = wb;
  await openFile(page, 'cart.js');
  await goToLine(page, o.line);
  for (let i = 0; i < (o.extend ?? 0); i++) await page.keyboard.press('Shift+ArrowDown');
  await wb.runCommand('QwQ: Edit Selection…', { screenshot: o.screenshots && `${o.screenshots}-palette` });
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(o.instruction);
  if (o.screenshots) await wb.screenshot(`${o.screenshots}-instruction`);
  await input.press('Enter');
}

/** The instruction of the cart's discount fix (the fix model's plan and edit answer it). */
export const FIX_INSTRUCTION = 'treat discountPercent as a percentage (0-100)';

/**
 * After the cart's discount fix was asked for: the plan's thought streams, then the newest task shows a
 * verified candidate whose diff divides by 100. Returns that candidate.
 */
export async function expectVerifiedFix(wb: Workbench): Promise<Locator> {
  const panel = wb.panel();
  await expectText(panel.locator('pre.thought').first(), 'The test expects 540', 120_000);
  const verified = panel.locator('.task').first().locator('.candidate[data-verdict="verified"]');
  await verified.waitFor({ timeout: 180_000 });
  await expectText(verified.locator('.badge'), 'verified');
  await expectText(verified.locator('pre.diff'), '/ 100');
  return verified;
}

/** The walkthrough as the Welcome tab shows it: its container, and whether a step (by title) is ticked. */
export function walkthrough(page: Page): { view: Locator; isDone(title: string): Promise<boolean>; waitDone(title: string, what: string, ms?: number): Promise<void> } {
  const view = page.locator('.gettingStartedContainer');
  const step = (title: string) => view.locator('.getting-started-step', { hasText: title }).first();
  // A completed step shows the filled check icon (codicon-pass-filled) in place of the empty circle.
  const isDone = async (title: string) => (await step(title).locator('.codicon-pass-filled, .codicon.complete, .complete').count()) > 0
    || /\bcomplete\b/.test((await step(title).getAttribute('class', { timeout: 1_000 }).catch(() => null)) ?? '');
  return {
    view, isDone,
    async waitDone(title, what, ms = 30_000) { await waitUntil(() => isDone(title), what, { timeout: ms, interval: 500 }); },
  };
}

/** Runs a flow step; on failure saves <name>-failure.png and closes stray widgets so the next flow starts clean. */
export async function flow(wb: Workbench, name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    await wb.screenshot(`${name}-failure`).catch(() => {});
    await wb.page.keyboard.press('Escape').catch(() => {});
    throw e;
  }
}

