// Shared setup for the model tests: generated GGUF files in a temp dir (never downloaded), and a runtime
// on one CPU thread (docs/architecture.md §8) and a small context.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlamaRuntime } from '../../../src/core/model/llamaRuntime';
import type { LocalRuntimeConfig } from '../../../src/core/model/types';

export function tempDir(prefix = 'qwq-model-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testRuntime(model: string, extra: Partial<LocalRuntimeConfig> = {}): LlamaRuntime {
  return new LlamaRuntime({ model, threads: 1, gpu: false, contextSize: 2048, ...extra });
}
