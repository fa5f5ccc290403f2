// The model runtime's public contract (docs/architecture.md §2). The agent, the CLI and the extension depend only on this.
// Owner: model runtime. Extend freely; do not break these shapes without updating the callers.

export type SegmentKind = 'thought' | 'answer';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  /** For assistant turns, only the final answer: QwQ's card says thoughts are not kept in history. */
  content: string;
}

export interface StreamChunk { kind: SegmentKind; text: string }

/** A read-only tool the model may call (QwQ's <tool_call> format). Handlers run in the caller's process. */
export interface ToolDefinition {
  description: string;
  /** JSON schema of the arguments object. */
  parameters: Record<string, unknown>;
  handler(args: any, signal?: AbortSignal): Promise<unknown>;
}

export interface SamplingOptions {
  temperature?: number;
  topP?: number;
  topK?: number;
  minP?: number;
  presencePenalty?: number;
  seed?: number;
  /** Never sample tokens whose text is not ASCII (or is a partial UTF-8 byte): keeps JSON from random or
   * small models valid under maxLength (docs/architecture.md §2). Off by default. */
  asciiOnly?: boolean;
}

export interface ChatOptions extends SamplingOptions {
  maxTokens?: number;
  /** Most tokens spent inside <think>; 0 means answer at once (an empty think block). */
  thoughtBudget?: number;
  /** Constrains the answer to this JSON schema (a grammar; thinking is off for that call, docs/architecture.md §2). */
  jsonSchema?: Record<string, unknown>;
  tools?: Record<string, ToolDefinition>;
  signal?: AbortSignal;
  onChunk?(chunk: StreamChunk): void;
  onToolCall?(call: { name: string; args: unknown; result: unknown; error?: string }): void;
}

export type StopReason = 'eos' | 'maxTokens' | 'thoughtBudget' | 'loop' | 'aborted' | 'error';

export interface GenerationStats {
  promptTokens: number;
  /** Prompt tokens served from the KV cache instead of being evaluated again. */
  reusedTokens: number;
  evaluatedTokens: number;
  completionTokens: number;
  tokensPerSecond: number;
  timeToFirstTokenMs: number;
  durationMs: number;
  /** Speculative decoding (draft model or prompt lookup), when one is on: predicted tokens the model
   * confirmed (validated) or rejected (refuted) in this call. */
  predictions?: { validated: number; refuted: number };
}

export interface ChatResult {
  thought: string;
  answer: string;
  stopReason: StopReason;
  /** Why generation stopped, in words, when it was not a normal end (for example the loop that was detected). */
  stopDetail?: string;
  stats: GenerationStats;
}

export interface CompletionOptions extends SamplingOptions {
  maxTokens?: number;
  jsonSchema?: Record<string, unknown>;
  stopStrings?: string[];
  signal?: AbortSignal;
  onText?(text: string): void;
}

export interface CompletionResult { text: string; stopReason: StopReason; stats: GenerationStats }

export interface ModelInfo {
  /** Where it came from: a path, an hf: URI, a URL, or an endpoint. */
  source: string;
  architecture: string;
  parameters?: number;
  contextSize: number;
  trainContextSize?: number;
  fileSizeBytes?: number;
  hasInfill: boolean;
  /** The backend llama.cpp runs on ('cuda', 'vulkan', 'metal', or false for CPU); local runtime only. */
  gpu?: string | false;
  /** What the model needs and where it runs (node-llama-cpp's estimate, before loading); local runtime only. */
  memory?: { summary: string; placement: 'gpu' | 'split' | 'cpu'; gpuLayers: number; totalLayers: number; ramBytes: number; vramBytes: number };
  /** Where the load time went, in ms (worker start, node-llama-cpp import, backend init, weights, context). */
  loadTimings?: Record<string, number>;
}

export interface ModelRuntime {
  load(signal?: AbortSignal): Promise<ModelInfo>;
  chat(messages: ChatMessage[], options?: ChatOptions): Promise<ChatResult>;
  complete(prompt: string, options?: CompletionOptions): Promise<CompletionResult>;
  /** Fill-in-the-middle; throws when the model has no FIM tokens. */
  infill(prefix: string, suffix: string, options?: CompletionOptions): Promise<CompletionResult>;
  countTokens(text: string): Promise<number>;
  dispose(): Promise<void>;
}

// ---- Additions: load state, download progress, runtime configuration. ----

/** Where the runtime is; the extension shows it in the status bar. */
export type RuntimeState =
  | { state: 'idle' }
  | { state: 'downloading'; progress: DownloadProgress }
  | { state: 'loading'; source: string }
  | { state: 'ready'; info: ModelInfo }
  | { state: 'crashed'; message: string }
  | { state: 'disposed' };

export interface DownloadProgress {
  url: string;
  downloadedBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  /** Seconds left at the current speed; undefined until a speed is known. */
  etaSeconds?: number;
}

export interface LocalRuntimeConfig {
  kind?: 'local';
  /** A GGUF path, an `hf:user/repo:QUANT` URI or an https URL (default hf:Qwen/QwQ-32B-GGUF:Q4_K_M). */
  model: string;
  /** Where hf:/URL models are downloaded (default ~/.cache/qwq-coder/models). */
  modelsDir?: string;
  /** Download a missing hf:/URL model on load (default false: load throws and says to pull it). */
  allowDownload?: boolean;
  /** Context size in tokens; refused when it cannot fit. Unset: the largest up to 32768 (or the model's own,
   * if smaller) that fits, as node-llama-cpp estimates it for this machine's RAM and VRAM. */
  contextSize?: number;
  /** CPU threads (default: physical cores minus one, at least 1). */
  threads?: number;
  /** 'auto' tries the GPU and falls back to CPU (default); false forces CPU. */
  gpu?: 'auto' | false;
  /** Free-memory source for the memory plan (tests): pretend this much RAM is free and no VRAM. */
  freeMemoryBytes?: () => number;
  /** Speculative decoding: a smaller draft model sharing the tokenizer (DraftSequenceTokenPredictor). */
  draftModel?: string;
  /** Tokens the draft model must have guessed before the target evaluates a step (default 0: never wait
   * for the draft, node-llama-cpp's advice when the draft is much faster than the target). */
  draftMinTokens?: number;
  /** Prompt-lookup decoding (InputLookupTokenPredictor): fast for edits that copy their input. */
  promptLookup?: boolean;
  /** The built worker script (out/llamaWorker.js); found automatically from out/ or from source under tsx. */
  workerPath?: string;
  /** The Node binary to fork (default process.execPath, run with ELECTRON_RUN_AS_NODE=1 inside VS Code). */
  execPath?: string;
  onStateChange?(state: RuntimeState): void;
  /** Log lines from the worker (stderr) and the runtime. */
  onLog?(line: string): void;
}

export interface RemoteRuntimeConfig {
  kind: 'openai';
  /** For example http://127.0.0.1:8080/v1 (llama.cpp server, vLLM, SGLang, Ollama). */
  baseUrl: string;
  apiKey?: string;
  /** Extra request headers (a gateway's routing header…); the API key goes in apiKey, never here. */
  headers?: Record<string, string>;
  /** The server's model name. */
  model: string;
  /** Guided decoding for JSON answers: 'response_format' (OpenAI json_schema: vLLM, SGLang, llama.cpp
   * server, Ollama), 'guided_json' (older vLLM), or 'none' (an instruction, then a strict parse with repair).
   * Default 'response_format'. `supportsJsonSchema: false` is the same as 'none'. */
  guidedDecoding?: 'response_format' | 'guided_json' | 'none';
  /** @deprecated use guidedDecoding; false means 'none'. */
  supportsJsonSchema?: boolean;
  contextSize?: number;
  /** Request timeout before the first byte, in ms (default 120000). */
  timeoutMs?: number;
  onStateChange?(state: RuntimeState): void;
}

export type RuntimeConfig = LocalRuntimeConfig | RemoteRuntimeConfig;

/** A runtime that also reports its state (both implementations do). */
export interface ObservableModelRuntime extends ModelRuntime {
  readonly state: RuntimeState;
  /** Tokens of `text` (the model's own tokenizer). */
  tokenize?(text: string): Promise<number[]>;
}
