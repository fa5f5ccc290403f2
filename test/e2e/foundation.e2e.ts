// The foundation as a person sees it: the packaged .vsix installed into code-server, the palette runs a
// QwQ command, the reasoning panel shows its own UI, and "QwQ: Show Log" shows the activation line.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureVsix, expectText, waitUntil, withWorkbench } from './harness';
import { installVsix, makeProfile, node24Bin } from '../../scripts/code-server.mjs';

test('palette opens the reasoning panel, which shows its own UI; Show Log shows the activation line', async () => {
  await withWorkbench({ flow: 'foundation' }, async (wb) => {
    await wb.runCommand('QwQ: Open Reasoning Panel', { screenshot: 'palette' });
    const panel = wb.panel();
    await panel.locator('.composer textarea').waitFor({ timeout: 30_000 });
    // The extension answered the webview's `ready` with a snapshot: a model line (its wording depends on the
    // configured model's state) and the version footer.
    await expectText(panel.locator('.model-state'), /model|Model|Ready|Loading|Downloading|Working/);
    const version = JSON.parse(execFileSync(process.execPath, ['-p', 'JSON.stringify(require("./package.json").version)'], { encoding: 'utf8' }));
    await expectText(panel.locator('footer'), `qwq-coder ${version}`);
    await wb.screenshot('panel');

    await wb.runCommand('QwQ: Show Log');
    let text = '';
    await waitUntil(async () => /QwQ Coder \S+ activated/.test(text = await wb.outputText().catch(() => '')), 'the log shows the activation line').catch(() => {});
    await wb.screenshot('log');
    assert.match(text, /QwQ Coder \S+ activated/, `the Output view shows: ${text.slice(0, 300)}`);
  });
});

test('the packaged .vsix carries node-llama-cpp with a linux-x64 binary that loads', async () => {
  const vsix = ensureVsix();
  const profile = makeProfile();
  installVsix(vsix, profile);
  const [dir] = readdirSync(profile.extensionsDir).filter((d) => d.startsWith(`qwq-coder.qwq-coder-`));
  assert.ok(dir, `installed into ${profile.extensionsDir}`);
  const ext = join(profile.extensionsDir, dir);
  for (const p of ['out/extension.js', 'media/webview.js', 'node_modules/web-tree-sitter', 'node_modules/diff', 'node_modules/ignore', 'node_modules/@node-llama-cpp/linux-x64']) {
    assert.ok(existsSync(join(ext, p)), `${p} is in the installed extension`);
  }
  assert.ok(!existsSync(join(ext, 'src')), 'sources are not shipped');
  assert.ok(!existsSync(join(ext, 'node_modules/@node-llama-cpp/linux-x64-cuda-ext')), 'CUDA binaries are not shipped');
  // Load it with code-server's own Node, from the installed copy: proves the runtime deps resolve inside the vsix.
  const script = `import(${JSON.stringify(join(ext, 'node_modules/node-llama-cpp/dist/index.js'))}).then(async (m) => {
    const llama = await m.getLlama({ gpu: false, build: 'never', maxThreads: 1, logLevel: 'error' });
    console.log('loaded', llama.gpu === false ? 'cpu' : llama.gpu); await llama.dispose(); })`;
  const out = execFileSync(node24Bin, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
  assert.match(out, /loaded cpu/);
});
