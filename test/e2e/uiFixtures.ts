// The UI flows' scripted models (test fixtures, real GGUF weights run by the real llama.cpp): the sample's models
// from test/fixtures/scenarios/sampleModels.ts (which `npm run demo-models` writes too), into test-results/.
import { join } from 'node:path';
import * as sample from '../fixtures/scenarios/sampleModels';
import type { Page } from 'playwright-core';
import { root } from '../../scripts/package.mjs';
import { normalize, type Workbench } from './harness';

export { GHOST_TEXT, REFINE_WORD, WHY_WORD, REFINED_LINE, BOTH_WORD, DOC_LINE } from '../fixtures/scenarios/sampleModels';

const modelsDir = (): string => join(root, 'test-results', 'e2e-models');

export function writeUiModels(): { fix: string; breaking: string } {
  return { fix: sample.writeFixModel(modelsDir()), breaking: sample.writeBreakingModel(modelsDir()) };
}

/** The review flows' model: the fix, a NEGATIVE refinement, a WHY explanation (sampleModels.writeReviewModel). */
export function writeReviewModel(): string {
  return sample.writeReviewModel(modelsDir());
}

/** Only an edit that cannot apply (flow 11: with qwq.agent.maxRounds = 1 the task ends with no edit). */
export function writeMissModel(): string {
  return sample.writeMissModel(modelsDir());
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
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  // Quick Open closes when an editor takes focus as it opens (the walkthrough, shown again a few seconds after
  // activation, did in flow 12): open it again, up to 3 times, rather than wait 30 s on a closed widget.
  for (let i = 0; ; i++) {
    await page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    const filled = await input.fill(name, { timeout: 5_000 }).then(() => true, () => false);
    if (filled && await row.waitFor({ timeout: 15_000 }).then(() => true, () => false)) break;
    if (i === 2) throw new Error(`Quick Open never listed ${name}`);
    await page.keyboard.press('Escape');
  }
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

export function editorText(page: Page): Promise<string> {
  return page.locator('.editor-instance .monaco-editor .view-lines').first().innerText().then(normalize);
}

export async function waitForEditorText(page: Page, pred: (t: string) => boolean, what: string, ms = 20_000): Promise<string> {
  const end = Date.now() + ms;
  let t = '';
  while (Date.now() < end) {
    t = await editorText(page).catch(() => '');
    if (pred(t)) return t;
    await page.waitForTimeout(200);
  }
  throw new Error(`${what}; the editor shows: ${t.slice(0, 400)}`);
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

