// The OpenAI-compatible runtime against a real HTTP server on 127.0.0.1 that answers with the scripted
// model through our llama runtime: SSE streaming, both reasoning formats, JSON schema, cancel, errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeScriptedModel } from '../../fixtures/gguf/scriptedModel';
import { tempDir, testRuntime } from '../../unit/model/helpers';
import { startOpenAiTestServer, TestServer } from './openaiTestServer';
import { createModelRuntime } from '../../../src/core/model/createModelRuntime';
import { OpenAiRuntime, strictJson } from '../../../src/core/model/openaiRuntime';
import { ThinkTagSplitter } from '../../../src/core/model/thinkTagSplitter';
import type { LlamaRuntime } from '../../../src/core/model/llamaRuntime';
import type { StreamChunk } from '../../../src/core/model/types';

const tmp = tempDir();
let local: LlamaRuntime;
let fieldServer: TestServer;
let tagServer: TestServer;
const thought = 'plan: check the tests first';
const answer = 'All good.';

before(async () => {
  const path = join(tmp.dir, 'scripted.gguf');
  writeScriptedModel(path, { branches: [
    { trigger: '\n', output: `${thought}\n</think>${answer}` },
    { trigger: '\n\n', output: '{"edit":"ok"}' },
    { trigger: ' FOREVER', output: 'on and on', repeat: true },
  ] });
  local = testRuntime(path);
  await local.load();
  fieldServer = await startOpenAiTestServer(local, 'field');
  tagServer = await startOpenAiTestServer(local, 'tags');
});
after(async () => { await fieldServer.close(); await tagServer.close(); await local.dispose(); tmp.cleanup(); });

for (const mode of ['field', 'tags'] as const) {
  test(`streams thought and answer apart (reasoning ${mode === 'field' ? 'in reasoning_content' : 'as <think> tags in content'})`, async () => {
    const server = mode === 'field' ? fieldServer : tagServer;
    const rt = createModelRuntime({ kind: 'openai', baseUrl: server.baseUrl, model: 'qwq-test' });
    assert.ok(rt instanceof OpenAiRuntime);
    const info = await rt.load();
    assert.equal(info.architecture, 'remote');
    const chunks: StreamChunk[] = [];
    const r = await rt.chat([{ role: 'user', content: 'check' }], { onChunk: (c) => chunks.push(c) });
    assert.equal(r.thought, thought);
    assert.equal(r.answer, answer);
    assert.equal(r.stopReason, 'eos');
    assert.equal(chunks.filter((c) => c.kind === 'answer').map((c) => c.text).join('').trim(), answer);
    assert.ok(chunks.some((c) => c.kind === 'thought'));
    assert.ok(r.stats.promptTokens > 0 && r.stats.completionTokens > 0);
    // QwQ's sampling went over the wire.
    const sent = server.requests[server.requests.length - 1]!.body;
    assert.deepEqual([sent.temperature, sent.top_p, sent.top_k, sent.min_p, sent.stream], [0.6, 0.95, 40, 0, true]);
    await rt.dispose();
  });
}

test('jsonSchema goes as response_format and the answer is the JSON', async () => {
  const rt = createModelRuntime({ kind: 'openai', baseUrl: fieldServer.baseUrl, model: 'qwq-test' });
  const r = await rt.chat([{ role: 'user', content: 'edit' }], { jsonSchema: { type: 'object', properties: { edit: { type: 'string' } } } });
  assert.deepEqual(JSON.parse(r.answer), { edit: 'ok' });
  const sent = fieldServer.requests[fieldServer.requests.length - 1]!.body;
  assert.equal(sent.response_format.type, 'json_schema');
});

test('without server JSON-schema support the schema is prompted and the answer strictly parsed', async () => {
  const rt = createModelRuntime({ kind: 'openai', baseUrl: fieldServer.baseUrl, model: 'qwq-test', supportsJsonSchema: false });
  // The scripted model thinks and answers prose here, which the strict parse must refuse.
  await assert.rejects(rt.chat([{ role: 'user', content: 'edit' }], { jsonSchema: { type: 'object' } }), /answer is not valid JSON/);
  const sent = fieldServer.requests[fieldServer.requests.length - 1]!.body;
  assert.equal(sent.response_format, undefined);
  assert.match(sent.messages[0].content, /matches this JSON schema/);
  assert.equal(strictJson('```json\n{"a": 1}\n```'), '{"a":1}');
});

test('cancel closes the request: the server sees the disconnect and the call resolves as aborted', async () => {
  const rt = createModelRuntime({ kind: 'openai', baseUrl: fieldServer.baseUrl, model: 'qwq-test' });
  const controller = new AbortController();
  const before = fieldServer.aborted;
  let text = '';
  const r = await rt.complete('go FOREVER', { maxTokens: 1_000_000, signal: controller.signal, onText: (t) => { text += t; if (text.length > 30) controller.abort(); } });
  assert.equal(r.stopReason, 'aborted');
  for (let i = 0; i < 100 && fieldServer.aborted === before; i++) await new Promise((res) => setTimeout(res, 20));
  assert.equal(fieldServer.aborted, before + 1);
  // The local runtime behind the server stopped and is usable again.
  const again = await rt.chat([{ role: 'user', content: 'check' }]);
  assert.equal(again.answer, answer);
});

test('an unreachable server gives a clear error', async () => {
  const rt = createModelRuntime({ kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', model: 'x' });
  await assert.rejects(rt.load(), /cannot reach the model server at http:\/\/127\.0\.0\.1:9\/v1/);
});

test('ThinkTagSplitter: tags cut across chunks, and an opened template', () => {
  const s = new ThinkTagSplitter();
  const out = ['<thi', 'nk>a b</th', 'ink>\n\nans', 'wer'].flatMap((c) => s.push(c)).concat(s.end());
  assert.equal(out.filter((c) => c.kind === 'thought').map((c) => c.text).join(''), 'a b');
  assert.equal(s.answer.trim(), 'answer');
  const opened = new ThinkTagSplitter(true);
  ['x y', '</think>', 'z'].forEach((c) => opened.push(c));
  assert.deepEqual([opened.thought, opened.answer], ['x y', 'z']);
});
