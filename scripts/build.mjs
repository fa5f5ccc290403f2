#!/usr/bin/env node
// Bundles every entry point with esbuild: the extension and the CLI (node, CommonJS), the model worker
// (node, forked as a child process), and the webview (browser). `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { nodeExternals } from './bundleExternals.mjs';
import { cpSync, mkdirSync, chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

const node = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, external: nodeExternals, logLevel: 'warning' };

const CLI_CHUNK_PRELUDE = [
  "import { createRequire as __qwqRequire } from 'node:module';",
  "import { fileURLToPath as __qwqPath } from 'node:url';",
  "const __filename = __qwqPath(new URL('../cli.js', import.meta.url));",
  "import { dirname as __qwqDirname } from 'node:path';",
  'const __dirname = __qwqDirname(__filename);',
  'const require = __qwqRequire(__filename);',
].join(' ');

/**
 * out/cli.js: the bin, a CommonJS stub that starts the CLI's ES-module entry (out/cli/bin.mjs). Where Node has a
 * compile cache (22.1 and later) it keeps V8's code for the chunks in the user's cache folder, never a workspace:
 * measured on Node 24, verify reached its first test run about 15 ms sooner (bench/cli.bench.ts); Node 20 has none.
 */
const CLI_STUB = `#!/usr/bin/env node
// qwq-coder's bin: the CLI is ES-module chunks in out/cli/ (scripts/build.mjs), loaded on demand.
const { join } = require('node:path');
try {
  require('node:module').enableCompileCache?.(join(process.env.XDG_CACHE_HOME || join(require('node:os').homedir(), '.cache'), 'qwq-coder', 'compile-cache'));
} catch { /* no cache: only slower */ }
import('./cli/bin.mjs').catch((e) => { process.stderr.write(\`qwq-coder: error: \${e?.stack ?? e}\\n\`); process.exitCode = 1; });
`;

/** One line per entry point. */
export const entries = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'out' },
  // The CLI: ES modules split into chunks under out/cli/, so a command's module and the core it needs are read and
  // compiled only when it runs (src/cli/commands/index.ts); out/cli.js (package.json "bin") is a stub that imports
  // the entry. The chunks see require, __filename and __dirname as the single CommonJS bundle did (out/cli.js), so
  // the workers, grammars and queries are found next to it.
  {
    ...node, format: 'esm', splitting: true, entryPoints: { bin: 'src/cli/bin.ts' }, outdir: 'out/cli', outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]', banner: { js: CLI_CHUNK_PRELUDE },
  },
  { ...node, entryPoints: { llamaWorker: 'src/core/model/worker/llamaWorkerMain.ts' }, outdir: 'out' },
  { ...node, entryPoints: { contextWorker: 'src/core/context/analysisWorker.ts' }, outdir: 'out' },
  { bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: true, entryPoints: { webview: 'src/webview/main.ts' }, outdir: 'media', logLevel: 'warning' },
];

/** Files copied next to the bundles (wasm grammars, queries). */
function copyAssets() {
  mkdirSync(join(root, 'out'), { recursive: true });
  // The CLI's chunks have content hashes in their names: last build's would pile up (and ship) beside the new ones.
  rmSync(join(root, 'out/cli'), { recursive: true, force: true });
  rmSync(join(root, 'out/cli.js.map'), { force: true });
  cpSync(join(root, 'src/core/context/queries'), join(root, 'out/queries'), { recursive: true });
  // Tree-sitter grammars (src/core/syntax/grammars.json) next to the bundles: the .vsix needs only these.
  mkdirSync(join(root, 'out/grammars'), { recursive: true });
  for (const { pkg, file } of Object.values(JSON.parse(readFileSync(join(root, 'src/core/syntax/grammars.json'), 'utf8')))) {
    cpSync(join(root, 'node_modules', pkg, file), join(root, 'out/grammars', basename(file)));
  }
}

const started = Date.now();
copyAssets();
writeFileSync(join(root, 'out/cli.js'), CLI_STUB);
chmodSync(join(root, 'out/cli.js'), 0o755);
if (watch) {
  for (const e of entries) await (await esbuild.context({ absWorkingDir: root, ...e })).watch();
  console.log('build: watching');
} else {
  await Promise.all(entries.map((e) => esbuild.build({ absWorkingDir: root, ...e })));
  console.log(`build: ${entries.length} bundles in ${Date.now() - started} ms`);
}
