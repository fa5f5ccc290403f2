// The panel's render cost on a big state: 40 tasks in 10 threads of 4 turns (about 250 events), the newest
// thread running. The real bundle (media/webview.js) runs in chromium with requestAnimationFrame held, so each
// measured step is one message handled plus the frame it schedules, layout included. Steps: a whole state
// (what `ready` or a reload sends; the first one into an empty panel is reported alone), and a streamed thought (what arrives per frame while the model thinks).
// `--baseline=<path to another webview.js>` measures that bundle in the same run and prints the ratios.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../scripts/code-server.mjs';
import { root } from '../scripts/package.mjs';
import { STUB, THEME } from '../test/e2e/panelPage';
import type { PanelEvent } from '../src/protocol/panelState';
import { emptyPanelState, reduceAll } from '../src/protocol/panelState';

const DIFF = (n: number) => `--- a/src/cart.js\n+++ b/src/cart.js\n@@ -20,3 +20,3 @@\n function itemCount(items) {\n-  return items.reduce((n, item) => n + item.quantity, 0);\n+  return items.length + ${n};\n }\n`;

function bigState(): { events: PanelEvent[]; running: string } {
  const events: PanelEvent[] = [];
  let running = '';
  for (let th = 0; th < 10; th++) {
    for (let turn = 0; turn < 4; turn++) {
      const id = `t${th}-${turn}`;
      const at = (th * 4 + turn) * 1000;
      const last = th === 9 && turn === 3;
      events.push({ type: 'task-started', taskId: id, kind: 'edit-selection', instruction: `change ${id} so that it does a thing`, files: ['src/cart.js'], maxRounds: 3, at });
      if (turn > 0) events.push({ type: 'task-meta', taskId: id, parentTaskId: `t${th}-${turn - 1}`, threadId: `t${th}-0`, title: `turn ${turn}` });
      events.push({ type: 'phase', taskId: id, phase: 'plan', round: 1, at });
      events.push({ type: 'thought', taskId: id, text: 'The reduce could be replaced by the array length. '.repeat(20) });
      if (last) { running = id; continue; }
      events.push({ type: 'plan', taskId: id, text: 'In src/cart.js, return items.length from itemCount.' });
      events.push({ type: 'candidate', taskId: id, candidate: { id: `${id}-c1`, round: 1, diff: DIFF(th * 4 + turn), files: ['src/cart.js'], verdict: 'verified', reason: 'Your tests pass.' } });
      events.push({ type: 'test-output', taskId: id, candidateId: `${id}-c1`, stream: 'stdout', text: 'ok 1 - cart total (test/cart.test.js:17:10)\n'.repeat(30) });
      events.push({ type: 'task-finished', taskId: id, outcome: 'verified', message: 'Verified.', at: at + 500, best: { id: `${id}-c1`, round: 1, diff: DIFF(th * 4 + turn), files: ['src/cart.js'], verdict: 'verified' } });
    }
  }
  return { events, running };
}

// requestAnimationFrame is held, so a step's frame runs when the measurement says.
const HOLD_FRAMES = 'window.__frames = []; window.requestAnimationFrame = (cb) => { window.__frames.push(cb); return window.__frames.length; };';

async function measure(bundle: string): Promise<{ first: number; state: number; thought: number; events: number }> {
  const browser = await launchChromium();
  try {
    const page: Page = await browser.newPage({ viewport: { width: 300, height: 700 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const css = readFileSync(join(root, 'media', 'panel.css'), 'utf8');
    await page.setContent(`<!DOCTYPE html><html><head><style>${THEME}${css}</style></head><body><main id="app"></main><script>${STUB}${HOLD_FRAMES}</script><script>${readFileSync(bundle, 'utf8')}</script></body></html>`);
    const { events, running } = bigState();
    const state = reduceAll(emptyPanelState(), events);
    const result = await page.evaluate(({ state, running }) => {
      const w = window as unknown as { __frames: Array<(t: number) => void> };
      const step = (data: unknown): number => {
        const t0 = performance.now();
        window.dispatchEvent(new MessageEvent('message', { data }));
        for (const f of w.__frames.splice(0)) f(t0);
        void document.body.getBoundingClientRect().height; // layout, as the next paint would do
        return performance.now() - t0;
      };
      step({ type: 'snapshot', payload: { model: { kind: 'ready', model: '/m/qwq.gguf' }, trusted: true, version: '0', editor: { file: 'src/cart.js' } } });
      const first = step({ type: 'state', payload: { state } }); // from an empty panel: every node is new
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const states = Array.from({ length: 20 }, () => step({ type: 'state', payload: { state } }));
      const thoughts = Array.from({ length: 200 }, (_, i) => step({ type: 'events', payload: { events: [{ type: 'thought', taskId: running, text: ` token${i}` }] } }));
      return { first, state: median(states), thought: median(thoughts), events: document.querySelectorAll('.turn').length };
    }, { state, running });
    if (errors.length) throw new Error(`page errors: ${errors.join(' | ')}`);
    return result;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const baseline = process.argv.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);
  const current = await measure(join(root, 'media', 'webview.js'));
  const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
  console.log(`webview render, 40 tasks (${current.events} turns in view), first render ${fmt(current.first)}; median: whole state ${fmt(current.state)}, one streamed thought ${fmt(current.thought)}`);
  if (baseline) {
    const before = await measure(baseline);
    console.log(`baseline ${baseline}: first render ${fmt(before.first)}; whole state ${fmt(before.state)}, one streamed thought ${fmt(before.thought)}`);
    console.log(`ratio (this / baseline): first render ${(current.first / before.first).toFixed(2)}, whole state ${(current.state / before.state).toFixed(2)}, one streamed thought ${(current.thought / before.thought).toFixed(2)}`);
  }
}

void main().catch((e: unknown) => { console.error(e); process.exit(1); });
