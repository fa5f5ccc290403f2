// The OpenAI-compatible runtime against replies recorded in each server's documented shape (vLLM, llama.cpp
// server, Ollama), replayed by a real HTTP server on 127.0.0.1: thought and answer apart, token usage,
// where the thinking comes back, a thought budget counted in tokens, guided decoding in both dialects, and
// a strict parse with repair when the server has none.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenAiRuntime, repairJson, strictJson } from '../../../src/core/model/openaiRuntime';
import { detectReasoningFormat, listServerModels, reasoningFormatOf } from '../../../src/core/model/serverProbe';
import { plainReply, recordedServers, vllm, type RecordedServer } from './recordedReplies';

interface Replay { baseUrl: string; requests: Array<{ path: string; body: any; headers: IncomingHttpHeaders }>; close(): Promise<void> }
const servers: Replay[] = [];
after(async () => { await Promise.all(servers.map((s) => s.close())); });

/** Serves GET /v1/models, and answers every chat request with `stream` (SSE) or `reply` (JSON). */
async function replay(rec: Pick<RecordedServer, 'models' | 'stream' | 'reply'>): Promise<Replay> {
  const state: Replay = { baseUrl: '', requests: [], close: async () => undefined };
  const server: Server = createServer(async (req, res) => {
    let text = '';
    for await (const c of req) text += c;
    const body = text ? JSON.parse(text) : {};
    state.requests.push({ path: req.url ?? '', body, headers: req.headers });
    if (req.url === '/v1/models') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(rec.models)); return; }
    if (!body.stream) { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(rec.reply)); return; }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const chunk of rec.stream) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); });
  servers.push(state);
  return state;
}

const modelOf = (rec: RecordedServer): string => (rec.models as { data: Array<{ id: string }> }).data[0]!.id.replace(/:latest$/, '');

for (const rec of recordedServers) {
  test(`${rec.name}: the model is listed, thought and answer come apart, usage counts the tokens`, async () => {
    const s = await replay(rec);
    assert.ok((await listServerModels({ baseUrl: s.baseUrl })).length > 0);
    const rt = new OpenAiRuntime({ kind: 'openai', baseUrl: s.baseUrl, model: modelOf(rec) });
    await rt.load();
    const r = await rt.chat([{ role: 'user', content: 'What is 2+3?' }]);
    assert.equal(r.thought, rec.thought.trim());
    assert.equal(r.answer, rec.answer);
    assert.equal(r.stopReason, 'eos');
    assert.equal(r.stats.completionTokens, rec.completionTokens);
    assert.equal(r.stats.promptTokens, 17);
  });

  test(`${rec.name}: where the thinking comes back is detected`, async () => {
    const s = await replay(rec);
    const format = await detectReasoningFormat({ baseUrl: s.baseUrl, model: modelOf(rec) });
    assert.equal(format, rec.name === 'Ollama' ? 'think-tags' : 'reasoning_content');
  });
}

test('a model with no thinking is detected as none; a model the server does not serve is refused by name', async () => {
  assert.equal(reasoningFormatOf(plainReply), 'none');
  assert.equal(reasoningFormatOf({ choices: [{ message: { reasoning: 'hmm', content: 'x' } }] }), 'reasoning_content');
  const s = await replay(vllm);
  const rt = new OpenAiRuntime({ kind: 'openai', baseUrl: s.baseUrl, model: 'llama-3' });
  await assert.rejects(rt.load(), /does not serve "llama-3"; it serves "Qwen\/QwQ-32B"/);
});

test('the API key and the extra headers reach the server; the key is not a header setting', async () => {
  const s = await replay(vllm);
  const rt = new OpenAiRuntime({ kind: 'openai', baseUrl: s.baseUrl, model: 'Qwen/QwQ-32B', apiKey: 'sk-1', headers: { 'x-route': 'gpu-2', authorization: 'Bearer forged' } });
  await rt.chat([{ role: 'user', content: 'hi' }]);
  for (const q of s.requests) {
    assert.equal(q.headers.authorization, 'Bearer sk-1', 'the key wins over a header of the same name');
    assert.equal(q.headers['x-route'], 'gpu-2');
  }
});

test('the thought budget counts tokens, not stream chunks: a server that sends many tokens per chunk is stopped in time', async () => {
  // 20 chunks of 400 characters (about 100 tokens each): a budget of 150 tokens must stop within two chunks,
  // where counting chunks would have let all 20 through.
  const chunk = (i: number): string => Array.from({ length: 80 }, (_, j) => `w${i}x${j}`).join(' ').slice(0, 400);
  const big = chunk(0);
  const stream = [
    ...Array.from({ length: 20 }, (_, i) => ({ choices: [{ index: 0, delta: { reasoning_content: chunk(i) }, finish_reason: null }] })),
    { choices: [{ index: 0, delta: { content: 'done' }, finish_reason: 'stop' }] },
  ];
  const s = await replay({ models: vllm.models, stream, reply: vllm.reply });
  const rt = new OpenAiRuntime({ kind: 'openai', baseUrl: s.baseUrl, model: 'Qwen/QwQ-32B' });
  const r = await rt.chat([{ role: 'user', content: 'think' }], { thoughtBudget: 150 });
  assert.equal(r.stopReason, 'thoughtBudget');
  assert.ok(r.thought.length <= 2 * big.length, `stopped after ${r.thought.length} characters`);
  assert.match(r.stopDetail ?? '', /150 tokens/);
});

test('the tokens-per-character estimate is measured from usage: after a reply, the budget follows the server\'s ratio', async () => {
  const s = await replay(vllm);
  const rt = new OpenAiRuntime({ kind: 'openai', baseUrl: s.baseUrl, model: 'Qwen/QwQ-32B' });
  const before = rt.estimateTokens('x'.repeat(1000));
  await rt.chat([{ role: 'user', content: 'q' }]);
  const after = rt.estimateTokens('x'.repeat(1000));
  const chars = vllm.thought.length + vllm.answer.length;
  assert.equal(after, Math.ceil(1000 / (chars / vllm.completionTokens)));
  assert.notEqual(after, before);
});

test('guided decoding: response_format by default, guided_json for vLLM\'s older dialect, neither when off', async () => {
  const json = '{"edits":[]}';
  const stream = [{ choices: [{ index: 0, delta: { content: json }, finish_reason: 'stop' }] }];
  const s = await replay({ models: vllm.models, stream, reply: vllm.reply });
  const schema = { type: 'object', properties: { edits: { type: 'array' } } };
  for (const [guidedDecoding, field] of [['response_format', 'response_format'], ['guided_json', 'guided_json']] as const) {
    const rt = new OpenAiRuntime({ kind: 'openai', baseUrl: s.baseUrl, model: 'Qwen/QwQ-32B', guidedDecoding });
    const r = await rt.chat([{ role: 'user', content: 'edit' }], { jsonSchema: schema });
    assert.equal(r.answer, json);
    const body = s.requests.at(-1)!.body;
    assert.ok(body[field], `${field} was sent`);
    assert.equal(body[field === 'guided_json' ? 'response_format' : 'guided_json'], undefined);
  }
  const off = new OpenAiRuntime({ kind: 'openai', baseUrl: s.baseUrl, model: 'Qwen/QwQ-32B', guidedDecoding: 'none' });
  await off.chat([{ role: 'user', content: 'edit' }], { jsonSchema: schema });
  const body = s.requests.at(-1)!.body;
  assert.equal(body.response_format ?? body.guided_json, undefined);
  assert.match(body.messages[0].content, /matches this JSON schema/);
});

test('without guided decoding, a JSON answer in prose or with trailing commas is repaired; prose alone is refused', async () => {
  const stream = [{ choices: [{ index: 0, delta: { content: 'Sure! Here is the edit:\n{"edits": [{"path": "a.js", "search": "}", "replace": "x",},],}\nHope it helps.' }, finish_reason: 'stop' }] }];
  const s = await replay({ models: vllm.models, stream, reply: vllm.reply });
  const rt = new OpenAiRuntime({ kind: 'openai', baseUrl: s.baseUrl, model: 'Qwen/QwQ-32B', guidedDecoding: 'none' });
  const r = await rt.chat([{ role: 'user', content: 'edit' }], { jsonSchema: { type: 'object' } });
  assert.deepEqual(JSON.parse(r.answer), { edits: [{ path: 'a.js', search: '}', replace: 'x' }] });
  assert.equal(repairJson('no json here'), undefined);
  assert.equal(repairJson('[1, {"a": "]"}] tail'), '[1,{"a":"]"}]');
  assert.throws(() => strictJson('I could not do it.'), /not valid JSON/);
});

test('a served inline model: infill goes to /v1/completions with the suffix (the FIM field vLLM, llama.cpp server and Ollama take)', async () => {
  const stream = [{ choices: [{ index: 0, text: 'sum += x;' }] }, { choices: [{ index: 0, text: '', finish_reason: 'stop' }] }, { choices: [], usage: { prompt_tokens: 9, completion_tokens: 4 } }];
  const s = await replay({ models: { object: 'list', data: [{ id: 'coder' }] }, stream, reply: {} });
  const rt = new OpenAiRuntime({ kind: 'openai', baseUrl: s.baseUrl, model: 'coder' });
  const r = await rt.infill('for (const x of xs) {\n  ', '\n}\n', { maxTokens: 32 });
  assert.equal(r.text, 'sum += x;');
  assert.equal(r.stats.completionTokens, 4);
  const body = s.requests.at(-1)!;
  assert.equal(body.path, '/v1/completions');
  assert.deepEqual([body.body.prompt, body.body.suffix, body.body.max_tokens], ['for (const x of xs) {\n  ', '\n}\n', 32]);
});
