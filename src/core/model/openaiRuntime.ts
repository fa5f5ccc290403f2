// The scale-out runtime: any OpenAI-compatible server (llama.cpp server, vLLM, SGLang, Ollama). Streams over
// SSE; `reasoning_content` (or `reasoning`) deltas and `<think>…</think>` inside content both become thought
// chunks; an AbortSignal closes the request; JSON schemas go as response_format where the server supports it,
// else as an instruction followed by a strict parse.
import type {
  ChatMessage, ChatOptions, ChatResult, CompletionOptions, CompletionResult, GenerationStats, ModelInfo,
  ObservableModelRuntime, RemoteRuntimeConfig, RuntimeState, StopReason, StreamChunk,
} from './types';
import { QWQ_SAMPLING } from './sampling';
import { readSseData } from './sse';
import { ThinkTagSplitter } from './thinkTagSplitter';
import { LoopDetector } from './loopDetector';
import { listServerModels, serverHeaders, serverUrl } from './serverProbe';
import { errorMessage } from '../util';

/** Characters per token before the server told us better (English prose and code average 3.5 to 4). */
const DEFAULT_CHARS_PER_TOKEN = 3.5;

interface Delta {
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }>;
}

interface StreamPayload {
  choices?: Array<{ delta?: Delta; text?: string; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } };
  timings?: { prompt_n?: number; cache_n?: number };
  error?: { message?: string };
}

type WireMessage = { role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string };

export class OpenAiRuntime implements ObservableModelRuntime {
  private current: RuntimeState = { state: 'idle' };
  private info: ModelInfo | undefined;

  constructor(readonly config: RemoteRuntimeConfig) {}

  get state(): RuntimeState { return this.current; }

  private setState(s: RuntimeState): void {
    this.current = s;
    this.config.onStateChange?.(s);
  }

  /** Measured from each reply's `usage` (characters generated per completion token); the thought budget
   *  counts tokens with it while the stream runs, since usage arrives only at the end. */
  private charsPerToken = DEFAULT_CHARS_PER_TOKEN;

  private url(path: string): string {
    return serverUrl(this.config.baseUrl, path);
  }

  private headers(): Record<string, string> {
    return serverHeaders(this.config);
  }

  private get guided(): 'response_format' | 'guided_json' | 'none' {
    if (this.config.supportsJsonSchema === false) return 'none';
    return this.config.guidedDecoding ?? 'response_format';
  }

  /** The request fields that constrain the answer to a JSON schema, per the server's dialect. */
  private guidedFields(schema: Record<string, unknown> | undefined): Record<string, unknown> {
    if (!schema) return {};
    if (this.guided === 'guided_json') return { guided_json: schema };
    if (this.guided === 'response_format') return { response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } } };
    return {};
  }

  /** Tokens in `text` by the measured ratio (an estimate until the first reply's usage arrived). */
  estimateTokens(text: string): number {
    return Math.ceil(text.length / this.charsPerToken);
  }

  /** QwQ-like models get their `<think>` opened by the server's template, so content starts as thought. */
  private get startsInThought(): boolean {
    return /qwq|think|r1/i.test(this.config.model);
  }

  async load(signal?: AbortSignal): Promise<ModelInfo> {
    if (this.info) return this.info;
    this.setState({ state: 'loading', source: this.config.baseUrl });
    let served: string[];
    try {
      served = await listServerModels({ baseUrl: this.config.baseUrl, apiKey: this.config.apiKey, headers: this.config.headers, signal, timeoutMs: this.config.timeoutMs ?? 30_000 });
    } catch (e) {
      this.setState({ state: 'idle' });
      throw e;
    }
    // Ollama lists `qwq:latest` for `qwq`; an empty list (some gateways) is taken on trust.
    if (served.length > 0 && !served.some((id) => id === this.config.model || id === `${this.config.model}:latest`)) {
      this.setState({ state: 'idle' });
      throw new Error(`the model server at ${this.config.baseUrl} does not serve ${JSON.stringify(this.config.model)}; it serves ${served.slice(0, 8).map((m) => JSON.stringify(m)).join(', ')}`);
    }
    this.info = { source: `${this.config.baseUrl} (${this.config.model})`, architecture: 'remote', contextSize: this.config.contextSize ?? 32768, hasInfill: false };
    this.setState({ state: 'ready', info: this.info });
    return this.info;
  }

  private async post(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(this.url(path), { method: 'POST', headers: this.headers(), body: JSON.stringify(body), signal });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new Error(`request to ${this.url(path)} failed: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
    }
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => '');
      throw new Error(`${this.url(path)} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    }
    return res;
  }

  private sampling(o: ChatOptions | CompletionOptions): Record<string, unknown> {
    return {
      temperature: o.temperature ?? QWQ_SAMPLING.temperature,
      top_p: o.topP ?? QWQ_SAMPLING.topP,
      top_k: o.topK ?? QWQ_SAMPLING.topK,
      min_p: o.minP ?? QWQ_SAMPLING.minP,
      presence_penalty: o.presencePenalty ?? QWQ_SAMPLING.presencePenalty,
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(o.maxTokens !== undefined ? { max_tokens: o.maxTokens } : {}),
    };
  }

  async chat(messages: ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
    await this.load(options.signal);
    const started = Date.now();
    const wire: WireMessage[] = messages.map((m) => ({ role: m.role, content: m.content }));
    if (options.jsonSchema && this.guided === 'none') {
      wire.unshift({ role: 'system', content: `Answer with only one JSON value, no prose and no code fence, that matches this JSON schema:\n${JSON.stringify(options.jsonSchema)}` });
    }
    const tools = options.tools ? Object.entries(options.tools).map(([name, t]) => ({ type: 'function', function: { name, description: t.description, parameters: t.parameters } })) : undefined;
    const internal = new AbortController();
    const outer = options.signal;
    const onOuter = (): void => internal.abort();
    if (outer?.aborted) internal.abort(); else outer?.addEventListener('abort', onOuter, { once: true });
    const splitter = new ThinkTagSplitter(this.startsInThought && !options.jsonSchema);
    const loop = new LoopDetector();
    let thought = '';
    let stopReason: StopReason = 'eos';
    let stopDetail: string | undefined;
    let firstTokenAt = 0;
    let completionTokens = 0;
    let promptTokens = 0;
    let reusedTokens = 0;
    let generatedChars = 0;
    /** Completion tokens the server reported while streaming (vLLM's continuous usage stats), else 0. */
    let liveCompletionTokens = 0;
    const emit = (c: StreamChunk): void => {
      if (!firstTokenAt) firstTokenAt = Date.now();
      options.onChunk?.(c);
      generatedChars += c.text.length;
      if (c.kind === 'thought') {
        thought += c.text;
        const verdict = loop.push(c.text);
        if (verdict && !stopDetail) { stopReason = 'loop'; stopDetail = `stopped a repetition loop in the thinking: ${verdict.detail}`; internal.abort(); }
        // Tokens, not stream chunks: a server may send several tokens per chunk (vLLM) or split one.
        const thoughtTokens = Math.max(this.estimateTokens(thought), liveCompletionTokens && thought.length === generatedChars ? liveCompletionTokens : 0);
        if (options.thoughtBudget !== undefined && thoughtTokens > options.thoughtBudget && !stopDetail) {
          stopReason = 'thoughtBudget'; stopDetail = `the thinking passed its budget of ${options.thoughtBudget} tokens`; internal.abort();
        }
      }
    };
    let answer = '';
    try {
      // Tool calls loop: run the handlers here, send the results back, continue.
      for (let round = 0; round < 16; round++) {
        const body = {
          model: this.config.model, messages: wire, stream: true, stream_options: { include_usage: true, continuous_usage_stats: true }, ...this.sampling(options),
          ...this.guidedFields(options.jsonSchema),
          ...(tools ? { tools } : {}),
        };
        let res: Response;
        try {
          res = await this.post('/chat/completions', body, internal.signal);
        } catch (e) {
          if (internal.signal.aborted) { if (stopReason === 'eos') stopReason = 'aborted'; break; }
          throw e;
        }
        const calls: Array<{ id: string; name: string; args: string }> = [];
        let finish: string | undefined;
        let roundUsage: StreamPayload['usage'];
        const roundCompletionBase = completionTokens;
        try {
          for await (const data of readSseData(res.body!)) {
            if (data === '[DONE]') break;
            // Stopped (budget, loop, cancel): what is still buffered from the stream is not taken.
            if (internal.signal.aborted) break;
            const p = JSON.parse(data) as StreamPayload;
            if (p.error) throw new Error(`the model server reported an error: ${p.error.message ?? JSON.stringify(p.error)}`);
            // With continuous usage stats every chunk carries running totals: keep the last of this round.
            if (p.usage) roundUsage = p.usage;
            if (p.usage?.completion_tokens !== undefined) liveCompletionTokens = roundCompletionBase + p.usage.completion_tokens;
            if (p.timings?.cache_n !== undefined) reusedTokens = p.timings.cache_n;
            const choice = p.choices?.[0];
            if (!choice) continue;
            const d = choice.delta ?? {};
            const reasoning = d.reasoning_content ?? d.reasoning;
            if (reasoning) { splitter.reasoningSeparated(); emit({ kind: 'thought', text: reasoning }); }
            if (d.content) for (const c of splitter.push(d.content)) emit(c);
            for (const tc of d.tool_calls ?? []) {
              const slot = (calls[tc.index] ??= { id: tc.id ?? `call_${tc.index}`, name: '', args: '' });
              if (tc.function?.name) slot.name += tc.function.name;
              if (tc.function?.arguments) slot.args += tc.function.arguments;
            }
            if (choice.finish_reason) finish = choice.finish_reason;
          }
        } catch (e) {
          if (!internal.signal.aborted) throw e;
          if (stopReason === 'eos') stopReason = 'aborted';
          if (roundUsage) completionTokens += roundUsage.completion_tokens ?? 0;
          break;
        }
        if (internal.signal.aborted && stopReason === 'eos') stopReason = 'aborted';
        if (roundUsage) {
          promptTokens += roundUsage.prompt_tokens ?? 0;
          completionTokens += roundUsage.completion_tokens ?? 0;
          reusedTokens += roundUsage.prompt_tokens_details?.cached_tokens ?? 0;
        }
        for (const c of splitter.end()) emit(c);
        if (finish === 'length') { stopReason = 'maxTokens'; stopDetail = `reached maxTokens (${options.maxTokens})`; }
        if (finish !== 'tool_calls' || calls.length === 0 || !options.tools) break;
        wire.push({ role: 'assistant', content: null, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })) });
        for (const c of calls) {
          let result: unknown;
          let error: string | undefined;
          let args: unknown;
          try {
            args = JSON.parse(c.args || '{}');
            const tool = options.tools[c.name];
            if (!tool) throw new Error(`unknown tool ${c.name}`);
            result = await tool.handler(args, options.signal);
          } catch (e) { error = errorMessage(e); }
          options.onToolCall?.({ name: c.name, args, result, ...(error !== undefined ? { error } : {}) });
          wire.push({ role: 'tool', tool_call_id: c.id, content: error !== undefined ? `error: ${error}` : JSON.stringify(result ?? null) });
        }
      }
    } finally {
      outer?.removeEventListener('abort', onOuter);
    }
    // The splitter may have reclassified leading text as thought once `</think>` arrived.
    if (splitter.thought && !thought.includes(splitter.thought)) thought = splitter.thought + thought;
    answer = splitter.answer.trim();
    if (options.jsonSchema && stopReason === 'eos') answer = strictJson(answer);
    if (completionTokens > 0 && generatedChars > 0) this.charsPerToken = Math.min(8, Math.max(1, generatedChars / completionTokens));
    else if (completionTokens === 0) completionTokens = this.estimateTokens(thought) + this.estimateTokens(answer);
    const stats: GenerationStats = {
      promptTokens, reusedTokens, evaluatedTokens: Math.max(0, promptTokens - reusedTokens), completionTokens,
      tokensPerSecond: firstTokenAt && completionTokens > 1 ? (completionTokens - 1) / ((Date.now() - firstTokenAt) / 1000) : 0,
      timeToFirstTokenMs: firstTokenAt ? firstTokenAt - started : 0, durationMs: Date.now() - started,
    };
    return { thought: thought.trim(), answer, stopReason, ...(stopDetail ? { stopDetail } : {}), stats };
  }

  async complete(prompt: string, options: CompletionOptions = {}, suffix?: string): Promise<CompletionResult> {
    await this.load(options.signal);
    const started = Date.now();
    const body = {
      model: this.config.model, prompt, stream: true, stream_options: { include_usage: true }, ...this.sampling(options),
      ...(options.stopStrings?.length ? { stop: options.stopStrings } : {}),
      ...this.guidedFields(options.jsonSchema),
      ...(suffix !== undefined ? { suffix } : {}),
    };
    let text = '';
    let stopReason: StopReason = 'eos';
    let firstTokenAt = 0;
    let promptTokens = 0;
    let completionTokens = 0;
    try {
      const res = await this.post('/completions', body, options.signal);
      for await (const data of readSseData(res.body!)) {
        if (data === '[DONE]') break;
        const p = JSON.parse(data) as StreamPayload;
        if (p.error) throw new Error(`the model server reported an error: ${p.error.message}`);
        if (p.usage) { promptTokens = p.usage.prompt_tokens ?? 0; completionTokens = p.usage.completion_tokens ?? 0; }
        const c = p.choices?.[0];
        if (c?.text) {
          if (!firstTokenAt) firstTokenAt = Date.now();
          text += c.text;
          options.onText?.(c.text);
        }
        if (c?.finish_reason === 'length') stopReason = 'maxTokens';
      }
    } catch (e) {
      if (!options.signal?.aborted) throw e;
      stopReason = 'aborted';
    }
    return {
      text: options.jsonSchema && stopReason === 'eos' ? strictJson(text) : text, stopReason,
      stats: { promptTokens, reusedTokens: 0, evaluatedTokens: promptTokens, completionTokens, tokensPerSecond: 0, timeToFirstTokenMs: firstTokenAt ? firstTokenAt - started : 0, durationMs: Date.now() - started },
    };
  }

  /** Fill-in-the-middle through /v1/completions with a `suffix` (the OpenAI completions field, which vLLM,
   *  llama.cpp server and Ollama map onto the model's FIM template). */
  async infill(prefix: string, suffix: string, options: CompletionOptions = {}): Promise<CompletionResult> {
    return this.complete(prefix, options, suffix);
  }

  /** The server's tokenizer when it has one (llama.cpp's POST /tokenize); otherwise an estimate (≈3.5 chars/token). */
  async countTokens(text: string): Promise<number> {
    try {
      const root = this.config.baseUrl.replace(/\/v1\/?$/, '');
      const res: Response = await fetch(`${root}/tokenize`, { method: 'POST', headers: this.headers(), body: JSON.stringify({ content: text }) });
      if (res.ok) {
        const body = await res.json() as { tokens?: unknown[] };
        if (Array.isArray(body.tokens)) return body.tokens.length;
      }
    } catch { /* fall through to the estimate */ }
    return this.estimateTokens(text);
  }

  async dispose(): Promise<void> {
    this.setState({ state: 'disposed' });
  }
}

/** The answer as canonical JSON, or a clear error when it is not JSON. Without guided decoding a model may
 *  wrap the JSON in a code fence or prose, or leave a trailing comma: the first complete JSON value in the
 *  answer is taken, and trailing commas are dropped, before giving up. */
export function strictJson(answer: string): string {
  const unfenced = answer.trim().replace(/^```(?:json)?\s*\n?/i, '').replace(/\n?```\s*$/, '').trim();
  try {
    return JSON.stringify(JSON.parse(unfenced));
  } catch (e) {
    const repaired = repairJson(unfenced);
    if (repaired !== undefined) return repaired;
    throw new Error(`the model's answer is not valid JSON (${(e as Error).message}): ${unfenced.slice(0, 120)}`);
  }
}

/** The first balanced {…} or […] in `text` (strings and escapes respected), parsed after dropping trailing
 *  commas; undefined when there is none that parses. */
export function repairJson(text: string): string | undefined {
  for (let start = text.search(/[[{]/); start >= 0; start = nextOpen(text, start + 1)) {
    const end = balancedEnd(text, start);
    if (end < 0) continue;
    const candidate = text.slice(start, end + 1).replace(/,(\s*[}\]])/g, '$1');
    try { return JSON.stringify(JSON.parse(candidate)); } catch { /* try the next opener */ }
  }
  return undefined;
}

function nextOpen(text: string, from: number): number {
  const i = text.slice(from).search(/[[{]/);
  return i < 0 ? -1 : from + i;
}

function balancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') stack.push('}');
    else if (ch === '[') stack.push(']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}
