// Checks an OpenAI-compatible server before it is chosen: that it answers GET /v1/models (and which models it
// serves), and how it returns a reasoning model's thinking: in a separate `reasoning_content` (or `reasoning`)
// field (vLLM and SGLang with a reasoning parser, llama.cpp server's default, DeepSeek), inline as
// `<think>…</think>` in the content (servers without a parser, Ollama's raw output), or not at all.
import { errorMessage } from '../util';


export type ReasoningFormat = 'reasoning_content' | 'think-tags' | 'none';

export interface ServerAccess { baseUrl: string; apiKey?: string; headers?: Record<string, string>; signal?: AbortSignal; timeoutMs?: number }

export function serverHeaders(a: Pick<ServerAccess, 'apiKey' | 'headers'>): Record<string, string> {
  return { 'content-type': 'application/json', ...a.headers, ...(a.apiKey ? { authorization: `Bearer ${a.apiKey}` } : {}) };
}

export function serverUrl(baseUrl: string, path: string): string {
  return `${baseUrl.trim().replace(/\/+$/, '')}${path}`;
}

function signalFor(a: ServerAccess): AbortSignal {
  const timeout = AbortSignal.timeout(a.timeoutMs ?? 15_000);
  return a.signal ? AbortSignal.any([a.signal, timeout]) : timeout;
}

/** The model ids the server lists; throws an Error in plain words when it is unreachable or refuses. */
export async function listServerModels(a: ServerAccess): Promise<string[]> {
  let res: Response;
  try {
    res = await fetch(serverUrl(a.baseUrl, '/models'), { headers: serverHeaders(a), signal: signalFor(a) });
  } catch (e) {
    throw new Error(`cannot reach the model server at ${a.baseUrl}: ${(e as Error & { cause?: Error }).cause?.message ?? errorMessage(e)}`);
  }
  if (res.status === 401 || res.status === 403) throw new Error(`the model server at ${a.baseUrl} refused the request (HTTP ${res.status}): check the API key`);
  if (!res.ok) throw new Error(`the model server at ${a.baseUrl} answered HTTP ${res.status} to GET /models; is this the /v1 base URL?`);
  const body = await res.json().catch(() => undefined) as { data?: Array<{ id?: unknown }>; models?: Array<{ name?: unknown; model?: unknown }> } | undefined;
  const ids = (body?.data ?? []).map((m) => m.id).filter((x): x is string => typeof x === 'string');
  // llama.cpp server also lists `models` (Ollama style); either shape is fine.
  for (const m of body?.models ?? []) { const id = m.model ?? m.name; if (typeof id === 'string' && !ids.includes(id)) ids.push(id); }
  return ids;
}

/** Classifies one chat reply (a non-streamed /chat/completions body). Pure; tested on recorded replies. */
export function reasoningFormatOf(reply: unknown): ReasoningFormat {
  const message = (reply as { choices?: Array<{ message?: Record<string, unknown> }> })?.choices?.[0]?.message ?? {};
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === 'string' && reasoning.trim() !== '') return 'reasoning_content';
  const content = typeof message.content === 'string' ? message.content : '';
  if (/<\/?think>/.test(content)) return 'think-tags';
  return 'none';
}

/** Asks the model a tiny question and sees where its thinking comes back. */
export async function detectReasoningFormat(a: ServerAccess & { model: string }): Promise<ReasoningFormat> {
  let res: Response;
  try {
    res = await fetch(serverUrl(a.baseUrl, '/chat/completions'), {
      method: 'POST', headers: serverHeaders(a), signal: signalFor({ ...a, timeoutMs: a.timeoutMs ?? 120_000 }),
      body: JSON.stringify({ model: a.model, messages: [{ role: 'user', content: 'What is 2+3? Answer with one number.' }], max_tokens: 256, temperature: 0, stream: false }),
    });
  } catch (e) {
    throw new Error(`cannot reach the model server at ${a.baseUrl}: ${(e as Error & { cause?: Error }).cause?.message ?? errorMessage(e)}`);
  }
  if (!res.ok) throw new Error(`the model server at ${a.baseUrl} answered HTTP ${res.status} to a chat request for ${a.model}`);
  return reasoningFormatOf(await res.json());
}
