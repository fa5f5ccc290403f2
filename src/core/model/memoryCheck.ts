// Memory words shared by the runtime and the CLI. The estimate itself is node-llama-cpp's (GgufInsights,
// worker/memoryPlan.ts): RAM and VRAM for the chosen context and GPU layers, against what is free.
import { freemem } from 'node:os';
import { readFileSync } from 'node:fs';

/** The model cannot run on this machine at all, with the numbers and a way out in the message. */
export class ModelMemoryError extends Error {
  constructor(message: string) {
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

/** Free memory the OS can give us: MemAvailable on Linux (counts reclaimable cache), else os.freemem(). */
export function availableMemoryBytes(): number {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch { /* not Linux */ }
  return freemem();
}
