// The local ModelRuntime: node-llama-cpp in a forked child process (crash isolation, docs/architecture.md §2), spoken to
// with typed IPC (worker/protocol.ts). This process (the extension host) never imports node-llama-cpp to load a
// model (1.6–2.1 s and ~40 MiB): before the fork it runs only the cheap bounds check of the GGUF header, which
// refuses missing, non-GGUF, cut-off and garbled files; the worker then reads the header, refuses what llama.cpp
// would choke on (a ModelFileError here), checks memory and loads. A crash rejects the calls in flight with a clear
// error; the next request starts a fresh process and loads the model again.
import { ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Emitter } from '../util';
import type {
  ChatMessage, ChatOptions, ChatResult, CompletionOptions, CompletionResult, LocalRuntimeConfig, ModelInfo,
  ObservableModelRuntime, RuntimeState, StreamChunk, ToolDefinition,
} from './types';
import type { ParentToWorker, WorkerLoadOptions, WorkerLoadResult, WorkerResultValue, WorkerToParent } from './worker/protocol';
import { DEFAULT_MODEL, defaultModelsDir, resolveModelSource } from './modelSource';
import type { ModelFileInfo } from './modelFile';
import { checkGgufBounds, ModelFileError } from './ggufBounds';
import { formatBytes, ModelMemoryError } from './memoryCheck';
import { createModelDownloader, downloadedModelPath } from './modelDownloader';
import { checkThreadCount, defaultThreadCount } from './threads';
import { gpuMayBePresent } from './gpuDevices';
import { errorMessage } from '../util';

export class ModelProcessCrashedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelProcessCrashedError';
  }
}

interface Pending {
  kind: string;
  resolve(v: WorkerResultValue): void;
  reject(e: Error): void;
  onChunk?(c: StreamChunk): void;
  onText?(t: string): void;
  tools?: Record<string, ToolDefinition>;
  onToolCall?: ChatOptions['onToolCall'];
  signal?: AbortSignal;
}

type Request = ParentToWorker extends infer M ? M extends { id: number } ? Omit<M, 'id'> : never : never;

export const DEFAULT_CONTEXT_SIZE = 32768;

/** Finds the worker: next to the bundle (out/llamaWorker.js), or the TypeScript source under tsx (tests). */
export function resolveWorkerEntry(explicit?: string): { modulePath: string; execArgv: string[]; cwd?: string } {
  const tsArgs = ['--import', 'tsx'];
  if (explicit) return { modulePath: explicit, execArgv: explicit.endsWith('.ts') ? tsArgs : [] };
  const bundled = join(__dirname, 'llamaWorker.js');
  if (existsSync(bundled)) return { modulePath: bundled, execArgv: [] };
  const source = join(__dirname, 'worker', 'llamaWorkerMain.ts');
  // Running from source (node --import tsx): fork the source too, so tests never run a stale build.
  if (__filename.endsWith('.ts') && existsSync(source)) return { modulePath: source, execArgv: tsArgs, cwd: join(__dirname, '..', '..', '..') };
  const built = join(__dirname, '..', '..', '..', 'out', 'llamaWorker.js');
  if (existsSync(built)) return { modulePath: built, execArgv: [] };
  throw new Error(`cannot find the llama worker (looked for ${bundled}); run 'npm run build'`);
}

export class LlamaRuntime implements ObservableModelRuntime {
  private child: ChildProcess | undefined;
  private childReady: Promise<void> | undefined;
  private loading: Promise<ModelInfo> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private current: RuntimeState = { state: 'idle' };
  private disposed = false;
  /** Aborted by dispose(): ends a download in flight. */
  private readonly lifetime = new AbortController();
  private fileInfo: ModelFileInfo | undefined;
  private readonly stateEmitter = new Emitter<RuntimeState>();
  readonly onDidChangeState = this.stateEmitter.event;
  /** How many worker processes were started (1 + restarts); the crash test and the UI read it. */
  processStarts = 0;
  /** What GPU 'auto' resolved to at the last load: a restart after a crash does not probe again. */
  private resolvedGpu: string | false | undefined;

  constructor(readonly config: LocalRuntimeConfig) {}

  get state(): RuntimeState { return this.current; }
  get pid(): number | undefined { return this.child?.pid; }

  private setState(s: RuntimeState): void {
    this.current = s;
    this.config.onStateChange?.(s);
    this.stateEmitter.fire(s);
  }

  private log(line: string): void { this.config.onLog?.(line); }

  load(signal?: AbortSignal): Promise<ModelInfo> {
    if (this.disposed) return Promise.reject(new Error('the model runtime was disposed'));
    this.loading ??= this.doLoad(signal).catch((e: Error) => {
      this.loading = undefined;
      if (this.current.state !== 'crashed' && !this.disposed) this.setState({ state: 'idle' });
      throw e;
    });
    return this.loading;
  }

  /** Resolves the model file (downloading it if allowed), validates it, checks memory, starts the worker. */
  private async doLoad(signal?: AbortSignal): Promise<ModelInfo> {
    const spec = this.config.model || DEFAULT_MODEL;
    const source = resolveModelSource(spec, this.config.modelsDir ?? defaultModelsDir());
    let modelPath = source.kind === 'path' ? source.localPath : downloadedModelPath(source.localPath);
    if (modelPath === undefined) {
      if (!this.config.allowDownload) throw new Error(`model ${spec} is not downloaded yet; run 'qwq-coder models pull ${spec}' (or allow the download) first`);
      const downloader = await createModelDownloader(source, { modelsDir: this.config.modelsDir });
      this.log(`downloading ${spec}: ${formatBytes(downloader.totalBytes)} from ${downloader.url}`);
      // dispose() cancels it too (the user switched models): it resumes from its temp file on the next pull.
      modelPath = await downloader.download({ signal: signal ? AbortSignal.any([signal, this.lifetime.signal]) : this.lifetime.signal, onProgress: (progress) => this.setState({ state: 'downloading', progress }) });
    }
    const gpu = this.gpuSetting();
    const threads = this.config.threads !== undefined ? checkThreadCount(this.config.threads, 'the model thread count (--threads, setting qwq.model.threads)') : defaultThreadCount();
    // Checked before any process starts (reads the header bytes only, no node-llama-cpp): a missing, non-GGUF,
    // cut-off or garbled file costs no fork. The worker checks the rest (architecture, keys, tensors, memory).
    checkGgufBounds(modelPath);
    const draftModelPath = this.config.draftModel ? this.validatedDraft(this.config.draftModel) : undefined;
    this.setState({ state: 'loading', source: spec });
    const options: WorkerLoadOptions = {
      modelPath, source: spec,
      ...(this.config.contextSize !== undefined ? { contextSize: this.config.contextSize } : {}),
      maxContextSize: DEFAULT_CONTEXT_SIZE,
      ...(this.config.freeMemoryBytes ? { freeMemoryBytes: this.config.freeMemoryBytes() } : {}),
      threads, gpu,
      promptLookup: this.config.promptLookup,
      draftModelPath,
      draftMinTokens: this.config.draftMinTokens,
    };
    // Disposed meanwhile: no worker may start for a runtime nobody holds (it would load the model and stay).
    if (this.disposed) throw new Error('the model runtime was disposed');
    const started = Date.now();
    await this.startProcess({ gpu, threads });
    const processMs = Date.now() - started;
    const loaded = await this.send({ type: 'load', options }, { kind: 'load' }).catch((e: Error) => {
      // The worker's memory plan refused it: the same error class as before, so callers treat it as handled.
      if (/^not enough memory/.test(e.message)) throw new ModelMemoryError(e.message);
      throw e;
    }) as WorkerLoadResult;
    const { file, ...model } = loaded;
    this.fileInfo = file;
    this.resolvedGpu = model.gpu;
    const loadTimings = { processMs, ...loaded.loadTimings, totalMs: Date.now() - started };
    this.log(`model ready in ${loadTimings.totalMs} ms (${Object.entries(loadTimings).filter(([k]) => k !== 'totalMs').map(([k, v]) => `${k.replace(/Ms$/, '')} ${v}`).join(', ')}; backend ${model.gpu || 'cpu'})`);
    const modelInfo: ModelInfo = { ...model, loadTimings, parameters: file.parameters, fileSizeBytes: file.fileSizeBytes, hasInfill: model.hasInfill && file.hasInfill };
    this.setState({ state: 'ready', info: modelInfo });
    return modelInfo;
  }

  /** 'auto' probes CUDA/Vulkan builds (seconds); skip that when no GPU device exists or a load already found none. */
  private gpuSetting(): 'auto' | false {
    if (this.config.gpu === false) return false;
    if (this.resolvedGpu === false) return false;
    if (!gpuMayBePresent()) {
      this.log('no GPU device found (/dev/nvidia*, /dev/dri/renderD*): running on the CPU without probing GPU backends');
      return false;
    }
    return 'auto';
  }

  /** The draft model's path, bounds-checked like the main model; the worker reads and checks its header. */
  private validatedDraft(spec: string): string {
    const src = resolveModelSource(spec, this.config.modelsDir ?? defaultModelsDir());
    checkGgufBounds(src.localPath);
    return src.localPath;
  }

  /** Starts the worker; `backend` (GPU and threads) lets it begin the slow backend init before `load`. */
  private startProcess(backend: { gpu: 'auto' | false; threads: number }): Promise<void> {
    if (this.childReady) return this.childReady;
    const entry = resolveWorkerEntry(this.config.workerPath);
    this.processStarts++;
    const child = fork(entry.modulePath, [JSON.stringify(backend)], {
      execPath: this.config.execPath ?? process.execPath,
      execArgv: entry.execArgv,
      cwd: entry.cwd,
      // Inside VS Code process.execPath is Electron; this makes it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => this.log(d.toString().trimEnd()));
    child.stderr?.on('data', (d: Buffer) => this.log(d.toString().trimEnd()));
    this.childReady = new Promise<void>((resolve, reject) => {
      child.on('message', (msg: WorkerToParent) => {
        if (msg.type === 'ready') resolve();
        else this.onMessage(msg);
      });
      child.once('error', (e) => reject(new ModelProcessCrashedError(`cannot start the model process: ${e.message}`)));
      child.once('exit', (code, signal) => {
        reject(new ModelProcessCrashedError(`the model process exited before it was ready (${signal ?? `code ${code}`})`));
        this.onExit(child, code, signal);
      });
    });
    return this.childReady;
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.childReady = undefined;
    this.loading = undefined;
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    const expected = this.disposed;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(expected ? new Error(`the model runtime was disposed during ${p.kind}`)
        : new ModelProcessCrashedError(`the model process ${how} during ${p.kind}; the next request restarts it`));
    }
    if (!expected) {
      this.log(`model process ${how}`);
      this.setState({ state: 'crashed', message: `the model process ${how}; it restarts on the next request` });
    }
  }

  private onMessage(msg: WorkerToParent): void {
    if (msg.type === 'log') { this.log(msg.line); return; }
    if (msg.type === 'ready') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    switch (msg.type) {
      case 'chunk': p.onChunk?.(msg.chunk); return;
      case 'text': p.onText?.(msg.text); return;
      case 'toolCall': void this.runTool(msg.id, msg.callId, msg.name, msg.args, p); return;
      case 'result': this.pending.delete(msg.id); p.resolve(msg.value); return;
      case 'error': this.pending.delete(msg.id); p.reject(msg.fileError ? new ModelFileError(msg.message, msg.fileError) : new Error(msg.message)); return;
    }
  }

  /** Tool handlers run here, in the caller's process; the worker waits for the answer. */
  private async runTool(id: number, callId: number, name: string, args: unknown, p: Pending): Promise<void> {
    const tool = p.tools?.[name];
    let result: unknown;
    let error: string | undefined;
    try {
      if (!tool) throw new Error(`unknown tool ${name}`);
      result = await tool.handler(args, p.signal);
    } catch (e) {
      error = errorMessage(e);
    }
    p.onToolCall?.({ name, args, result, ...(error !== undefined ? { error } : {}) });
    this.child?.send({ type: 'toolResult', id, callId, ...(error !== undefined ? { error } : { result: result ?? null }) } satisfies ParentToWorker);
  }

  private send(req: Request, p: Omit<Pending, 'resolve' | 'reject'>): Promise<WorkerResultValue> {
    const child = this.child;
    if (!child) return Promise.reject(new ModelProcessCrashedError('the model process is not running'));
    const id = this.nextId++;
    return new Promise<WorkerResultValue>((resolve, reject) => {
      this.pending.set(id, { ...p, resolve, reject });
      child.send({ ...req, id } as ParentToWorker);
      if (p.signal) {
        const abort = (): void => { if (this.pending.has(id)) this.child?.send({ type: 'abort', id } satisfies ParentToWorker); };
        if (p.signal.aborted) abort(); else p.signal.addEventListener('abort', abort, { once: true });
      }
    });
  }

  private async request(req: Request, p: Omit<Pending, 'resolve' | 'reject'>): Promise<WorkerResultValue> {
    await this.load(p.signal);
    return this.send(req, p);
  }

  async chat(messages: ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
    const { signal, onChunk, onToolCall, tools, ...rest } = options;
    const toolSpecs = tools ? Object.entries(tools).map(([name, t]) => ({ name, description: t.description, parameters: t.parameters })) : undefined;
    return await this.request({ type: 'chat', messages, options: { ...rest, ...(toolSpecs ? { tools: toolSpecs } : {}) } },
      { kind: 'chat', signal, onChunk, onToolCall, tools }) as ChatResult;
  }

  async complete(prompt: string, options: CompletionOptions = {}): Promise<CompletionResult> {
    const { signal, onText, ...rest } = options;
    return await this.request({ type: 'complete', prompt, options: rest }, { kind: 'completion', signal, onText }) as CompletionResult;
  }

  async infill(prefix: string, suffix: string, options: CompletionOptions = {}): Promise<CompletionResult> {
    const { signal, onText, ...rest } = options;
    return await this.request({ type: 'infill', prefix, suffix, options: rest }, { kind: 'infill', signal, onText }) as CompletionResult;
  }

  async tokenize(text: string): Promise<number[]> {
    return await this.request({ type: 'tokenize', text }, { kind: 'tokenize' }) as number[];
  }

  async countTokens(text: string): Promise<number> {
    return (await this.tokenize(text)).length;
  }

  /** The header facts of the loaded file (after load). */
  get modelFileInfo(): ModelFileInfo | undefined { return this.fileInfo; }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.lifetime.abort();
    const child = this.child;
    if (child) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      try { child.send({ type: 'dispose', id: this.nextId++ } satisfies ParentToWorker); } catch { /* already gone */ }
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    this.setState({ state: 'disposed' });
    this.stateEmitter.dispose();
  }
}
