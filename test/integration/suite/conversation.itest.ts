// The task controller as a conversation, in a real extension host: a second task waits for the running one
// (never cancels it), a queued task can be cancelled, a follow-up after an undone edit continues from the file
// with the thread's history, a refused submit answers false (the composer keeps the text), and #file: /
// #symbol: complete from the workspace and the symbol index and reach the agent as attached code.
// The agent is a scripted test double (GatedAgent, named so): each run waits for the test to release it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { QwqCoderTestApi } from '../../../src/extension/testApi';
import type { AgentPort, AgentRunRequest } from '../../../src/extension/tasks/agentPort';
import { TaskController } from '../../../src/extension/tasks/taskController';
import { api, EXTENSION_ID, until } from './helpers';
import type { AgentTask } from '../../../src/core/agent/task';

const DIFF = (rel: string) => `--- a/${rel}\n+++ b/${rel}\n@@ -1 +1 @@\n-a\n+b\n`;


/** A scripted agent (test double): starts, then waits until released or aborted; records what it was given. */
class GatedAgent implements AgentPort {
  readonly runs: { task: AgentTask; signal: AbortSignal; release(): void; firstRead?: string }[] = [];
  async run(req: AgentRunRequest): Promise<void> {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; req.signal.addEventListener('abort', () => r(), { once: true }); });
    const entry = { task: req.task, signal: req.signal, release, firstRead: req.task.file ? await req.files.read(req.task.file) : undefined };
    this.runs.push(entry);
    const { id } = req.task;
    req.onEvent({ type: 'task-started', taskId: id, kind: req.task.kind, instruction: req.task.instruction, files: req.task.file ? [req.task.file] : [], maxRounds: 3 });
    await gate;
    if (req.signal.aborted) { req.onEvent({ type: 'task-finished', taskId: id, outcome: 'cancelled', message: 'cancelled: nothing was changed' }); return; }
    req.onEvent({ type: 'plan', taskId: id, text: `plan for ${req.task.instruction}` });
    const candidate = { id: `${id}-c1`, round: 1, diff: DIFF(req.task.file ?? 'x.js'), files: [req.task.file ?? 'x.js'] };
    req.onEvent({ type: 'candidate', taskId: id, candidate });
    req.onEvent({ type: 'task-finished', taskId: id, outcome: 'unverified', message: 'no verified edit: tests did not run', best: candidate });
  }
  async reverify(): Promise<{ verified: boolean; summary: string }> { return { verified: false, summary: 'not in this test' }; }
}

suite('conversation: queue, threads, mentions', () => {
  let a: QwqCoderTestApi;
  let agent: GatedAgent;
  let tasks: TaskController;
  const created: vscode.Uri[] = [];
  const folder = () => vscode.workspace.workspaceFolders![0];

  async function write(rel: string, text: string): Promise<string> {
    const uri = vscode.Uri.joinPath(folder().uri, rel);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    created.push(uri);
    return rel;
  }

  suiteSetup(async () => {
    a = await api();
    // A model file that exists: the preflight passes; the scripted agent never loads it.
    const model = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test/fixtures/generated/tiny-qwen2.gguf');
    await vscode.workspace.getConfiguration('qwq').update('model.source', model, vscode.ConfigurationTarget.Global);
    agent = new GatedAgent();
    tasks = new TaskController(agent, a.store, a.models, a.review, a.log, a.notifier, a.tasks.mentions);
  });

  suiteTeardown(async () => {
    tasks.dispose();
    for (const u of created) await vscode.workspace.fs.delete(u).then(undefined, () => undefined);
    await vscode.workspace.getConfiguration('qwq').update('model.source', undefined, vscode.ConfigurationTarget.Global);
  });

  test('a second task waits for the running one instead of cancelling it; a queued task can be cancelled', async () => {
    const rel = await write(`qwq-conv-${process.pid}-a.js`, 'a\n');
    const pills = [{ kind: 'file' as const, path: rel }];
    const first = tasks.submit({ kind: 'edit-selection', instruction: 'first', pills, folder: folder() });
    assert.equal(await first, true);
    await until('the first task runs', () => agent.runs.length === 1);
    assert.equal(await tasks.submit({ kind: 'generate-tests', instruction: 'second', pills, folder: folder() }), true, 'accepted: it waits in the queue');
    assert.equal(await tasks.submit({ kind: 'edit-selection', instruction: 'third', pills, folder: folder() }), true);
    const queue = () => a.store.state.queue ?? [];
    await until('two tasks are queued', () => queue().length === 2);
    assert.deepEqual(queue().map((q) => q.title), ['second', 'third']);
    assert.equal(agent.runs[0].signal.aborted, false, 'the running task was not cancelled');
    assert.ok(a.notices.some((n) => /waits for the running one/.test(n.message)), 'the person is told it waits');
    // Cancel the third while it waits; the first goes on.
    assert.equal(tasks.cancel(queue()[1].taskId), true);
    await until('the third leaves the queue', () => queue().length === 1);
    assert.equal(agent.runs[0].signal.aborted, false);
    agent.runs[0].release();
    await until('the second starts when the first ends', () => agent.runs.length === 2);
    assert.equal(agent.runs[1].task.instruction, 'second');
    assert.equal(queue().length, 0);
    agent.runs[1].release();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(agent.runs.length, 2, 'the cancelled task never ran');
    const first1 = a.store.state.tasks.find((t) => t.taskId === agent.runs[0].task.id)!;
    assert.notEqual(first1.outcome, 'cancelled');
  });

  test('a follow-up on an undone edit continues the thread from the file, with the earlier turn as history', async () => {
    const rel = await write(`qwq-conv-${process.pid}-b.js`, 'a\n');
    const n = agent.runs.length;
    assert.equal(await tasks.submit({ kind: 'edit-selection', instruction: 'change a to b', pills: [{ kind: 'file', path: rel }], folder: folder() }), true);
    await until('it runs', () => agent.runs.length === n + 1);
    agent.runs[n].release();
    const parentId = agent.runs[n].task.id;
    await until('it finished', () => a.store.state.tasks.find((t) => t.taskId === parentId)?.outcome === 'unverified');
    a.store.dispatch({ type: 'candidate-resolved', taskId: parentId, candidateId: `${parentId}-c1`, resolution: 'undone' });
    assert.equal(await tasks.followUp(parentId, 'try again without touching the first line', `${parentId}-c1`), true, 'not refused');
    await until('the follow-up runs', () => agent.runs.length === n + 2);
    const turn = agent.runs[n + 1];
    assert.equal(turn.task.instruction, 'try again without touching the first line');
    assert.equal(turn.firstRead, 'a\n', 'it reads the file as it is, not the undone candidate');
    assert.equal(turn.task.history?.length, 1);
    assert.equal(turn.task.history![0].request, 'change a to b');
    assert.match(turn.task.history![0].answer, /plan for change a to b/);
    assert.match(turn.task.history![0].answer, /undid it/);
    turn.release();
    await until('the turn finished', () => a.store.state.tasks.find((t) => t.taskId === turn.task.id)?.outcome === 'unverified');
    const view = a.store.state.tasks.find((t) => t.taskId === turn.task.id)!;
    assert.equal(view.threadId, parentId, 'the turn belongs to the first task\'s thread');
    assert.equal(view.parentTaskId, parentId);
  });

  test('a refused submit answers false, so the panel keeps the text', async () => {
    await vscode.workspace.getConfiguration('qwq').update('model.source', '/nonexistent/qwq-itest/model.gguf', vscode.ConfigurationTarget.Global);
    try {
      assert.equal(await tasks.submit({ kind: 'edit-selection', instruction: 'refused', folder: folder() }), false);
    } finally {
      const model = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test/fixtures/generated/tiny-qwen2.gguf');
      await vscode.workspace.getConfiguration('qwq').update('model.source', model, vscode.ConfigurationTarget.Global);
    }
  });

  test('#file: and #symbol: complete from the workspace and the symbol index; the agent gets their text first', async function () {
    this.timeout(120_000);
    const helper = await write(`qwq-conv-${process.pid}-helper.js`, 'export function zebraDiscount(total) {\n  return total * 0.9;\n}\n');
    const main = await write(`qwq-conv-${process.pid}-main.js`, 'a\n');
    const files = await a.tasks.mentions!.complete('file', `qwq-conv-${process.pid}-hel`);
    assert.deepEqual(files.map((f) => f.value), [helper]);
    const symbols = await a.tasks.mentions!.complete('symbol', 'zebraDisc');
    assert.deepEqual(symbols.map((s) => [s.value, s.path]), [['zebraDiscount', helper]]);
    const n = agent.runs.length;
    assert.equal(await tasks.submit({ kind: 'edit-selection', instruction: 'use the helper', pills: [{ kind: 'file', path: main }, { kind: 'file', path: helper }, { kind: 'symbol', symbol: 'zebraDiscount', path: helper }], folder: folder() }), true);
    await until('it runs', () => agent.runs.length === n + 1);
    const run = agent.runs[n];
    assert.equal(run.task.file, main);
    assert.deepEqual(run.task.attachments?.map((x) => [x.kind, x.path, x.startLine, x.endLine, x.symbol]), [['file', helper, 1, 4, undefined], ['symbol', helper, 1, 3, 'zebraDiscount']]);
    assert.match(run.task.attachments![1].text, /^export function zebraDiscount\(total\) \{\n  return total \* 0\.9;\n\}$/);
    run.release();
  });
});
