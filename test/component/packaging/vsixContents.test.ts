// What the .vsix carries, as vsce lists it (the same .vscodeignore and dependency walk that `npm run package`
// uses; vsce runs `npm list`, hence the component tier): the grammars that are loaded (out/grammars, copied by
// the build from the table in src/core/syntax/grammars.json) and their runtime, and none of the grammar
// packages they were copied from; and the CLI's bin with every chunk it loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';

const root = join(__dirname, '..', '..', '..');

test('the .vsix ships out/grammars and web-tree-sitter, and no tree-sitter grammar package', async () => {
  const table: Record<string, { pkg: string; file: string }> = JSON.parse(readFileSync(join(root, 'src/core/syntax/grammars.json'), 'utf8'));
  for (const g of Object.values(table)) {
    assert.ok(existsSync(join(root, 'out/grammars', basename(g.file))), `out/grammars/${basename(g.file)} is missing: run npm run build`);
  }
  const files = await listFiles({ cwd: root, packageManager: PackageManager.Npm });
  const grammarPackages = files.filter((f) => /^node_modules\/(tree-sitter-[^/]+|@vscode\/tree-sitter-wasm)\//.test(f));
  assert.deepEqual(grammarPackages, []);
  for (const g of Object.values(table)) assert.ok(files.includes(`out/grammars/${basename(g.file)}`), `out/grammars/${basename(g.file)} does not ship`);
  assert.ok(files.includes('node_modules/web-tree-sitter/web-tree-sitter.wasm'), 'the tree-sitter runtime does not ship');
  assert.ok(!files.some((f) => f.startsWith('node_modules/web-tree-sitter/debug/')), 'the debug build of web-tree-sitter ships');
  assert.ok(files.some((f) => f.startsWith('node_modules/node-llama-cpp/')), 'node-llama-cpp does not ship');
  assert.ok(files.includes('syntaxes/qwq-log.tmLanguage.json'));
});

test('the .vsix ships the CLI: the out/cli.js bin and every chunk of out/cli/ it loads', async () => {
  const files = await listFiles({ cwd: root, packageManager: PackageManager.Npm });
  assert.ok(files.includes('out/cli.js'), 'out/cli.js (package.json "bin") does not ship');
  const chunks = readdirSync(join(root, 'out/cli')).filter((f) => f.endsWith('.mjs'));
  assert.ok(chunks.includes('bin.mjs'), 'out/cli/bin.mjs is missing: run npm run build');
  assert.deepEqual(chunks.filter((c) => !files.includes(`out/cli/${c}`)), [], 'CLI chunks that do not ship');
});
