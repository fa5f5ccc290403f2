// The reasoning panel's real bundle in a plain chromium page, without a workbench: the page plays the
// extension's side of the protocol and records what the panel posts back (panel.e2e.ts, conversation.e2e.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { root } from '../../scripts/package.mjs';

// A dark theme's variables, as VS Code sets them on a webview's <html> (a subset: enough to read the layout).
export const THEME = `:root{--vscode-font-family:sans-serif;--vscode-font-size:13px;--vscode-foreground:#ccc;--vscode-editor-font-family:monospace;
--vscode-editor-font-size:14px;--vscode-sideBar-background:#252526;--vscode-editor-background:#1e1e1e;--vscode-button-background:#0e639c;
--vscode-button-foreground:#fff;--vscode-button-secondaryBackground:#3a3d41;--vscode-button-secondaryForeground:#fff;
--vscode-textCodeBlock-background:#2d2d2d;--vscode-descriptionForeground:#999;--vscode-testing-iconPassed:#73c991;--vscode-testing-iconFailed:#f14c4c;
--vscode-editorWarning-foreground:#cca700;--vscode-errorForeground:#f48771;--vscode-badge-background:#4d4d4d;--vscode-badge-foreground:#fff;
--vscode-diffEditor-insertedLineBackground:rgba(155,185,85,.2);--vscode-diffEditor-removedLineBackground:rgba(255,0,0,.2);
--vscode-textLink-foreground:#3794ff;--vscode-list-activeSelectionBackground:#04395e;--vscode-list-activeSelectionForeground:#fff;--vscode-input-background:#3c3c3c;--vscode-input-foreground:#ccc;--vscode-widget-border:#444}
body{background:#252526}`;

/** The extension's side: acquireVsCodeApi records what the panel posts. */
// `__name`: tsx keeps function names in the callbacks page.evaluate sends, through this helper.
export const STUB = 'window.__name = (f) => f; window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m), getState: () => undefined, setState: () => undefined });';


export interface Posted { type: string; payload: Record<string, unknown> }

/** A 300 px page with the panel's bundle and CSS loaded; page errors are collected in `errors`. */
export async function openPanelPage(browser: Browser, width = 300, height = 700): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const css = readFileSync(join(root, 'media', 'panel.css'), 'utf8');
  const js = readFileSync(join(root, 'media', 'webview.js'), 'utf8');
  await page.setContent(`<!DOCTYPE html><html><head><style>${THEME}${css}</style></head><body><main id="app"></main><script>${STUB}</script><script>${js}</script></body></html>`);
  return { page, errors };
}

/** What the panel posted so far, of one type. */
export function posted(page: Page, type: string): Promise<Posted[]> {
  return page.evaluate((t) => (window as unknown as { posted: Posted[] }).posted.filter((m) => m.type === t), type);
}

/**
 * Plays the extension: sends a message to the panel, and resolves once the panel handled it and drew the next
 * frame (a listener added after the panel's runs after it; the panel renders on requestAnimationFrame).
 */
export async function send(page: Page, msg: unknown): Promise<void> {
  await page.evaluate((m) => new Promise<void>((resolve) => {
    window.addEventListener('message', () => requestAnimationFrame(() => resolve()), { once: true });
    window.postMessage(m, '*');
  }), msg);
}
