// Before loading: weights + KV cache for the chosen context + working memory, against free memory. A model
// that does not fit is refused with numbers and a way out, instead of thrashing the machine (issue 4).
import { freemem } from 'node:os';
import { readFileSync } from 'node:fs';
import type { ModelFileInfo } from './modelFile';

export interface MemoryEstimate {
  weightsBytes: number;
  kvCacheBytes: number;
  /** Compute buffers and scratch: a rough share of the weights plus a fixed floor. */
  overheadBytes: number;
  totalBytes: number;
  contextSize: number;
}

export class ModelMemoryError extends Error {
  constructor(message: string, readonly estimate: MemoryEstimate, readonly freeBytes: number) {
    super(message);
    this.name = 'ModelMemoryError';
  }
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export function formatBytes(n: number): string {
  if (n >= GiB) return `${(n / GiB).toFixed(1)} GiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${Math.max(0, Math.round(n))} B`;
}

export function estimateMemory(info: Pick<ModelFileInfo, 'weightsBytes' | 'kvBytesPerToken'>, contextSize: number): MemoryEstimate {
  const kvCacheBytes = info.kvBytesPerToken * contextSize;
  const overheadBytes = Math.round(info.weightsBytes * 0.05) + 64 * MiB;
  return { weightsBytes: info.weightsBytes, kvCacheBytes, overheadBytes, totalBytes: info.weightsBytes + kvCacheBytes + overheadBytes, contextSize };
}

/** Free memory the OS can give us: MemAvailable on Linux (counts reclaimable cache), else os.freemem(). */
export function availableMemoryBytes(): number {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch { /* not Linux */ }
  return freemem();
}

/** The largest context (a multiple of 1024, at least 0) whose estimate fits in `freeBytes`. */
export function largestFittingContext(info: Pick<ModelFileInfo, 'weightsBytes' | 'kvBytesPerToken'>, freeBytes: number): number {
  const base = estimateMemory(info, 0).totalBytes;
  if (info.kvBytesPerToken <= 0) return base <= freeBytes ? Number.MAX_SAFE_INTEGER : 0;
  return Math.max(0, Math.floor((freeBytes - base) / info.kvBytesPerToken / 1024) * 1024);
}

/** Throws ModelMemoryError when the estimate exceeds free memory. */
export function checkMemory(info: Pick<ModelFileInfo, 'weightsBytes' | 'kvBytesPerToken'> & { name?: string; path?: string }, contextSize: number, freeBytes: number): MemoryEstimate {
  const e = estimateMemory(info, contextSize);
  if (e.totalBytes <= freeBytes) return e;
  const fits = largestFittingContext(info, freeBytes);
  const hint = fits >= 2048
    ? `Lower the context size to ${fits} tokens or less (setting qwq.contextSize), use a smaller quantization, or free memory.`
    : 'The weights alone do not fit: use a smaller quantization or model, or free memory.';
  throw new ModelMemoryError(
    `not enough memory for ${info.name ?? info.path ?? 'the model'}: it needs about ${formatBytes(e.totalBytes)} (weights ${formatBytes(e.weightsBytes)} + KV cache ${formatBytes(e.kvCacheBytes)} for ${contextSize} tokens + ${formatBytes(e.overheadBytes)} working memory) but only ${formatBytes(freeBytes)} is free. ${hint}`,
    e, freeBytes);
}
