// Typed IPC between the runtime (parent) and the llama worker (child process). One union per direction;
// every request carries an id, and the child answers each id exactly once with `result` or `error`.
import type { ChatMessage, ChatResult, CompletionResult, ModelInfo, SamplingOptions, StopReason, StreamChunk } from '../types';
import type { ModelFileInfo } from '../modelFile';
import type { ModelFileError } from '../ggufBounds';

export interface WorkerLoadOptions {
  modelPath: string;
  source: string;
  /** An explicit context size (refused when it cannot fit); unset: the largest up to maxContextSize that fits. */
  contextSize?: number;
  /** The context cap when none is set; the worker lowers it to the model's training context. */
  maxContextSize: number;
  /** Test hook: pretend this much RAM is free and no VRAM (the memory plan's inputs). */
  freeMemoryBytes?: number;
  threads: number;
  gpu: 'auto' | false;
  draftModelPath?: string;
  draftMinTokens?: number;
  promptLookup?: boolean;
}

export interface ToolSpec { name: string; description: string; parameters: Record<string, unknown> }

export interface WorkerChatOptions extends SamplingOptions {
  maxTokens?: number;
  thoughtBudget?: number;
  jsonSchema?: Record<string, unknown>;
  tools?: ToolSpec[];
  /** Loop detection on the thought stream (default on). */
  loopDetection?: boolean;
}

export interface WorkerCompletionOptions extends SamplingOptions {
  maxTokens?: number;
  jsonSchema?: Record<string, unknown>;
  stopStrings?: string[];
}

export type ParentToWorker =
  | { type: 'load'; id: number; options: WorkerLoadOptions }
  | { type: 'chat'; id: number; messages: ChatMessage[]; options: WorkerChatOptions }
  | { type: 'complete'; id: number; prompt: string; options: WorkerCompletionOptions }
  | { type: 'infill'; id: number; prefix: string; suffix: string; options: WorkerCompletionOptions }
  | { type: 'tokenize'; id: number; text: string }
  | { type: 'abort'; id: number }
  | { type: 'toolResult'; id: number; callId: number; result?: unknown; error?: string }
  | { type: 'dispose'; id: number };

/** The load reply: the model, and its file's header facts, read in the worker (the host never imports
 *  node-llama-cpp; it only ran the bounds check of ggufBounds.ts before the fork). */
export interface WorkerLoadResult extends ModelInfo { file: ModelFileInfo }

export type WorkerResultValue = WorkerLoadResult | ModelInfo | ChatResult | CompletionResult | number[] | null;

export type WorkerToParent =
  | { type: 'ready'; pid: number }
  | { type: 'chunk'; id: number; chunk: StreamChunk }
  | { type: 'text'; id: number; text: string }
  | { type: 'toolCall'; id: number; callId: number; name: string; args: unknown }
  | { type: 'result'; id: number; value: WorkerResultValue }
  /** fileError: the worker refused the model file (a ModelFileError with this code), so the host rethrows one. */
  | { type: 'error'; id: number; message: string; fileError?: ModelFileError['code'] }
  | { type: 'log'; line: string };

export type { StopReason };
