// The CLI's command registry (src/cli/commands/index.ts): each command's spec is what `--help` shows and what the
// parser takes, and its load() gives the implementation that runs; the two halves must stay one command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands, usageOf } from '../../../src/cli/commands/index';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/command';
import { DEFAULT_MODEL } from '../../../src/core/model';
import { defaultBudget } from '../../../src/core/context';
import { agentDefaults } from '../../../src/core/agent';

function captured(): { io: CliIO; out: () => string } {
  let text = '';
  return { io: { stdout: (t) => { text += t; }, stderr: (t) => { text += t; }, signal: new AbortController().signal, cwd: process.cwd() }, out: () => text };
}

test('every registered command loads an implementation, and its usage starts with its own name', async () => {
  assert.deepEqual(commands.map((c) => c.name), ['apply', 'verify', 'context', 'repomap', 'edit', 'models', 'chat', 'complete', 'mcp']);
  for (const c of commands) {
    const impl = await c.load();
    assert.equal(typeof impl.run, 'function', c.name);
    assert.match(await usageOf(c), new RegExp(`^Usage: qwq-coder ${c.name}\\b`), c.name);
  }
});

test('a usage text that names a default shows the value the core holds now', async () => {
  const usage = async (name: string): Promise<string> => usageOf(commands.find((c) => c.name === name)!);
  assert.ok((await usage('context')).includes(`(default ${defaultBudget})`));
  assert.ok((await usage('models')).includes(DEFAULT_MODEL));
  assert.ok((await usage('chat')).includes(DEFAULT_MODEL));
  assert.ok((await usage('complete')).includes(DEFAULT_MODEL));
  const edit = await usage('edit');
  assert.ok(edit.includes(DEFAULT_MODEL) && edit.includes(`(default ${agentDefaults.maxRounds})`) && edit.includes(`(default ${agentDefaults.tokenBudget})`));
});

test('`qwq-coder <command> --help` prints that command\'s usage; `--help` lists every command with its summary', async () => {
  for (const c of commands) {
    const { io, out } = captured();
    assert.equal(await main([c.name, '--help'], io), 0);
    assert.equal(out(), `${(await usageOf(c)).trimEnd()}\n`);
  }
  const { io, out } = captured();
  assert.equal(await main(['--help'], io), 0);
  for (const c of commands) assert.match(out(), new RegExp(`^  ${c.name} +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
});

test('an option the spec does not declare is a usage error (exit 2) before the command\'s module runs', async () => {
  const { io, out } = captured();
  assert.equal(await main(['verify', '--no-such-flag'], io), 2);
  assert.match(out(), /^qwq-coder: verify: Unknown option '--no-such-flag'/);
});
