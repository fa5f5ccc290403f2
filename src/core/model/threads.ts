// Thread count for CPU inference: physical cores minus one for the editor, at least 1. node-llama-cpp's
// default oversubscribes small machines and runs 600x slower (docs/architecture.md §2).
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';

/** Physical cores from /proc/cpuinfo (distinct physical id + core id); logical count elsewhere. */
export function physicalCoreCount(cpuinfo?: string): number {
  let text = cpuinfo;
  if (text === undefined) {
    try { text = readFileSync('/proc/cpuinfo', 'utf8'); } catch { return Math.max(1, cpus().length); }
  }
  const cores = new Set<string>();
  for (const block of text.split(/\n\s*\n/)) {
    const phys = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (core !== undefined) cores.add(`${phys ?? 0}:${core}`);
  }
  if (cores.size > 0) return cores.size;
  const processors = text.match(/^processor\s*:/gm)?.length ?? 0;
  return Math.max(1, processors || cpus().length);
}

export function defaultThreadCount(cpuinfo?: string): number {
  return Math.max(1, physicalCoreCount(cpuinfo) - 1);
}

export class ThreadCountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThreadCountError';
  }
}

/** Logical cores (what the OS schedules on); at least 1. */
export function logicalCoreCount(): number {
  return Math.max(1, cpus().length);
}

/**
 * Refuses a thread count above the machine's logical cores: llama.cpp would start that many threads, and
 * more threads than cores only makes generation slower (100,000 threads ran for minutes without a token).
 * `what` names the knob in the message (the CLI flag or the setting).
 */
export function checkThreadCount(threads: number, what = 'the thread count', logical = logicalCoreCount()): number {
  if (!Number.isInteger(threads) || threads < 1) throw new ThreadCountError(`${what} must be a whole number ≥ 1, got ${threads}`);
  if (threads > logical) {
    throw new ThreadCountError(`${what} is ${threads}, but this machine has ${logical} logical core${logical === 1 ? '' : 's'}: use at most ${logical} (leave it unset for physical cores minus one, ${defaultThreadCount()} here). More threads than cores makes generation many times slower.`);
  }
  return threads;
}
