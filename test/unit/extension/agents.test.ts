// The pure parts of the editor's "Other agents" feature: chat messages for the runtime (tool calls in QwQ's
// format, thinking never in history), @qwq's answer from the panel's TaskView, the MCP server definition, and
// what prepareInvocation says before a tool runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toRuntimeMessages, estimateTokens, pickerName } from '../../../src/extension/agents/chatMessages';
import { answerCandidate, followUpPrompts, participantAnswer } from '../../../src/extension/agents/participantAnswer';
import { mcpDefinition } from '../../../src/extension/agents/mcpDefinition';
import { invocationMessage } from '../../../src/extension/agents/toolMessages';
import { emptyPanelState, reducePanel, type TaskView } from '../../../src/protocol/panelState';
import { CORE_MESSAGES, msg } from '../../../src/core/messages';
import { formatMessage, l10n } from '../../../src/extension/l10n';

test('chat messages: roles mapped, turns of one role merged, tool calls and results written as QwQ reads them', () => {
  const out = toRuntimeMessages([
    { role: 3, content: [{ value: 'You are terse.' }] },
    { role: 1, content: [{ value: 'Fix ' }, { value: 'it' }] },
    { role: 2, content: [{ value: 'Calling.' }, { callId: 'c1', name: 'qwq_repoMap', input: { budget: 100 } }] },
    { role: 1, content: [{ callId: 'c1', content: [{ value: 'src/a.js' }] }] },
    { role: 1, content: [{ value: 'thanks' }, { mimeType: 'image/png', data: new Uint8Array() }] },
    { role: 2, content: [] },
  ]);
  assert.deepEqual(out, [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Fix it' },
    { role: 'assistant', content: 'Calling.<tool_call>\n{"name":"qwq_repoMap","arguments":{"budget":100}}\n</tool_call>' },
    { role: 'user', content: '<tool_response>\nsrc/a.js\n</tool_response>\n\nthanks' },
  ]);
  assert.equal(estimateTokens('12345678'), 2);
});

test('the picker names a GGUF by its file and a server model by "model @ host"', () => {
  assert.equal(pickerName('/models/QwQ-32B-Q4_K_M.gguf'), 'QwQ-32B-Q4_K_M');
  assert.equal(pickerName('hf:Qwen/QwQ-32B-GGUF:Q4_K_M'), 'QwQ-32B-GGUF:Q4_K_M');
  assert.equal(pickerName('qwq @ 127.0.0.1:8080'), 'qwq @ 127.0.0.1:8080');
});

function taskWith(events: Parameters<typeof reducePanel>[1][]): TaskView {
  let s = emptyPanelState();
  const started: Parameters<typeof reducePanel>[1] = { type: 'task-started', taskId: 't1', kind: 'edit-selection', instruction: 'fix the discount', files: ['src/cart.js'] };
  for (const e of [started, ...events]) s = reducePanel(s, e);
  return s.tasks[0];
}

const DIFF = '--- a/src/cart.js\n+++ b/src/cart.js\n@@ -1 +1 @@\n-a\n+b\n';

test('@qwq answers with the candidate\'s own verdict and reason, the diff and the files', () => {
  const task = taskWith([
    { type: 'candidate', taskId: 't1', candidate: { id: 'c1', round: 1, diff: DIFF, files: ['src/cart.js'] } },
    { type: 'verdict', taskId: 't1', candidateId: 'c1', verdict: 'verified', summary: '3 passed, 1 newly passing' },
    { type: 'task-finished', taskId: 't1', outcome: 'verified', message: 'verified' },
  ]);
  const a = participantAnswer(task, 'c1');
  assert.equal(a.verdict, task.candidates[0].verdict);
  assert.match(a.headline, /Verified/);
  assert.equal(a.diff, DIFF);
  assert.deepEqual(a.files, ['src/cart.js']);
  assert.equal(a.review, true);
  assert.deepEqual(followUpPrompts(a.verdict, 'edit-selection').map((f) => f.label), ['Add a test']);
});

test('@qwq never words an unverified candidate as a pass, and says when there is no edit', () => {
  const regressed = taskWith([
    { type: 'candidate', taskId: 't1', candidate: { id: 'c1', round: 1, diff: DIFF, files: ['src/cart.js'], verdict: 'regressed', reason: 'itemCount counts quantities fails now', newlyFailing: ['itemCount counts quantities'] } },
    { type: 'task-finished', taskId: 't1', outcome: 'unverified', message: 'no verified edit' },
  ]);
  const a = participantAnswer(regressed);
  assert.match(a.headline, /Regressed/);
  assert.doesNotMatch(a.headline, /Verified/);
  assert.ok(a.details.some((d) => /itemCount counts quantities/.test(d)));
  assert.ok(a.details.some((d) => /Not verified/.test(d)));
  const none = participantAnswer(taskWith([{ type: 'task-finished', taskId: 't1', outcome: 'no-edit', message: 'the model wrote no edit' }]));
  assert.match(none.headline, /No edit to show: the model wrote no edit/);
  assert.equal(none.review, false);
  // The closing line in the person's language: the table's template goes through l10n.
  const fixed = taskWith([{ type: 'task-finished', taskId: 't1', outcome: 'no-edit', message: 'all tests pass already: nothing to fix', said: msg('nothingToFix') }]);
  l10n.use((m, ...args) => formatMessage(m === CORE_MESSAGES.nothingToFix ? 'alle Tests bestehen schon' : m, ...args));
  try {
    assert.equal(participantAnswer(fixed).headline, 'No edit to show: alle Tests bestehen schon');
  } finally {
    l10n.use(formatMessage);
  }
  assert.equal(answerCandidate(regressed, 'missing')?.id, 'c1');
});

test('the MCP server definition runs the bundled CLI with the editor\'s Node, read-only when untrusted', () => {
  const trusted = mcpDefinition('/ext', '1.2.3', true, '/work/ws', '/usr/bin/node');
  assert.deepEqual(trusted, { label: 'QwQ Coder', command: '/usr/bin/node', args: ['/ext/out/cli.js', 'mcp'], env: { ELECTRON_RUN_AS_NODE: '1' }, cwd: '/work/ws', version: '1.2.3' });
  const untrusted = mcpDefinition('/ext', '1.2.3', false, undefined, '/usr/bin/node');
  assert.deepEqual(untrusted.args, ['/ext/out/cli.js', 'mcp', '--no-verify']);
  assert.notEqual(untrusted.version, trusted.version, 'a trust change changes the version, so VS Code restarts the server');
  assert.equal(untrusted.cwd, undefined);
});

test('prepareInvocation says which command runs on which files, in a sandboxed copy; untrusted says nothing runs', () => {
  const m = invocationMessage('qwq_verifyEdit', { patch: `${DIFF}src/b.js\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n`, workspaceFolder: '/w', targetTests: ['adds'] }, true, 'node --test');
  assert.match(m, /Running `node --test` before and after a patch to src\/cart\.js, src\/b\.js, in a sandboxed copy.*Target tests: adds/);
  assert.match(invocationMessage('qwq_verifyEdit', { patch: DIFF }, false), /Restricted Mode.*runs no tests/);
  assert.match(invocationMessage('qwq_codeContext', { file: 'src/a.js', line: 3 }, false), /src\/a\.js:3/);
});
