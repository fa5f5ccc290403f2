#!/usr/bin/env node
// Bundles every entry point with esbuild: the extension and the CLI (node, CommonJS), the model worker
// (node, forked as a child process), and the webview (browser). `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { nodeExternals } from './bundleExternals.mjs';
import { cpSync, mkdirSync, chmodSync, readFileSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

const node = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, external: nodeExternals, logLevel: 'warning' };

/** One line per entry point. */
export const entries = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'out' },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'out', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: { llamaWorker: 'src/core/model/worker/llamaWorkerMain.ts' }, outdir: 'out' },
  { ...node, entryPoints: { contextWorker: 'src/core/context/analysisWorker.ts' }, outdir: 'out' },
  { bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: true, entryPoints: { webview: 'src/webview/main.ts' }, outdir: 'media', logLevel: 'warning' },
];

/** Files copied next to the bundles (wasm grammars, queries). */
function copyAssets() {
  mkdirSync(join(root, 'out'), { recursive: true });
  cpSync(join(root, 'src/core/context/queries'), join(root, 'out/queries'), { recursive: true });
  // Tree-sitter grammars (src/core/syntax/grammars.json) next to the bundles: the .vsix needs only these.
  mkdirSync(join(root, 'out/grammars'), { recursive: true });
  for (const { pkg, file } of Object.values(JSON.parse(readFileSync(join(root, 'src/core/syntax/grammars.json'), 'utf8')))) {
    cpSync(join(root, 'node_modules', pkg, file), join(root, 'out/grammars', basename(file)));
  }
}

const started = Date.now();
copyAssets();
if (watch) {
  for (const e of entries) await (await esbuild.context({ absWorkingDir: root, ...e })).watch();
  console.log('build: watching');
} else {
  await Promise.all(entries.map((e) => esbuild.build({ absWorkingDir: root, ...e })));
  chmodSync(join(root, 'out/cli.js'), 0o755);
  console.log(`build: ${entries.length} bundles in ${Date.now() - started} ms`);
}
