// `npm start` as a user runs it (forced onto code-server, on a free port): it serves a workbench with the
// packaged extension installed and active, and Ctrl+C (SIGINT) stops the server and exits 0.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, killGroup, launchChromium } from '../../scripts/code-server.mjs';
import { ensureVsix, EXTENSION_ID, SCREENSHOT_DIR } from './harness';
import { root } from '../../scripts/package.mjs';

test('npm start serves a workbench with the extension active; Ctrl+C stops it', async () => {
  ensureVsix(); // start.mjs reuses it (--no-build: `npm test` has just built out/)
  const port = await freePort();
  const tmp = mkdtempSync(join(tmpdir(), 'qwq-e2e-start-'));
  const child = spawn(process.execPath, ['scripts/start.mjs', '--code-server', '--no-build', '--port', String(port), '--profile', join(tmp, 'profile')], {
    cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const browser = await launchChromium();
  try {
    const deadline = Date.now() + 180_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline && child.exitCode === null) {
      url = out.match(/running in code-server: (http:\/\/127\.0\.0\.1:\d+\/\S*)/)?.[1];
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(url, `start.mjs printed no URL:\n${out.slice(-2000)}`);
    assert.ok(url.startsWith(`http://127.0.0.1:${port}/`), url);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    const qwq = page.locator('.part.activitybar [aria-label^="QwQ Coder"]').first();
    await qwq.waitFor({ state: 'visible', timeout: 90_000 });
    await qwq.click();
    const panel = page.frameLocator(`iframe.webview[src*="extensionId=${EXTENSION_ID}"]`).frameLocator('#active-frame');
    await panel.locator('.composer textarea').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'start.png') });

    process.kill(child.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 20_000))]);
    assert.equal(code, 0, `start.mjs exit after SIGINT: ${code}\n${out.slice(-1000)}`);
    const stillUp = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
    assert.equal(stillUp, false, 'code-server still answers after Ctrl+C');
  } finally {
    await browser.close().catch(() => {});
    // start.mjs leads its own group (detached); its code-server leads another (setsid): stop both.
    const serverGroup = Number(out.match(/code-server process group (\d+)/)?.[1] ?? 0);
    killGroup(child.pid!, 'SIGKILL');
    if (serverGroup) killGroup(serverGroup, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    rmSync(tmp, { recursive: true, force: true });
  }
});
