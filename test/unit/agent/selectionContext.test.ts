import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextEngine } from '../../../src/core/context/engine';
import { EngineContextProvider } from '../../../src/core/agent/realDeps';
import { DiskWorkspaceFiles } from '../../../src/core/agent/workspaceFiles';
import type { AgentTask } from '../../../src/core/agent/task';

test('a selection that starts on a doc comment still gets its enclosing function as context', async () => {
  const root = mkdtempSync(join(tmpdir(), 'qwq-selctx-'));
  try {
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src/cart.js'), [
      "'use strict';",
      '',
      '/** Subtotal minus a percentage discount (0-100). */',
      'function total(items, discountPercent) {',
      '  const sub = items.length;',
      '  return sub - sub * discountPercent;',
      '}',
      '',
      'module.exports = { total };',
      '',
    ].join('\n'));
    const engine = new ContextEngine(root, { cacheDir: false });
    const provider = new EngineContextProvider(engine, new DiskWorkspaceFiles(root));
    const task: AgentTask = { id: 't', kind: 'edit-selection', instruction: 'treat the discount as a percentage', workspace: root, file: 'src/cart.js', selection: { startLine: 3, endLine: 7 } };
    const packed = await provider.gather({ task, targets: [], budgetTokens: 2000, signal: new AbortController().signal });
    engine.dispose();
    const first = packed.snippets[0];
    assert.equal(first.kind, 'scope', `got ${JSON.stringify(packed.snippets.map((s) => [s.kind, s.startLine, s.endLine]))}`);
    assert.equal(first.symbol, 'total');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
