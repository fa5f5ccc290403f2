// A reusable harness for UI tests on code-server (docs/architecture.md §8): start code-server with a workspace, settings
// and the extension (the packaged .vsix, or the source tree as extensionDevelopmentPath), open the workbench
// in Debian's chromium through playwright-core, drive it (palette, panel webview, output), take screenshots
// into test-results/screenshots/<name>.png, and always stop the server by process group and close chromium.
//
//   await withWorkbench({ flow: 'foundation' }, async (wb) => {
//     await wb.runCommand('QwQ: Open Reasoning Panel', { screenshot: 'palette' });
//     await expectText(wb.panel().locator('h2'), 'QwQ Reasoning');
//   });
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchChromium, remoteAuthority, startCodeServer, workbenchUrl, type CodeServer } from '../../scripts/code-server.mjs';
import { packageVsix, root } from '../../scripts/package.mjs';
import { fixtureWorkspace, writeGeneratedSample } from '../../scripts/sample-workspace.mjs';

export const EXTENSION_ID = 'qwq-coder.qwq-coder';
export const SCREENSHOT_DIR = join(root, 'test-results', 'screenshots');

export interface WorkbenchOptions {
  /** Names the temp dirs and the failure screenshot (`<flow>-failure.png`). */
  flow: string;
  /** The folder to open. It is copied to a temp dir first, so tests may write to it. Default: sampleWorkspace(). */
  folder?: string;
  /** Open `folder` in place instead of a copy. */
  inPlace?: boolean;
  /** User settings, merged over the launcher's defaults (no trust prompt, no welcome page). */
  settings?: Record<string, unknown>;
  /** How the extension gets in: 'vsix' (default: the packaged .vsix, built once per run) or 'source'
   *  (this checkout as extensionDevelopmentPath, through the smoke-test driver's payload). */
  extension?: 'vsix' | 'source';
  /** A specific .vsix to install (implies extension: 'vsix'). */
  vsix?: string;
  /** false keeps Workspace Trust on (Restricted Mode tests). Default true: trust is disabled. */
  trusted?: boolean;
  /** Viewport; screenshots are this size. */
  viewport?: { width: number; height: number };
}

export interface Workbench {
  readonly page: Page;
  readonly browser: Browser;
  readonly server: CodeServer;
  /** The workspace folder as opened by code-server. */
  readonly folder: string;
  /** code-server's own TMPDIR (so the extension's shadow copies land here, apart from any other process's). */
  readonly tmpDir: string;
  /** Saves test-results/screenshots/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Runs a command by its palette title ("QwQ: Open Reasoning Panel"); `screenshot` is taken with the palette open. */
  runCommand(title: string, opts?: { screenshot?: string; timeoutMs?: number }): Promise<void>;
  /** The reasoning panel's webview content (the inner #active-frame of the extension's webview). */
  panel(): FrameLocator;
  /** The text of the visible Output view (e.g. after "QwQ: Show Log"). */
  outputText(): Promise<string>;
  /** Notification toasts. */
  notifications(): Locator;
  /** Closes chromium and stops code-server (process group). Idempotent. */
  close(): Promise<void>;
}

let vsixOnce: string | undefined;
/** The packaged .vsix, built at most once per process and reused across runs while its inputs are unchanged. */
export function ensureVsix(): string {
  vsixOnce ??= packageVsix({ build: !existsSync(join(root, 'out', 'extension.js')), ifStale: true, quiet: false });
  return vsixOnce;
}

/** The node sample workspace from the fixtures if present, else a small generated one (with passing tests). */
export function sampleWorkspace(): string {
  return fixtureWorkspace() ?? writeGeneratedSample(join(root, 'test-results', 'sample-workspace'));
}

/**
 * Polls `probe` until it returns a truthy value, and returns that value (expect.poll-style): the wait ends on the
 * condition, `interval` only paces the polling. On timeout the error names `what` and the last value seen.
 */
export async function waitUntil<T>(probe: () => T | Promise<T>, what: string, { timeout = 30_000, interval = 200 } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const seen = await probe();
    if (seen) return seen as NonNullable<T>;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeout} ms waiting until ${what} (last seen: ${JSON.stringify(seen)?.slice(0, 300)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Waits until a locator's text contains `text` (or matches it); the error names what was seen instead. */
export async function expectText(locator: Locator, text: string | RegExp, timeout = 30_000): Promise<string> {
  const ok = (seen: string) => (typeof text === 'string' ? seen.includes(text) : text.test(seen));
  let seen = '';
  const read = async () => normalize(await locator.first().textContent({ timeout: 1_000 }).catch(() => '') ?? '');
  await waitUntil(async () => ok(seen = await read()), 'the text shows', { timeout, interval: 250 }).catch(() => {
    throw new Error(`expected text ${typeof text === 'string' ? JSON.stringify(text) : String(text)}, saw ${JSON.stringify(seen.slice(0, 500))}`);
  });
  return seen;
}

/** Monaco renders spaces as U+00A0. */
export function normalize(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

export async function openWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  const tmp = mkdtempSync(join(tmpdir(), `qwq-e2e-${opts.flow}-`));
  const source = opts.folder ?? sampleWorkspace();
  const folder = opts.inPlace ? source : join(tmp, 'workspace');
  if (!opts.inPlace) cpSync(source, folder, { recursive: true });
  const fromSource = opts.extension === 'source' && !opts.vsix;
  const serverTmp = join(tmp, 'tmp');
  mkdirSync(serverTmp, { recursive: true });

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  };

  try {
    server = await startCodeServer({
      settings: opts.settings,
      vsix: fromSource ? undefined : (opts.vsix ?? ensureVsix()),
      smokeTestDriver: fromSource,
      disableWorkspaceTrust: opts.trusted !== false,
      env: { TMPDIR: serverTmp },
    });
    let payload: Array<[string, string]> | undefined;
    if (fromSource) {
      const authority = await remoteAuthority(server.url);
      payload = [['extensionDevelopmentPath', `vscode-remote://${authority}${root}`]];
    }
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
    await page.goto(workbenchUrl(server.url, { folder, payload }));
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 90_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
    // The extension's activity-bar entry appears once the extension host has registered its contributions.
    await page.locator('.part.activitybar .action-item a[aria-label^="QwQ Coder"], .part.activitybar .action-item[aria-label^="QwQ Coder"]')
      .first().waitFor({ state: 'attached', timeout: 90_000 }).catch(() => {});

    const wb: Workbench = {
      page, browser, server, folder, tmpDir: serverTmp,
      async screenshot(name) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const path = join(SCREENSHOT_DIR, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      async runCommand(title, o = {}) {
        await runPaletteCommand(page, title, { ...o, screenshot: o.screenshot ? () => wb.screenshot(o.screenshot!) : undefined });
      },
      panel() {
        return page.frameLocator(`iframe.webview[src*="extensionId=${EXTENSION_ID}"]`).frameLocator('#active-frame');
      },
      async outputText() {
        const lines = page.locator('.part.panel .monaco-editor .view-lines');
        await lines.first().waitFor({ state: 'visible', timeout: 30_000 });
        return normalize((await lines.first().innerText()) ?? '');
      },
      notifications() {
        return page.locator('.notification-toast');
      },
      close,
    };
    return wb;
  } catch (e) {
    await close();
    throw e;
  }
}

/** Runs a command by its palette title on any workbench page (see Workbench.runCommand). */
export async function runPaletteCommand(page: Page, title: string, o: { screenshot?: () => Promise<unknown>; timeoutMs?: number } = {}): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  // Right after startup the palette can be slow to take focus, and a command appears only once its
  // extension's contributions are registered: reopen the palette until the row shows, up to the deadline.
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  for (;;) {
    if (!(await input.isVisible())) {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
    }
    // Short timeout: if the widget was closing when isVisible() saw it, retry with F1 instead of waiting 30 s.
    await input.fill(`>${title}`, { timeout: 5_000 }).catch(() => {});
    if (await row.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) break;
    if (Date.now() > deadline) {
      const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts().catch(() => []);
      throw new Error(`the palette has no command "${title}" (it shows: ${JSON.stringify(rows.slice(0, 5))})`);
    }
    // Escape only into the palette: sent to an editor that took the focus, it acts there (a walkthrough goes back).
    if (await input.isVisible()) await input.press('Escape');
  }
  if (o.screenshot) await o.screenshot();
  await input.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
}

/** The reasoning panel's webview content on any workbench page. */
export function panelFrame(page: Page): FrameLocator {
  return page.frameLocator(`iframe.webview[src*="extensionId=${EXTENSION_ID}"]`).frameLocator('#active-frame');
}

/** Opens a workbench, runs `fn`, saves `<flow>-failure.png` if it throws, and always closes everything. */
export async function withWorkbench<T>(opts: WorkbenchOptions, fn: (wb: Workbench) => Promise<T>): Promise<T> {
  const wb = await openWorkbench(opts);
  try {
    return await fn(wb);
  } catch (e) {
    await wb.screenshot(`${opts.flow}-failure`).catch(() => {});
    throw e;
  } finally {
    await wb.close();
  }
}
