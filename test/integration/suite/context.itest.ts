// The context engine in a real extension host (code-server): the file watcher keeps the index current
// when a file changes on disk outside the editor, and VS Code's definition providers (here the built-in
// TypeScript language features) sharpen a context request with what tree-sitter cannot know.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { api, folder as folderUri } from './helpers';

const folder = (): string => folderUri().fsPath;

/** Written with node:fs, not through the editor: only the file-system watcher can tell the index. */
function writeOnDisk(rel: string, text: string): vscode.Uri {
  const abs = join(folder(), rel);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  return vscode.Uri.file(abs);
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

suite('context engine in the editor', () => {
  test('a file changed on disk outside the editor is seen by the next context request', async () => {
    const { context } = await api();
    writeOnDisk('qwqctx/helper.ts', 'export function watchedHelper(): number {\n  return 1;\n}\n');
    const use = writeOnDisk('qwqctx/use.ts', "import { watchedHelper } from './helper';\n\nexport function caller(): number {\n  return watchedHelper();\n}\n");
    const first = await until('the new files in the index', 20_000, async () => {
      await context.settled();
      const c = await context.contextAt(use, 4, 3, { languageServer: false });
      return c?.snippets.find((s) => s.kind === 'definition' && s.symbol === 'watchedHelper');
    });
    assert.match(first.text, /return 1;/);
    writeOnDisk('qwqctx/helper.ts', 'export function watchedHelper(): number {\n  return 2; // changed outside the editor\n}\n');
    const changed = await until('the change in the index', 20_000, async () => {
      await context.settled();
      const c = await context.contextAt(use, 4, 3, { languageServer: false });
      const d = c?.snippets.find((s) => s.kind === 'definition' && s.symbol === 'watchedHelper');
      return d && /return 2;/.test(d.text) ? d : undefined;
    });
    assert.equal(changed.path, 'qwqctx/helper.ts');
  });

  test('the language server answers a method tree-sitter cannot type (an inferred return type)', async () => {
    const { context } = await api();
    writeOnDisk('qwqlsp/runner.ts', 'export class Runner {\n  go(): number { return 1; }\n}\n');
    writeOnDisk('qwqlsp/decoy1.ts', 'export class A {\n  go(): number { return 2; }\n}\n');
    writeOnDisk('qwqlsp/decoy2.ts', 'export class B {\n  go(): number { return 3; }\n}\n');
    writeOnDisk('qwqlsp/factory.ts', "import { Runner } from './runner';\n\nexport function make() {\n  return new Runner();\n}\n");
    const use = writeOnDisk('qwqlsp/use.ts', "import { make } from './factory';\n\nexport function use(): number {\n  const r = make();\n  return r.go();\n}\n");
    const goPos = new vscode.Position(4, 11);
    // The TypeScript server starts on first use: wait until it answers at all, then ask through the engine.
    const doc = await vscode.workspace.openTextDocument(use);
    await vscode.window.showTextDocument(doc);
    const located = await until('a TypeScript definition provider', 90_000, async () => {
      const r = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', use, goPos);
      return r?.length ? r : undefined;
    });
    const target = located[0];
    assert.match(('targetUri' in target ? target.targetUri : target.uri).fsPath, /qwqlsp[\\/]runner\.ts$/);
    await until('the new files in the index', 20_000, async () => {
      await context.settled();
      const c = await context.contextAt(use, 4, 3, { languageServer: false });
      return c?.snippets.some((s) => s.kind === 'definition' && s.symbol === 'make') ? true : undefined;
    });
    const plain = await context.contextAt(use, 4, 3, { languageServer: false });
    const isRunnerGo = (s: { kind: string; path: string; text: string }) => s.kind === 'definition' && s.path === 'qwqlsp/runner.ts' && /return 1;/.test(s.text);
    assert.ok(!plain?.snippets.some(isRunnerGo), 'tree-sitter alone does not know which go()');
    const sharp = await until('the language server\'s answer within the budget', 30_000, async () => {
      const c = await context.contextAt(use, 4, 3);
      return c?.snippets.some(isRunnerGo) ? c : undefined;
    });
    assert.ok(!sharp.snippets.some((s) => s.kind === 'definition' && s.path.startsWith('qwqlsp/decoy')));
  });
});
