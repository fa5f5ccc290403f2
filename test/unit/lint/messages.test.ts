// `qwq/messages` (scripts/lint/messages.mjs, docs/architecture.md §9): a message defined without the schema its
// receiver parses it by, or posted as a hand-written object instead of create(), fails lint. Each probe is linted
// as if it were that file; the real definitions and posts must pass, and break when a schema is taken out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root, ruleFilter: ({ ruleId }) => ruleId === 'qwq/messages' });

async function lint(file: string, text: string): Promise<string[]> {
  const [r] = await eslint.lintText(text, { filePath: join(root, file) });
  assert.ok(r, `no lint result for ${file}`);
  assert.deepEqual(r.messages.filter((m) => m.fatal), [], `${file} did not parse`);
  return r.messages.filter((m) => m.ruleId === 'qwq/messages').map((m) => m.message);
}

const HEAD = "import * as v from 'valibot';\nimport { defineMessage } from './define';\n";

test('a message defined without its schema fails', async () => {
  for (const def of [
    "defineMessage('ready')",
    "defineMessage<{ a: string }>()('old')",
    "defineMessage('x', undefined)",
    "protocol.defineMessage('x')",
  ]) {
    const messages = await lint('src/protocol/probe.ts', `${HEAD}export const M = ${def};\n`);
    assert.equal(messages.length, 1, `${def}: ${JSON.stringify(messages)}`);
    assert.match(messages[0]!, /needs the payload's schema/);
  }
  assert.deepEqual(await lint('src/protocol/probe.ts', `${HEAD}export const M = defineMessage('x', v.object({ a: v.string() }));\n`), [], 'with a schema it passes');
});

test('a message posted as an object literal fails, in the webview and in the extension; create() passes', async () => {
  const bad: Array<[string, string]> = [
    ['src/webview/probe.ts', "declare const post: (m: unknown) => void;\npost({ type: 'ready', payload: {} });\n"],
    ['src/webview/probe.ts', "declare const vscode: { postMessage(m: unknown): void };\nvscode.postMessage({ type: 'ready', payload: {} });\n"],
    ['src/extension/probe.ts', "declare const view: { webview: { postMessage(m: unknown): void } };\nview.webview.postMessage({ 'type': 'state', payload: { state: {} } });\n"],
  ];
  for (const [file, text] of bad) {
    const messages = await lint(file, text);
    assert.equal(messages.length, 1, `${text}: ${JSON.stringify(messages)}`);
    assert.match(messages[0]!, /built by create\(Definition, payload\)/);
  }
  const good = "import { create, ReadyToExtension } from '../protocol';\ndeclare const post: (m: unknown) => void;\nconst msg = create(ReadyToExtension, {});\npost(create(ReadyToExtension, {}));\npost(msg);\npost({ unrelated: 1 });\n";
  assert.deepEqual(await lint('src/webview/probe.ts', good), []);
});

test('the real definitions and posts pass, and a definition whose schema is taken out fails', async () => {
  const defs = readFileSync(join(root, 'src', 'protocol', 'messages.ts'), 'utf8');
  assert.ok((defs.match(/defineMessage\(/g) ?? []).length >= 19, 'every message is defined in messages.ts');
  assert.deepEqual(await lint('src/protocol/messages.ts', defs), []);
  for (const f of ['src/webview/main.ts', 'src/webview/render.ts', 'src/webview/card.ts', 'src/webview/composer.ts', 'src/webview/parts.ts', 'src/extension/reasoningPanel.ts']) {
    assert.deepEqual(await lint(f, readFileSync(join(root, f), 'utf8')), [], f);
  }
  const stripped = defs.replace("defineMessage('ready', Empty)", "defineMessage('ready')");
  assert.notEqual(stripped, defs, 'the probe found the ready definition');
  assert.equal((await lint('src/protocol/messages.ts', stripped)).length, 1);
});
