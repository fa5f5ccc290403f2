// The model runtime's public contract (issue 4). The agent, the CLI and the extension depend only on this.
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
}

export interface ChatOptions extends SamplingOptions {
  maxTokens?: number;
  /** Most tokens spent inside <think>; 0 means answer at once (an empty think block). */
  thoughtBudget?: number;
  /** Constrains the answer to this JSON schema (a grammar; thinking is off for that call, RECIPES §3c). */
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
