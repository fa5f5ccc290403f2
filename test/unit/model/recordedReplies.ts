// Streaming replies in the shapes each server documents, for the same question to a QwQ-style reasoning
// model: vLLM (`--reasoning-parser deepseek_r1`: `reasoning_content` deltas, usage in a last chunk with
// stream_options.include_usage), llama.cpp server (`--reasoning-format deepseek`, its default:
// `reasoning_content`, `timings` with cache_n, usage), and Ollama's /v1 (no reasoning parser for QwQ's
// template in its OpenAI layer: `<think>…</think>` inline in content). Each also has its /v1/models body and
// a non-streamed reply (used to detect where the thinking comes back).

export interface RecordedServer {
  name: string;
  models: unknown;
  /** SSE data payloads of one streamed chat reply, in order (the `[DONE]` is added by the replay server). */
  stream: unknown[];
  /** A non-streamed /chat/completions reply. */
  reply: unknown;
  thought: string;
  answer: string;
  completionTokens: number;
}

const THOUGHT = ['Okay, the user asks for 2+3. ', 'Adding two and three gives five. ', 'That is simple arithmetic, so the answer is 5.'];
const ANSWER = ['The answer', ' is 5.'];
const created = 1733050000;

export const vllm: RecordedServer = {
  name: 'vLLM',
  models: { object: 'list', data: [{ id: 'Qwen/QwQ-32B', object: 'model', created, owned_by: 'vllm', root: 'Qwen/QwQ-32B', parent: null, max_model_len: 32768, permission: [] }] },
  stream: [
    { id: 'chatcmpl-a1', object: 'chat.completion.chunk', created, model: 'Qwen/QwQ-32B', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] },
    ...THOUGHT.map((t) => ({ id: 'chatcmpl-a1', object: 'chat.completion.chunk', created, model: 'Qwen/QwQ-32B', choices: [{ index: 0, delta: { reasoning_content: t }, logprobs: null, finish_reason: null }] })),
    ...ANSWER.map((t) => ({ id: 'chatcmpl-a1', object: 'chat.completion.chunk', created, model: 'Qwen/QwQ-32B', choices: [{ index: 0, delta: { content: t }, logprobs: null, finish_reason: null }] })),
    { id: 'chatcmpl-a1', object: 'chat.completion.chunk', created, model: 'Qwen/QwQ-32B', choices: [{ index: 0, delta: { content: '' }, logprobs: null, finish_reason: 'stop', stop_reason: null }] },
    { id: 'chatcmpl-a1', object: 'chat.completion.chunk', created, model: 'Qwen/QwQ-32B', choices: [], usage: { prompt_tokens: 17, total_tokens: 55, completion_tokens: 38 } },
  ],
  reply: { id: 'chatcmpl-a2', object: 'chat.completion', created, model: 'Qwen/QwQ-32B', choices: [{ index: 0, message: { role: 'assistant', reasoning_content: THOUGHT.join(''), content: ANSWER.join(''), tool_calls: [] }, logprobs: null, finish_reason: 'stop', stop_reason: null }], usage: { prompt_tokens: 17, total_tokens: 55, completion_tokens: 38 } },
  thought: THOUGHT.join(''), answer: ANSWER.join(''), completionTokens: 38,
};

const lcChunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) => ({
  choices: [{ finish_reason: finish, index: 0, delta }], created, id: 'chatcmpl-Xyz', model: 'qwq-32b-q4_k_m.gguf', system_fingerprint: 'b5120-7a84777f', object: 'chat.completion.chunk', ...extra,
});

export const llamaCppServer: RecordedServer = {
  name: 'llama.cpp server',
  models: { object: 'list', data: [{ id: 'qwq-32b-q4_k_m.gguf', object: 'model', created, owned_by: 'llamacpp', meta: { vocab_type: 2, n_vocab: 152064, n_ctx_train: 131072, n_embd: 5120, n_params: 32763876352, size: 19845357568 } }] },
  stream: [
    lcChunk({ role: 'assistant', content: null }),
    ...THOUGHT.map((t) => lcChunk({ reasoning_content: t })),
    ...ANSWER.map((t) => lcChunk({ content: t })),
    lcChunk({}, 'stop', { timings: { prompt_n: 5, prompt_ms: 40.1, cache_n: 12, predicted_n: 38, predicted_ms: 1900.5 } }),
    { choices: [], created, id: 'chatcmpl-Xyz', model: 'qwq-32b-q4_k_m.gguf', system_fingerprint: 'b5120-7a84777f', object: 'chat.completion.chunk', usage: { completion_tokens: 38, prompt_tokens: 17, total_tokens: 55 } },
  ],
  reply: { choices: [{ finish_reason: 'stop', index: 0, message: { role: 'assistant', reasoning_content: THOUGHT.join(''), content: ANSWER.join('') } }], created, model: 'qwq-32b-q4_k_m.gguf', object: 'chat.completion', usage: { completion_tokens: 38, prompt_tokens: 17, total_tokens: 55 }, id: 'chatcmpl-Q' },
  thought: THOUGHT.join(''), answer: ANSWER.join(''), completionTokens: 38,
};

const olChunk = (content: string, finish: string | null = null) => ({
  id: 'chatcmpl-512', object: 'chat.completion.chunk', created, model: 'qwq', system_fingerprint: 'fp_ollama', choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: finish }],
});

export const ollama: RecordedServer = {
  name: 'Ollama',
  models: { object: 'list', data: [{ id: 'qwq:latest', object: 'model', created, owned_by: 'library' }] },
  stream: [
    olChunk('<think>'), olChunk('\n'),
    ...THOUGHT.map((t) => olChunk(t)),
    olChunk('\n</th'), olChunk('ink>\n\n'),
    ...ANSWER.map((t) => olChunk(t)),
    olChunk('', 'stop'),
    { id: 'chatcmpl-512', object: 'chat.completion.chunk', created, model: 'qwq', system_fingerprint: 'fp_ollama', choices: [], usage: { prompt_tokens: 17, completion_tokens: 42, total_tokens: 59 } },
  ],
  reply: { id: 'chatcmpl-513', object: 'chat.completion', created, model: 'qwq', system_fingerprint: 'fp_ollama', choices: [{ index: 0, message: { role: 'assistant', content: `<think>\n${THOUGHT.join('')}\n</think>\n\n${ANSWER.join('')}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 17, completion_tokens: 42, total_tokens: 59 } },
  thought: THOUGHT.join(''), answer: ANSWER.join(''), completionTokens: 42,
};

/** A server with no reasoning at all (a plain instruct model). */
export const plainReply = { id: 'x', object: 'chat.completion', created, model: 'coder', choices: [{ index: 0, message: { role: 'assistant', content: '5' }, finish_reason: 'stop' }] };

export const recordedServers = [vllm, llamaCppServer, ollama];
