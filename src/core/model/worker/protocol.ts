// Typed IPC between the runtime (parent) and the llama worker (child process). One union per direction;
// every request carries an id, and the child answers each id exactly once with `result` or `error`.
import type { ChatMessage, ChatResult, CompletionResult, ModelInfo, SamplingOptions, StopReason, StreamChunk } from '../types';

export interface WorkerLoadOptions {
  modelPath: string;
  source: string;
  /** An explicit context size (refused when it cannot fit); unset: the largest up to maxContextSize that fits. */
  contextSize?: number;
  maxContextSize: number;
  trainContextSize: number;
  /** Test hook: pretend this much RAM is free and no VRAM (the memory plan's inputs). */
  freeMemoryBytes?: number;
  /** A readable model name for the memory plan. */
  name?: string;
  architecture: string;
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

export type WorkerResultValue = ModelInfo | ChatResult | CompletionResult | number[] | null;

export type WorkerToParent =
  | { type: 'ready'; pid: number }
  | { type: 'chunk'; id: number; chunk: StreamChunk }
  | { type: 'text'; id: number; text: string }
  | { type: 'toolCall'; id: number; callId: number; name: string; args: unknown }
  | { type: 'result'; id: number; value: WorkerResultValue }
  | { type: 'error'; id: number; message: string }
  | { type: 'log'; line: string };

export type { StopReason };
