// Other agents, inside a real extension host (code-server): our tools in vscode.lm.tools and a patch verified
// through vscode.lm.invokeTool; the MCP server definition VS Code gets, started as VS Code would start it; the
// local model through vscode.lm.selectChatModels / sendRequest (the scripted GGUF, thinking not in the answer);
// and @qwq's handler driven with a recorded /fix request and a recording response stream.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { api, EXTENSION_ID, folder, until } from './helpers';
import { writeScenario } from '../../fixtures/scenarios/cartScenarios';
import { THINK_TRIGGER, writeScriptedModel } from '../../fixtures/gguf/scriptedModel';
import type { PatchReport } from '../../../src/core/agent/verifyPatch';

const TOOLS = ['qwq_codeContext', 'qwq_repoMap', 'qwq_verifyEdit'];
const extPath = (): string => vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
const fixturePatch = (name: string): string => readFileSync(join(extPath(), 'test/fixtures/workspaces/node', name), 'utf8');
const cartText = async (): Promise<string> => new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder(), 'src/cart.js')));

async function withModelSettings<T>(values: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
  const cfg = () => vscode.workspace.getConfiguration('qwq');
  const G = vscode.ConfigurationTarget.Global;
  for (const [k, v] of Object.entries(values)) await cfg().update(k, v, G);
  try {
    return await run();
  } finally {
    for (const k of Object.keys(values)) await cfg().update(k, undefined, G);
    await (await api()).models.refresh();
  }
}

/** The tool's JSON answer (the second text part; the first is the answer in words). */
function toolReport(result: vscode.LanguageModelToolResult): { words: string; report: PatchReport } {
  const texts = result.content.map((p) => (p as { value?: unknown }).value).filter((v): v is string => typeof v === 'string');
  assert.equal(texts.length, 2, JSON.stringify(result.content));
  return { words: texts[0], report: JSON.parse(texts[1]) as PatchReport };
}

suite('qwq-coder for other agents', () => {
  // The tasks @qwq ran stay out of the later suites' history (they count tasks).
  suiteTeardown(async () => { (await api()).store.dispatch({ type: 'clear-history' }); });

  test('vscode.lm.tools lists qwq_verifyEdit, qwq_codeContext and qwq_repoMap with their input schemas', async () => {
    await api();
    const ours = vscode.lm.tools.filter((t) => TOOLS.includes(t.name));
    assert.deepEqual(ours.map((t) => t.name).sort(), TOOLS);
    const verify = ours.find((t) => t.name === 'qwq_verifyEdit')!;
    assert.deepEqual((verify.inputSchema as { required?: string[] }).required, ['patch']);
    assert.match(verify.description, /never writes/);
  });

  test('vscode.lm.invokeTool verifies a fixing patch (verified) and a breaking one (regressed, named) and writes no file', async function () {
    this.timeout(240_000);
    await api();
    const before = await cartText();
    const fix = toolReport(await vscode.lm.invokeTool('qwq_verifyEdit', { input: { patch: fixturePatch('fix.patch'), workspaceFolder: folder().fsPath, taskKind: 'fix-failing-tests' }, toolInvocationToken: undefined }));
    assert.equal(fix.report.verdict, 'verified', fix.words);
    assert.equal(fix.report.newlyPassing.length, 1);
    assert.match(fix.report.newlyPassing[0].id, /total applies a percentage discount/);
    assert.equal(fix.report.newlyPassing[0].path, 'test/cart.test.js');
    assert.match(fix.words, /^verified: /);
    const brk = toolReport(await vscode.lm.invokeTool('qwq_verifyEdit', { input: { patch: fixturePatch('break.patch') }, toolInvocationToken: undefined }));
    assert.equal(brk.report.verdict, 'regressed', brk.words);
    assert.ok(brk.report.newlyFailing.some((t) => /itemCount counts quantities/.test(t.id)), brk.words);
    assert.equal(await cartText(), before, 'the tool never writes the workspace');
    const bad = await vscode.lm.invokeTool('qwq_verifyEdit', { input: { patch: 'src/cart.js\n<<<<<<< SEARCH\nnot there\n=======\nx\n>>>>>>> REPLACE\n' }, toolInvocationToken: undefined });
    assert.match(String((bad.content[0] as { value?: unknown }).value), /^error: the patch does not apply/);
  });

  test('the MCP server definition runs our CLI with the editor\'s Node, and that server answers', async function () {
    this.timeout(60_000);
    const a = await api();
    const providers = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.mcpServerDefinitionProviders as Array<{ id: string }>;
    assert.deepEqual(providers.map((p) => p.id), ['qwq-coder.mcp']);
    const [def, ...more] = a.agents.mcpServerDefinitions();
    assert.equal(more.length, 0);
    assert.equal(def.command, process.execPath);
    assert.deepEqual(def.args, [join(extPath(), 'out', 'cli.js'), 'mcp'], 'trusted: tests may run (no --no-verify)');
    assert.equal(def.cwd?.fsPath, folder().fsPath);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...def.env })) if (typeof v === 'string') env[k] = v;
    const client = new Client({ name: 'itest', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: def.command, args: def.args, env, cwd: def.cwd!.fsPath, stderr: 'pipe' }));
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), TOOLS);
      const map = (await client.callTool({ name: 'qwq_repoMap', arguments: {} })) as { content: Array<{ text?: string }> };
      assert.match(map.content[0].text ?? '', /src\/cart\.js/);
    } finally {
      await client.close();
    }
  });

  test('selectChatModels({vendor}) returns our local model; sendRequest streams the scripted answer, never the thinking', async function () {
    this.timeout(120_000);
    const a = await api();
    const gguf = join(extPath(), 'test/fixtures/generated/scripted-qwq.gguf');
    await withModelSettings({ 'model.source': gguf, 'model.threads': 1, 'model.contextSize': 2048 }, async () => {
      await a.models.refresh();
      let models: vscode.LanguageModelChat[] = [];
      await until('the local model is in the picker', async () => (models = await vscode.lm.selectChatModels({ vendor: 'qwq-coder', family: 'qwq' })).length === 1, 20_000);
      const [model] = models;
      assert.equal(model.vendor, 'qwq-coder');
      assert.equal(model.name, 'scripted-qwq');
      const cts = new vscode.CancellationTokenSource();
      const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('What is the answer?')], {}, cts.token);
      const chunks: string[] = [];
      for await (const t of response.text) chunks.push(t);
      const text = chunks.join('');
      assert.equal(text.trim(), 'The answer is 42.');
      assert.ok(chunks.length > 1, `streamed in pieces (${chunks.length})`);
      assert.doesNotMatch(text, /plan: read the code/, 'the thinking is not sent as answer text');
      assert.ok((await model.countTokens('function add(a, b) { return a + b; }')) > 0);
      assert.equal(a.models.state.kind, 'ready', 'the panel\'s model service served it (loaded once, shared)');
    });
  });

  test('a tool call the model makes comes back as a LanguageModelToolCallPart, and cancel stops a stream', async function () {
    this.timeout(180_000);
    const a = await api();
    const dir = mkdtempSync(join(tmpdir(), 'qwq-agents-itest-'));
    try {
      // The planner's list_tests call (a real <tool_call>, run by node-llama-cpp's function calling).
      const listing = writeScenario(dir, 'listThenFix');
      await withModelSettings({ 'model.source': listing, 'model.threads': 1, 'model.contextSize': 16384 }, async () => {
        await a.models.refresh();
        let models: vscode.LanguageModelChat[] = [];
        await until('the model is offered', async () => (models = await vscode.lm.selectChatModels({ vendor: 'qwq-coder', family: 'qwq' })).length === 1, 20_000);
        const tools: vscode.LanguageModelChatTool[] = [{ name: 'list_tests', description: 'List the tests of the workspace and whether each passes now.', inputSchema: { type: 'object', properties: {} } }];
        const response = await models[0].sendRequest([vscode.LanguageModelChatMessage.User('Fix the failing test')], { tools, toolMode: vscode.LanguageModelChatToolMode.Auto });
        const parts: unknown[] = [];
        for await (const p of response.stream) parts.push(p);
        const call = parts.find((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart);
        assert.ok(call, `a tool call part among ${JSON.stringify(parts)}`);
        assert.equal(call.name, 'list_tests');
        assert.deepEqual(call.input, {});
        assert.equal(parts.indexOf(call), parts.length - 1, 'the call ends the response: the caller runs the tool');
      });
      // A model that never stops answering: cancel ends the stream and frees the model.
      const endless = join(dir, 'endless.gguf');
      writeScriptedModel(endless, { branches: [{ trigger: THINK_TRIGGER, output: 'ok\n</think> tick tock', repeat: true }] });
      await withModelSettings({ 'model.source': endless, 'model.threads': 1, 'model.contextSize': 4096 }, async () => {
        await a.models.refresh();
        let models: vscode.LanguageModelChat[] = [];
        await until('the model is offered', async () => (models = await vscode.lm.selectChatModels({ vendor: 'qwq-coder', family: 'qwq' })).length === 1, 20_000);
        const cts = new vscode.CancellationTokenSource();
        const response = await models[0].sendRequest([vscode.LanguageModelChatMessage.User('Say something')], {}, cts.token);
        let text = '';
        for await (const t of response.text) {
          text += t;
          if (text.length > 40) cts.cancel();
        }
        assert.ok(text.includes('tick'), text);
        assert.ok(text.length < 2000, `the stream stopped after cancel (${text.length} chars)`);
        await until('the model is free again', () => a.models.state.kind === 'ready', 10_000);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('@qwq /fix runs the task and answers with the panel\'s verdict, the diff, the files and the buttons; a follow-up continues it', async function () {
    this.timeout(240_000);
    const a = await api();
    const dir = mkdtempSync(join(tmpdir(), 'qwq-agents-itest-'));
    const model = writeScenario(dir, 'fix');
    await withModelSettings({ 'model.source': model, 'model.threads': 1, 'model.contextSize': 16384, 'agent.maxRounds': 1 }, async () => {
      const calls: Array<{ kind: string; value: unknown }> = [];
      const stream = {
        markdown: (v: string | vscode.MarkdownString) => { calls.push({ kind: 'markdown', value: typeof v === 'string' ? v : v.value }); },
        button: (b: vscode.Command) => { calls.push({ kind: 'button', value: b }); },
        reference: (u: vscode.Uri | vscode.Location) => { calls.push({ kind: 'reference', value: (u instanceof vscode.Uri ? u : u.uri).fsPath }); },
        progress: (p: string) => { calls.push({ kind: 'progress', value: p }); },
      };
      // A recorded request as VS Code hands it over for "@qwq /fix".
      const request = { prompt: '', command: 'fix', references: [], toolReferences: [], toolInvocationToken: undefined, model: undefined } as unknown as vscode.ChatRequest;
      const result = await a.agents.participantHandler(request, { history: [] }, stream, new vscode.CancellationTokenSource().token);
      const meta = result.metadata as { taskId: string; candidateId: string; verdict: string };
      const markdown = calls.filter((c) => c.kind === 'markdown').map((c) => String(c.value)).join('\n');
      assert.equal(meta.verdict, 'verified', markdown);
      const card = a.store.state.tasks.find((t) => t.taskId === meta.taskId)?.candidates.find((c) => c.id === meta.candidateId);
      assert.equal(card?.verdict, meta.verdict, 'the chat answer and the panel\'s card carry the same verdict');
      // The same patch through the tool another agent calls: the same policy, the same verdict.
      const viaTool = toolReport(await vscode.lm.invokeTool('qwq_verifyEdit', { input: { patch: card!.diff, taskKind: 'fix-failing-tests' }, toolInvocationToken: undefined }));
      assert.equal(viaTool.report.verdict, card!.verdict, viaTool.words);
      assert.match(markdown, /Verified/);
      assert.match(markdown, /```diff\n[^]*-\s+return sub - sub \* discountPercent;\n\+\s+return sub - \(sub \* discountPercent\) \/ 100;/);
      assert.ok(calls.some((c) => c.kind === 'progress'), 'phases were reported while it ran');
      assert.deepEqual(calls.filter((c) => c.kind === 'reference').map((c) => c.value), [join(folder().fsPath, 'src/cart.js')]);
      const buttons = calls.filter((c) => c.kind === 'button').map((c) => c.value as vscode.Command);
      assert.deepEqual(buttons.map((b) => b.command), ['qwq.chat.reviewInEditor', 'qwq.openPanel']);
      assert.deepEqual(buttons[0].arguments, [{ taskId: meta.taskId, candidateId: meta.candidateId }]);
      // The button opens the in-editor review of that very candidate.
      assert.equal(await vscode.commands.executeCommand(buttons[0].command, ...(buttons[0].arguments ?? [])), true);

      // A follow-up: the history holds the answer above; the new task continues that thread.
      const history = [{ participant: 'qwq-coder.qwq', result, response: [], command: 'fix' }] as unknown as vscode.ChatContext['history'];
      const follow = await a.agents.participantHandler({ ...request, command: undefined, prompt: 'also keep it readable' } as unknown as vscode.ChatRequest, { history }, stream, new vscode.CancellationTokenSource().token);
      const next = a.store.state.tasks.find((t) => t.taskId === (follow.metadata as { taskId?: string }).taskId);
      assert.ok(next, 'the follow-up ran a task');
      assert.equal(next.parentTaskId, meta.taskId, 'the follow-up continues the first task');
      await a.review.reject({ taskId: meta.taskId, candidateId: meta.candidateId });
    }).finally(() => rmSync(dir, { recursive: true, force: true }));
  });
});
