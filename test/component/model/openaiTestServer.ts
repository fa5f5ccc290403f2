// A real OpenAI-compatible HTTP server on 127.0.0.1 for the tests, answering with a tiny model through our
// own LlamaRuntime (no fetch mocks). `reasoning: 'field'` streams thoughts as `reasoning_content` (llama.cpp
// --reasoning-format, vLLM, SGLang); `reasoning: 'tags'` puts them inside content, after an opened `<think>`
// (a server with no reasoning parser and QwQ's template).
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LlamaRuntime } from '../../../src/core/model/llamaRuntime';

export interface TestServer { baseUrl: string; requests: Array<{ path: string; body: any }>; aborted: number; close(): Promise<void> }

async function readJson(req: IncomingMessage): Promise<any> {
  let text = '';
  for await (const c of req) text += c;
  return text ? JSON.parse(text) : {};
}

export async function startOpenAiTestServer(rt: LlamaRuntime, reasoning: 'field' | 'tags'): Promise<TestServer> {
  const state: TestServer = { baseUrl: '', requests: [], aborted: 0, close: async () => undefined };
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'qwq-test', object: 'model' }] }));
      return;
    }
    if (req.method !== 'POST') { res.writeHead(404); res.end(); return; }
    const body = await readJson(req);
    state.requests.push({ path: req.url ?? '', body });
    const controller = new AbortController();
    res.on('close', () => { if (!res.writableEnded) { state.aborted++; controller.abort(); } });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (obj: unknown): void => { if (!res.writableEnded) res.write(`data: ${JSON.stringify(obj)}\n\n`); };
    const sampling = { temperature: body.temperature, topP: body.top_p, topK: body.top_k, minP: body.min_p, seed: body.seed, maxTokens: body.max_tokens, signal: controller.signal };
    try {
      if (req.url === '/v1/chat/completions') {
        // Guided decoding in either dialect: OpenAI's response_format, or vLLM's older guided_json.
        const schema = body.response_format?.type === 'json_schema' ? body.response_format.json_schema.schema : body.guided_json;
        let opened = false;
        const r = await rt.chat(body.messages, {
          ...sampling, ...(schema ? { jsonSchema: schema } : {}),
          onChunk: (c) => {
            if (c.kind === 'thought' && reasoning === 'field') send({ choices: [{ index: 0, delta: { reasoning_content: c.text } }] });
            else if (c.kind === 'thought') send({ choices: [{ index: 0, delta: { content: c.text } }] });
            else {
              // Tags mode: the template opened <think>, so the server's content shows only the closing tag.
              if (reasoning === 'tags' && !opened && !schema) { opened = true; send({ choices: [{ index: 0, delta: { content: '</th' } }] }); send({ choices: [{ index: 0, delta: { content: 'ink>\n\n' } }] }); }
              send({ choices: [{ index: 0, delta: { content: c.text } }] });
            }
          },
        });
        send({ choices: [{ index: 0, delta: {}, finish_reason: r.stopReason === 'maxTokens' ? 'length' : 'stop' }] });
        send({ choices: [], usage: { prompt_tokens: r.stats.promptTokens, completion_tokens: r.stats.completionTokens, prompt_tokens_details: { cached_tokens: r.stats.reusedTokens } } });
      } else if (req.url === '/v1/completions') {
        const onText = (t: string): void => send({ choices: [{ index: 0, text: t }] });
        // A `suffix` is fill-in-the-middle, as vLLM, llama.cpp server and Ollama map it onto the FIM template.
        const r = typeof body.suffix === 'string'
          ? await rt.infill(body.prompt, body.suffix, { ...sampling, onText })
          : await rt.complete(body.prompt, { ...sampling, onText });
        send({ choices: [{ index: 0, text: '', finish_reason: r.stopReason === 'maxTokens' ? 'length' : 'stop' }] });
        send({ choices: [], usage: { prompt_tokens: r.stats.promptTokens, completion_tokens: r.stats.completionTokens } });
      }
      if (!res.writableEnded) res.end('data: [DONE]\n\n');
    } catch (e) {
      send({ error: { message: (e as Error).message } });
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); });
  return state;
}
