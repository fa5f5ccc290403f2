// The boundaries beyond the layer arrows (eslint.config.mjs `qwq/layers`, docs/architecture.md §1): a zone is
// entered only through its index, the webview bundle takes only browser packages, and every file under src/
// belongs to a zone. Each probe is linted as if it were that file; each must fail, and the fix must hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root, ruleFilter: ({ ruleId }) => ruleId === 'qwq/layers' });

async function lint(file: string, text: string, fix = false): Promise<{ messages: string[]; output?: string }> {
  const linter = fix ? new ESLint({ cwd: root, fix: true, ruleFilter: ({ ruleId }) => ruleId === 'qwq/layers' }) : eslint;
  const [r] = await linter.lintText(text, { filePath: join(root, file) });
  assert.ok(r, `no lint result for ${file}`);
  assert.deepEqual(r.messages.filter((m) => m.fatal), [], `${file} did not parse`);
  return { messages: r.messages.filter((m) => m.ruleId === 'qwq/layers').map((m) => m.message), output: r.output };
}

test('a webview import of a Node package fails: node-llama-cpp, web-tree-sitter, a node built-in', async () => {
  for (const source of ['node-llama-cpp', 'web-tree-sitter', '@node-llama-cpp/linux-x64', 'fs', 'node:path']) {
    const { messages } = await lint('src/webview/probe.ts', `import * as m from '${source}';\nexport const x = m;\n`);
    assert.equal(messages.length, 1, `${source}: ${JSON.stringify(messages)}`);
    assert.match(messages[0]!, /runs in the browser/);
  }
  assert.deepEqual((await lint('src/webview/probe.ts', "import * as l from '@vscode/l10n';\nexport const x = l;\n")).messages, [], 'the browser package it uses passes');
});

test('a deep cross-zone import fails, and the fix points it at the zone\'s index', async () => {
  const cases: Array<[string, string, string]> = [
    ['src/extension/tasks/probe.ts', '../../core/verify/detect', '../../core/verify'],
    ['src/cli/probe.ts', '../core/util/lifecycle', '../core/util'],
    ['src/webview/probe.ts', '../protocol/messages', '../protocol'],
    ['src/core/agent/probe.ts', '../edits/applyEdits', '../edits'],
  ];
  for (const [file, deep, entry] of cases) {
    const text = `import { a } from '${deep}';\nexport const x = a;\n`;
    const { messages } = await lint(file, text);
    assert.equal(messages.length, 1, `${file} → ${deep}: ${JSON.stringify(messages)}`);
    assert.match(messages[0]!, /through its index/);
    assert.equal((await lint(file, text, true)).output, `import { a } from '${entry}';\nexport const x = a;\n`);
    assert.deepEqual((await lint(file, `import { a } from '${entry}';\nexport const x = a;\n`)).messages, [], `${file} → ${entry} passes`);
  }
  assert.deepEqual((await lint('src/core/verify/probe.ts', "import { a } from './detect';\nexport const x = a;\n")).messages, [], 'inside its own zone a file imports any file');
  for (const [file, types] of [['src/core/agent/probe.ts', '../edits/types'], ['src/protocol/probe.ts', '../core/agent/events']]) {
    assert.deepEqual((await lint(file, `import type { a } from '${types}';\nexport type X = a;\n`)).messages, [], `${types}: a zone's types file is an entry too`);
  }
});

test('a file in no zone fails: src/types, or any new top-level folder of src', async () => {
  for (const file of ['src/types/probe.d.ts', 'src/shared/probe.ts', 'src/probe.ts']) {
    const { messages } = await lint(file, 'export const x = 1;\n');
    assert.equal(messages.length, 1, `${file}: ${JSON.stringify(messages)}`);
    assert.match(messages[0]!, /is in no zone/);
  }
  assert.deepEqual((await lint('test/unit/probe.ts', "import { a } from '../../src/core/verify/detect';\nexport const x = a;\n")).messages, [], 'tests are outside the zones and may reach in');
});
