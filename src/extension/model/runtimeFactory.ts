// The crash-isolated runtime: node-llama-cpp runs in a child process forked from the extension host with
// VS Code's own Node (process.execPath + ELECTRON_RUN_AS_NODE, inside LlamaRuntime). A native crash kills
// only that process; the runtime reports `crashed` and the ModelService shows it and restarts on next use.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { LlamaRuntime } from '../../core/model';
import { defaultThreadCount } from '../../core/model';
import type { RuntimeFactory } from './coreModelBackend';

export function createRuntimeInChildProcess(extensionPath: string, log?: (line: string) => void): RuntimeFactory {
  const worker = join(extensionPath, 'out', 'llamaWorker.js');
  return (path, opts) => new LlamaRuntime({
    model: path,
    // 0: the largest context up to 32768 that fits, as node-llama-cpp estimates it for this machine.
    ...(opts.contextSize > 0 ? { contextSize: opts.contextSize } : {}),
    // 0 means automatic: physical cores minus one (docs/architecture.md §2: never node-llama-cpp's oversubscribing default).
    threads: opts.threads > 0 ? opts.threads : defaultThreadCount(),
    ...(opts.speculative?.draftModel ? { draftModel: opts.speculative.draftModel, draftMinTokens: opts.speculative.draftMinTokens } : {}),
    ...(opts.speculative?.promptLookup ? { promptLookup: true } : {}),
    ...(existsSync(worker) ? { workerPath: worker } : {}),
    onStateChange: (s) => { if (s.state === 'crashed') opts.onCrash(s.message); },
    onLog: log,
  });
}
