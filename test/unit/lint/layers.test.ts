// The layer rule (eslint.config.mjs, docs/architecture.md §1), through ESLint's Node API in this process: each
// zone rejects an upward import in every import form, allowed arrows pass, and the real source tree passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root, ruleFilter: ({ ruleId }) => ruleId === 'qwq/layers' });

async function layerErrors(file: string, text: string): Promise<string[]> {
  const [r] = await eslint.lintText(text, { filePath: join(root, file) });
  assert.ok(r, `no lint result for ${file}`);
  assert.deepEqual(r.messages.filter((m) => m.fatal), [], `${file} did not parse`);
  return r.messages.filter((m) => m.ruleId === 'qwq/layers').map((m) => m.message);
}

// [probe file, import source]: each must be reported.
const UPWARD: Array<[string, string]> = [
  ['src/core/util/probe.ts', '../edits'],
  ['src/core/util/probe.ts', '../agent/events'],
  ['src/core/edits/probe.ts', '../verify'],
  ['src/core/edits/probe.ts', '../agent/events'],
  ['src/core/edits/probe.ts', '../context/types'],
  ['src/core/edits/probe.ts', '../model/types'],
  ['src/core/edits/sub/deeper.ts', '../../verify/types'],
  ['src/core/verify/probe.ts', '../agent/events'],
  ['src/core/verify/probe.ts', '../context/engine'],
  ['src/core/verify/probe.ts', '../model'],
  ['src/core/verify/probe.ts', '../../core/agent/ports'],
  ['src/core/context/probe.ts', '../agent/ports'],
  ['src/core/context/probe.ts', '../verify/types'],
  ['src/core/context/probe.ts', '../edits'],
  ['src/core/context/probe.ts', '../model/types'],
  ['src/core/model/probe.ts', '../agent/events'],
  ['src/core/model/probe.ts', '../verify'],
  ['src/core/model/probe.ts', '../edits/types'],
  ['src/core/model/probe.ts', '../context'],
  ['src/core/agent/probe.ts', '../../extension/config'],
  ['src/core/agent/probe.ts', '../../webview/render'],
  ['src/core/agent/probe.ts', '../../cli/main'],
  ['src/core/agent/probe.ts', '../../protocol/messages'],
  ['src/core/util/probe.ts', 'vscode'],
  ['src/core/verify/probe.ts', 'vscode'],
  ['src/webview/probe.ts', '../extension/model/modelPresentation'],
  ['src/webview/probe.ts', '../core/agent/events'],
  ['src/webview/probe.ts', 'vscode'],
  ['src/webview/probe.ts', 'node:fs'],
  ['src/webview/probe.ts', 'path'],
  ['src/protocol/probe.ts', '../extension/panelStore'],
  ['src/protocol/probe.ts', '../webview/render'],
  ['src/protocol/probe.ts', 'vscode'],
  ['src/cli/probe.ts', '../extension/config'],
  ['src/cli/probe.ts', 'vscode'],
  ['src/extension/probe.ts', '../webview/render'],
];

for (const [file, source] of UPWARD) {
  test(`${file}: importing '${source}' is an error`, async () => {
    const errors = await layerErrors(file, `import { x } from '${source}';\nexport const y = x;\n`);
    assert.equal(errors.length, 1, `expected one layer error, got ${JSON.stringify(errors)}`);
    assert.match(errors[0]!, /docs\/architecture\.md §1/);
  });
}

test('every import form is checked: type-only, re-export, export *, dynamic import(), import types, require', async () => {
  const text = [
    "import type { Verdict } from '../agent/events';",
    "export { runAgent } from '../agent/agent';",
    "export * from '../agent/ports';",
    "export async function load() { return import('../agent/task'); }",
    "export type T = import('../agent/events').AgentEvent;",
    "import cjs = require('../agent/budget');",
    "export const r = require('../agent/mutate');",
    'export const v: Verdict | undefined = undefined; export const c = cjs;',
  ].join('\n');
  const errors = await layerErrors('src/core/verify/probe.ts', text);
  assert.equal(errors.length, 7, JSON.stringify(errors, null, 1));
});

test('allowed arrows pass, through each zone\'s index: agent uses every core zone, verify uses edits, all use util, webview uses protocol, extension uses vscode', async () => {
  const ok: Array<[string, string[]]> = [
    ['src/core/agent/probe.ts', ['../verify', '../edits', '../context', '../model/index', '../util', './events']],
    ['src/core/verify/probe.ts', ['../edits', '../util', './types', 'node:child_process']],
    ['src/core/edits/probe.ts', ['../util', 'diff']],
    ['src/core/context/probe.ts', ['../util/index', 'web-tree-sitter']],
    ['src/core/model/probe.ts', ['../util', './types']],
    ['src/webview/probe.ts', ['../protocol', './present', '@vscode/l10n', 'lit-html']],
    ['src/protocol/probe.ts', ['../core/agent']],
    ['src/cli/probe.ts', ['../core/agent', '../../package.json', 'node:fs']],
    ['src/extension/probe.ts', ['vscode', '../core/verify', '../protocol']],
  ];
  for (const [file, sources] of ok) {
    const text = sources.map((s, i) => `import * as m${i} from '${s}';`).join('\n') + `\nexport const all = [${sources.map((_, i) => `m${i}`).join(', ')}];\n`;
    assert.deepEqual(await layerErrors(file, text), [], file);
  }
});

test('the real source tree keeps the layers', async () => {
  const results = await eslint.lintFiles(['src']);
  const errors = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'qwq/layers' || m.fatal).map((m) => `${r.filePath.slice(root.length + 1)}:${m.line}: ${m.message}`));
  assert.ok(results.length > 50, `linted only ${results.length} files`);
  assert.deepEqual(errors, []);
});
