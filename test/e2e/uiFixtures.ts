// Scripted models (test fixtures, real GGUF weights run by the real llama.cpp) for the UI flows, built on the
// scenario writer: each answers a thinking chat with a plan, a grammar call with an edit, and a FIM request
// (the prompt ends in <|fim_middle|>) with a fixed completion for the ghost-text flow.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeScenarioModel } from '../fixtures/scenarios/scenarioModel';
import { MISSING_EDIT, scenarios } from '../fixtures/scenarios/cartScenarios';
import { NO_THINK_TRIGGER, THINK_TRIGGER } from '../fixtures/scenarios/scenarioModel';
import type { Page } from 'playwright-core';
import { root } from '../../scripts/package.mjs';
import { normalize, type Workbench } from './harness';

/** What the scripted model types as ghost text after `const answer = `. */
export const GHOST_TEXT = '42;';
const fim = { trigger: '<|fim_middle|>', output: GHOST_TEXT };

export function writeUiModels(): { fix: string; breaking: string } {
  const dir = join(root, 'test-results', 'e2e-models');
  mkdirSync(dir, { recursive: true });
  const fix = join(dir, 'scripted-ui-fix.gguf');
  writeScenarioModel(fix, [...scenarios.fix, fim]);
  const breaking = join(dir, 'scripted-ui-break.gguf');
  // Only the breaking edit: with qwq.agent.maxRounds = 1 the task ends on a regressed candidate.
  writeScenarioModel(breaking, scenarios.breakThenFix.filter((b) => !b.marker));
  return { fix, breaking };
}

/** A word the user types in a follow-up (flow 8); only then does the scripted model plan the refinement. */
export const REFINE_WORD = 'NEGATIVE';
/** A word of an Explain follow-up (flow 9). */
export const WHY_WORD = 'WHY';
/** What the refinement writes: on top of the verified fix, a total never goes below zero. */
export const REFINED_LINE = '  return Math.max(0, sub - (sub * discountPercent) / 100);';

/**
 * The review flows' scripted model: the fix (as in flow 1); a follow-up that names NEGATIVE gets a REFINED plan
 * and an edit that applies on top of the fix (the follow-up's files hold the earlier candidate); an Explain
 * follow-up with WHY gets its own answer.
 */
export function writeReviewModel(): string {
  const dir = join(root, 'test-results', 'e2e-models');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'scripted-ui-review.gguf');
  const refine = JSON.stringify({ edits: [{ path: 'src/cart.js', search: '  return sub - (sub * discountPercent) / 100;', replace: REFINED_LINE }] });
  writeScenarioModel(path, [
    ...scenarios.fix,
    { trigger: THINK_TRIGGER, marker: ` ${REFINE_WORD}`, output: 'Keep the percentage fix and clamp at zero.\n</think>Plan REFINED: in src/cart.js total, return Math.max(0, …) so a discount over 100 percent gives 0.' },
    { trigger: THINK_TRIGGER, marker: ` ${WHY_WORD}`, output: 'The caller passes 10 for ten percent.\n</think>Because discountPercent is a percentage from 0 to 100, it is divided by 100 before it is applied.' },
    { trigger: NO_THINK_TRIGGER, marker: ' REFINED', output: refine },
    fim,
  ]);
  return path;
}

/** Only an edit that cannot apply (flow 11: with qwq.agent.maxRounds = 1 the task ends with no edit). */
export function writeMissModel(): string {
  const dir = join(root, 'test-results', 'e2e-models');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'scripted-ui-miss.gguf');
  writeScenarioModel(path, [scenarios.fix[0], { trigger: NO_THINK_TRIGGER, output: MISSING_EDIT }]);
  return path;
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
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
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

