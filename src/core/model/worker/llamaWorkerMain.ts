// The llama worker process: forked by LlamaRuntime, it owns node-llama-cpp so a native crash or an
// out-of-memory kills only this process (docs/architecture.md §2). Requests run one at a time (one context sequence);
// `abort` and `toolResult` messages are handled at once, out of queue.
import { LlamaEngine } from './llamaEngine';
import type { ParentToWorker, WorkerToParent } from './protocol';
import { errorMessage } from '../../util';
import { ModelFileError } from '../ggufBounds';

const engine = new LlamaEngine();
const aborts = new Map<number, AbortController>();
const toolWaiters = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
let nextCallId = 1;
let queue: Promise<unknown> = Promise.resolve();
let loadsRunning = 0;

function send(msg: WorkerToParent): void {
  process.send?.(msg);
}

function run(id: number, work: (signal: AbortSignal) => Promise<unknown>): void {
  const controller = new AbortController();
  aborts.set(id, controller);
  queue = queue.then(async () => {
    try {
      const value = await work(controller.signal);
      send({ type: 'result', id, value: (value ?? null) as never });
    } catch (e) {
      send({ type: 'error', id, message: errorMessage(e), ...(e instanceof ModelFileError ? { fileError: e.code } : {}) });
    } finally {
      aborts.delete(id);
    }
  });
}

process.on('message', (msg: ParentToWorker) => {
  switch (msg.type) {
    case 'abort': aborts.get(msg.id)?.abort(); return;
    case 'toolResult': {
      const w = toolWaiters.get(msg.callId);
      toolWaiters.delete(msg.callId);
      if (msg.error !== undefined) w?.reject(new Error(msg.error)); else w?.resolve(msg.result);
      return;
    }
    case 'load': return run(msg.id, async () => {
      loadsRunning++;
      try { return await engine.load(msg.options, (summary) => send({ type: 'log', line: summary })); } finally { loadsRunning--; }
    });
    case 'chat': return run(msg.id, (signal) => engine.chat(msg.messages, msg.options, {
      signal,
      onChunk: (chunk) => send({ type: 'chunk', id: msg.id, chunk }),
      callTool: (name, args) => new Promise((resolve, reject) => {
        const callId = nextCallId++;
        toolWaiters.set(callId, { resolve, reject });
        send({ type: 'toolCall', id: msg.id, callId, name, args });
      }),
    }));
    case 'complete': return run(msg.id, (signal) => engine.complete(msg.prompt, msg.options, { signal, onText: (text) => send({ type: 'text', id: msg.id, text }) }));
    case 'infill': return run(msg.id, (signal) => engine.complete(msg.prefix, msg.options, { signal, onText: (text) => send({ type: 'text', id: msg.id, text }) }, msg.suffix));
    case 'tokenize': return run(msg.id, async () => engine.tokenize(msg.text));
    case 'dispose':
      // Mid-load there is nothing to release in order: exit now (the OS frees the half-loaded model) rather than
      // after the load, which for a 20 GB model is many seconds, past the host's 3 s wait before SIGKILL.
      if (loadsRunning > 0) process.exit(0);
      return run(msg.id, async () => { await engine.dispose(); setImmediate(() => process.exit(0)); return null; });
  }
});

// The parent going away (VS Code closing, a test ending) must not leave an orphan holding 20 GB.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', pid: process.pid });
// The parent passes the backend options at fork: start the slow part (import + backend init) right away.
const prewarm = process.argv[2] ? JSON.parse(process.argv[2]) as { gpu: 'auto' | false; threads: number } : undefined;
if (prewarm) engine.startBackend(prewarm).catch(() => { /* load retries and reports the error */ });
