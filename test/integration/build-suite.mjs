// Bundles the extension-host test suite into out/test/integration/: index.js (the `extensionTestsPath`,
// with mocha bundled in, so it does not depend on how the host resolves packages) and one *.itest.js per
// test file. `vscode` stays external: the extension host provides it.
import * as esbuild from 'esbuild';
import { nodeExternals } from '../../scripts/bundleExternals.mjs';
import { readdirSync, rmSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const suiteOutDir = join(root, 'out', 'test', 'integration');
export const suiteIndex = join(suiteOutDir, 'index.js');

export async function buildSuite() {
  const srcDir = join(root, 'test', 'integration', 'suite');
  const itests = readdirSync(srcDir).filter((f) => f.endsWith('.itest.ts'));
  rmSync(suiteOutDir, { recursive: true, force: true });
  const entryPoints = { index: join(srcDir, 'index.ts') };
  for (const f of itests) entryPoints[basename(f, '.ts')] = join(srcDir, f);
  await esbuild.build({
    absWorkingDir: root, entryPoints, outdir: suiteOutDir, bundle: true, platform: 'node', target: 'node20',
    // The same packages stay outside as in the extension's own bundle (native or wasm-loading ones).
    format: 'cjs', sourcemap: 'inline', external: ['vscode', ...nodeExternals], logLevel: 'error',
  });
  return { index: suiteIndex, files: itests.length };
}
