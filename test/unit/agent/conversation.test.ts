// A follow-up is a turn of a conversation: the agent sends the earlier requests and final answers as history
// (never earlier thinking, QwQ's card), and code the person attached (#file:, #symbol:) comes first in the
// prompt and in "Context used".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runAgent } from '../../../src/core/agent/agent';
import type { AgentEvent } from '../../../src/core/agent/events';
import { historyMessages, withAttachments } from '../../../src/core/agent/prompts';
import type { AgentTask } from '../../../src/core/agent/task';
import { MemoryWorkspaceFiles, createApplyEdits } from '../../../src/core/agent/workspaceFiles';
import { unifiedDiff } from '../../../src/core/edits';
import { ScriptedRuntimeDouble } from './doubles';

const MATH = 'export function add(a, b) {\n  return a + b;\n}\n';

async function explain(task: Partial<AgentTask>) {
  const files = new MemoryWorkspaceFiles('/mem/ws', { 'src/math.js': MATH, 'src/util.js': 'export const twice = (x) => 2 * x;\n' });
  const architect = new ScriptedRuntimeDouble([{ thought: 'NEW THINKING', answer: 'It adds.' }]);
  const events: AgentEvent[] = [];
  const full: AgentTask = { id: 't2', kind: 'explain', instruction: 'and for negative numbers?', workspace: '/mem/ws', file: 'src/math.js', ...task };
  await runAgent(full, { architect, context: { gather: async () => ({ snippets: [{ path: 'src/math.js', startLine: 1, endLine: 3, kind: 'scope', text: MATH }], tokens: 20 }) }, files, applyEdits: createApplyEdits(), diff: unifiedDiff }, { trusted: true }, (e) => events.push(e));
  return { messages: architect.calls[0].messages, events };
}

test('a follow-up sends the earlier turns as history: requests and final answers, no thinking, then the new request', async () => {
  const { messages } = await explain({
    history: [{ request: 'what does add do?', answer: '<think>OLD THINKING</think>It returns the sum of a and b.' }],
  });
  assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant', 'user']);
  assert.equal(messages[0].content, 'what does add do?');
  assert.equal(messages[1].content, 'It returns the sum of a and b.');
  assert.doesNotMatch(messages.map((m) => m.content).join('\n'), /OLD THINKING/, 'earlier thinking never goes back to the model');
  assert.match(messages[2].content, /Instruction: and for negative numbers\?/);
});

test('without history the conversation is one user turn (as before)', async () => {
  const { messages } = await explain({});
  assert.equal(messages.length, 1);
});

test('historyMessages keeps the newest turns of a long conversation', () => {
  const turns = Array.from({ length: 10 }, (_, i) => ({ request: `q${i}`, answer: `a${i}` }));
  const m = historyMessages(turns);
  assert.equal(m.length, 12);
  assert.equal(m[0].content, 'q4');
  assert.equal(m[m.length - 1].content, 'a9');
});

test('attached code (#file:, #symbol:) comes first in the prompt and in "Context used"', async () => {
  const { messages, events } = await explain({
    attachments: [{ kind: 'file', path: 'src/util.js', startLine: 1, endLine: 1, text: 'export const twice = (x) => 2 * x;' }],
  });
  const ctx = events.find((e): e is Extract<AgentEvent, { type: 'context' }> => e.type === 'context')!;
  assert.deepEqual(ctx.items.map((i) => `${i.path}:${i.kind}`), ['src/util.js:attached', 'src/math.js:scope']);
  assert.ok(ctx.tokens > 20, 'the attachment counts in the tokens');
  const prompt = messages[0].content;
  assert.ok(prompt.indexOf('src/util.js:1-1') >= 0 && prompt.indexOf('src/util.js:1-1') < prompt.indexOf('src/math.js:1-3'), 'the attached file is shown before what the engine found');
});

test('withAttachments drops an engine snippet the attachment already covers', () => {
  const packed = withAttachments(
    { id: 't', kind: 'edit-selection', instruction: 'x', workspace: '/w', attachments: [{ kind: 'symbol', path: 'a.js', symbol: 'f', startLine: 3, endLine: 9, text: 'function f() {}' }] },
    { snippets: [{ path: 'a.js', startLine: 4, endLine: 6, kind: 'definition', text: '…' }, { path: 'b.js', startLine: 1, endLine: 2, kind: 'scope', text: '…' }], tokens: 10 },
  );
  assert.deepEqual(packed.snippets.map((s) => `${s.path}:${s.kind}${s.symbol ? `:${s.symbol}` : ''}`), ['a.js:attached:f', 'b.js:scope']);
});
