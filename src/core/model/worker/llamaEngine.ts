// node-llama-cpp, in-process: load, chat (thought/answer split, thought budget, loop stop, tools, grammar),
// completion, infill, tokenize. Runs inside the worker process (llamaWorkerMain.ts); the parent never loads
// native code. One context sequence serves every call in turn, so a shared prefix stays in the KV cache.
import type { ChatMessage, ChatResult, CompletionResult, GenerationStats, StopReason, StreamChunk } from '../types';
import type { ToolSpec, WorkerChatOptions, WorkerCompletionOptions, WorkerLoadOptions, WorkerLoadResult } from './protocol';
import { inspectModelFile, readModelFile } from '../modelFile';
import { toLlamaSampling } from '../sampling';
import { LoopDetector } from '../loopDetector';
import { nativeContextSize, yarnOverride } from '../yarn';
import { planMemory } from './memoryPlan';

type Nlc = typeof import('node-llama-cpp');
type Sequence = import('node-llama-cpp').LlamaContextSequence;
interface Backend { nlc: Nlc; llama: import('node-llama-cpp').Llama; importMs: number; backendMs: number }

export interface CallHooks {
  signal: AbortSignal;
  onChunk?(chunk: StreamChunk): void;
  onText?(text: string): void;
  callTool?(name: string, args: unknown): Promise<unknown>;
}

/**
 * Measures one generation from llama.cpp's own token meter: `usedInputTokens` counts prompt tokens actually
 * evaluated, `usedOutputTokens` counts sampled tokens (which join the sequence without counting as input).
 * So at the end, prompt = sequence length − sampled, and reused (served from the KV cache) = prompt − evaluated.
 */
class StatsMeter {
  private readonly started = Date.now();
  private firstTokenAt = 0;
  private readonly inputBefore: number;
  private readonly outputBefore: number;
  private readonly predictionsBefore: { validated: number; refuted: number };
  constructor(private readonly sequence: Sequence) {
    this.inputBefore = sequence.tokenMeter.usedInputTokens;
    this.outputBefore = sequence.tokenMeter.usedOutputTokens;
    this.predictionsBefore = { ...sequence.tokenPredictions };
  }
  onTokens(): void {
    if (this.firstTokenAt === 0) this.firstTokenAt = Date.now();
  }
  finish(): GenerationStats {
    const end = Date.now();
    const input = this.sequence.tokenMeter.usedInputTokens - this.inputBefore;
    const output = this.sequence.tokenMeter.usedOutputTokens - this.outputBefore;
    const prompt = Math.max(0, this.sequence.contextTokens.length - output);
    const evaluated = Math.min(input, prompt);
    const reused = prompt - evaluated;
    const genSeconds = this.firstTokenAt ? (end - this.firstTokenAt) / 1000 : 0;
    const p = this.sequence.tokenPredictions;
    return {
      ...(this.sequence.tokenPredictor ? { predictions: { validated: p.validated - this.predictionsBefore.validated, refuted: p.refuted - this.predictionsBefore.refuted } } : {}),
      promptTokens: prompt,
      evaluatedTokens: evaluated,
      reusedTokens: reused,
      completionTokens: output,
      tokensPerSecond: output > 1 && genSeconds > 0 ? (output - 1) / genSeconds : 0,
      timeToFirstTokenMs: this.firstTokenAt ? this.firstTokenAt - this.started : 0,
      durationMs: end - this.started,
    };
  }
}

/** node-llama-cpp says only "Failed to load model": name the file (a draft model fails after the main one loaded). */
function loadFailed(which: string, path: string, e: unknown): Error {
  return new Error(`llama.cpp could not load ${which} ${path}: ${(e as Error).message ?? String(e)} (its reason is in the model log)`);
}

function mapStop(reason: string, loop: boolean): StopReason {
  if (reason === 'abort') return loop ? 'loop' : 'aborted';
  if (reason === 'maxTokens') return 'maxTokens';
  return 'eos';
}

export class LlamaEngine {
  private nlc!: Nlc;
  private llama!: import('node-llama-cpp').Llama;
  private model!: import('node-llama-cpp').LlamaModel;
  private sequence!: Sequence;
  private thinkWrapper: import('node-llama-cpp').ChatWrapper | undefined;
  private noThinkWrapper: import('node-llama-cpp').ChatWrapper | undefined;
  private info: WorkerLoadResult | undefined;
  /** What one load made (the model, a draft model), last made first; a failed load disposes them at once. */
  private readonly modelDisposers: Array<() => Promise<void> | void> = [];
  private readonly backendDisposers: Array<() => Promise<void> | void> = [];

  get loaded(): boolean { return this.info !== undefined; }

  private backend: { key: string; ready: Promise<Backend> } | undefined;

  /**
   * Imports node-llama-cpp and initialises llama.cpp's backend (together most of a small model's load time:
   * node-llama-cpp test-loads its prebuilt binary in a child process first). Needs no model, so the worker
   * starts it at boot; `load` then reuses it when the options match.
   */
  startBackend(o: { gpu: 'auto' | false; threads: number }): Promise<Backend> {
    const key = JSON.stringify([o.gpu, o.threads]);
    if (this.backend?.key === key) return this.backend.ready;
    const ready = (async (): Promise<Backend> => {
      const t0 = Date.now();
      const nlc = await import('node-llama-cpp');
      const t1 = Date.now();
      const base = { build: 'never' as const, logLevel: nlc.LlamaLogLevel.error, maxThreads: o.threads };
      let llama: import('node-llama-cpp').Llama;
      if (o.gpu === false) llama = await nlc.getLlama({ ...base, gpu: false });
      else {
        try { llama = await nlc.getLlama({ ...base, gpu: 'auto' }); } catch { llama = await nlc.getLlama({ ...base, gpu: false }); }
      }
      this.backendDisposers.push(() => llama.dispose());
      return { nlc, llama, importMs: t1 - t0, backendMs: Date.now() - t1 };
    })().catch((e: unknown) => { this.backend = undefined; throw e; }); // the next load tries again
    this.backend = { key, ready };
    return ready;
  }

  async load(o: WorkerLoadOptions, onPlan?: (summary: string) => void): Promise<WorkerLoadResult> {
    if (this.info) return this.info;
    try {
      return await this.loadModel(o, onPlan);
    } catch (e) {
      // The worker stays for the next load (the host retries in it): a model loaded before a later step failed
      // (the draft model, the context) would stay mapped, and the retry would load a second copy beside it.
      for (const d of this.modelDisposers.splice(0)) {
        try { await d(); } catch { /* the load's own error is the one to report */ }
      }
      throw e;
    }
  }

  private async loadModel(o: WorkerLoadOptions, onPlan?: (summary: string) => void): Promise<WorkerLoadResult> {
    const t0 = Date.now();
    // The header is read and checked here, not in the parent, so the extension host never imports
    // node-llama-cpp (the parent ran only ggufBounds.ts); a refusal is a ModelFileError the parent rethrows.
    // Read once: the same file info feeds the memory plan (node-llama-cpp's loadModel still reads it on its own).
    const { file, ggufInfo } = await readModelFile(o.modelPath);
    if (o.draftModelPath) await inspectModelFile(o.draftModelPath);
    const tHeader = Date.now();
    const name = file.name ?? o.source;
    const maxContextSize = Math.min(o.maxContextSize, file.trainContextSize);
    const backend = await this.startBackend({ gpu: o.gpu, threads: o.threads });
    this.nlc = backend.nlc;
    this.llama = backend.llama;
    const { resolveChatWrapper, QwenChatWrapper } = this.nlc;
    const tBackend = Date.now();
    // Stated before loading: what it needs, what the machine has, the context and GPU/split/CPU placement.
    const plan = await planMemory(this.nlc, this.llama, { fileInfo: ggufInfo, contextSize: o.contextSize, maxContextSize, gpu: o.gpu, freeMemoryBytes: o.freeMemoryBytes, name });
    onPlan?.(plan.summary);
    const tPlan = Date.now();
    const metadataOverrides = yarnOverride(file.architecture, plan.contextSize, nativeContextSize(file.architecture, file.trainContextSize));
    this.model = await this.llama.loadModel({ modelPath: o.modelPath, gpuLayers: plan.gpuLayers, useMmap: plan.useMmap, ...(metadataOverrides ? { metadataOverrides: metadataOverrides as any } : {}) })
      .catch((e: unknown) => { throw loadFailed('the model', o.modelPath, e); });
    const model = this.model;
    this.modelDisposers.unshift(() => model.dispose());
    const tWeights = Date.now();
    const context = await this.model.createContext({ contextSize: plan.contextSize, threads: o.threads, sequences: 1 });
    this.sequence = context.getSequence({ tokenPredictor: await this.tokenPredictor(o, context.contextSize) });
    const tContext = Date.now();

    const resolved = resolveChatWrapper(this.model);
    if (resolved instanceof QwenChatWrapper && resolved.variation === '3') {
      // QwQ: the answer must open `<think>\n` (docs/architecture.md §2); node-llama-cpp's Qwen wrapper does not open it.
      const thinking = new QwenChatWrapper();
      (thinking as { settings: unknown }).settings = { ...thinking.settings, segments: { ...thinking.settings.segments, thought: { ...thinking.settings.segments!.thought!, openOnResponseStart: true } } };
      this.thinkWrapper = thinking;
      // Answer-only calls (grammar, thoughtBudget 0) prefill an empty `<think>\n\n</think>\n\n`.
      this.noThinkWrapper = new QwenChatWrapper({ thoughts: 'discourage' });
    } else {
      this.thinkWrapper = resolved ?? undefined;
      this.noThinkWrapper = resolved ?? undefined;
    }
    this.info = {
      source: o.source,
      file,
      architecture: file.architecture,
      parameters: undefined,
      contextSize: context.contextSize,
      trainContextSize: this.model.trainContextSize,
      fileSizeBytes: this.model.fileInsights.modelSize,
      hasInfill: new this.nlc.LlamaCompletion({ contextSequence: this.sequence }).infillSupported,
      gpu: this.llama.gpu,
      memory: { summary: plan.summary, placement: plan.placement, gpuLayers: plan.gpuLayers, totalLayers: plan.totalLayers, ramBytes: plan.ramBytes, vramBytes: plan.vramBytes },
      // import + backend ran from the worker's start (prewarm), so they overlap with the parent's own work and
      // with the header read; waitMs is what load still had to wait for them (header included).
      loadTimings: {
        importMs: backend.importMs, backendMs: backend.backendMs, headerMs: tHeader - t0, waitMs: tBackend - t0,
        planMs: tPlan - tBackend, weightsMs: tWeights - tPlan, contextMs: tContext - tWeights,
      },
    };
    return this.info;
  }

  private async tokenPredictor(o: WorkerLoadOptions, contextSize: number): Promise<import('node-llama-cpp').TokenPredictor | undefined> {
    const draftPath = o.draftModelPath;
    if (draftPath) {
      const draftModel = await this.llama.loadModel({ modelPath: draftPath, gpuLayers: o.gpu === false ? 0 : 'auto' })
        .catch((e: unknown) => { throw loadFailed('the draft model', draftPath, e); });
      this.modelDisposers.unshift(() => draftModel.dispose());
      const draftContext = await draftModel.createContext({ contextSize, threads: o.threads });
      return new this.nlc.DraftSequenceTokenPredictor(draftContext.getSequence(), { minTokens: o.draftMinTokens ?? 0, maxTokens: 16 });
    }
    if (o.promptLookup) return new this.nlc.InputLookupTokenPredictor();
    return undefined;
  }

  private asciiBias: import('node-llama-cpp').TokenBias | undefined;

  /** A bias that forbids every token with non-ASCII text (built once per model). */
  private nonAsciiBias(): import('node-llama-cpp').TokenBias {
    if (this.asciiBias) return this.asciiBias;
    const bias = new this.nlc.TokenBias(this.model.tokenizer);
    const vocabSize = this.model.fileInfo.metadata.tokenizer.ggml.tokens.length;
    for (let t = 0; t < vocabSize; t++) {
      const token = t as import('node-llama-cpp').Token;
      if (this.model.isSpecialToken(token)) continue;
      const text = this.model.detokenize([token]);
      if (/[^\x00-\x7f]/.test(text)) bias.set(token, 'never');
    }
    this.asciiBias = bias;
    return bias;
  }

  private requireLoaded(): void {
    if (!this.info) throw new Error('no model loaded');
  }

  async chat(messages: ChatMessage[], options: WorkerChatOptions, hooks: CallHooks): Promise<ChatResult> {
    this.requireLoaded();
    const last = messages[messages.length - 1];
    if (!last || last.role !== 'user') throw new Error('chat: the last message must be the user\'s');
    if (options.jsonSchema && options.tools?.length) throw new Error('chat: jsonSchema and tools cannot be combined in one call (a grammar masks the tool-call format)');
    // A grammar masks `<think>` (docs/architecture.md §2): grammar calls and thoughtBudget 0 answer without thinking.
    const thinking = !options.jsonSchema && options.thoughtBudget !== 0;
    const { LlamaChatSession, defineChatSessionFunction } = this.nlc;
    const session = new LlamaChatSession({ contextSequence: this.sequence, chatWrapper: (thinking ? this.thinkWrapper : this.noThinkWrapper) ?? 'auto', autoDisposeSequence: false });
    const abort = new AbortController();
    const onOuterAbort = (): void => abort.abort(hooks.signal.reason);
    if (hooks.signal.aborted) abort.abort(); else hooks.signal.addEventListener('abort', onOuterAbort, { once: true });
    const loop = options.loopDetection === false ? undefined : new LoopDetector();
    const meter = new StatsMeter(this.sequence);
    let thoughtTokens = 0;
    let loopDetail: string | undefined;
    // node-llama-cpp throws on a signal aborted before the start; a cancelled call is a result, not an error.
    const aborted = (): ChatResult => ({ thought: '', answer: '', stopReason: loopDetail ? 'loop' : 'aborted', ...(loopDetail ? { stopDetail: loopDetail } : {}), stats: meter.finish() });
    if (abort.signal.aborted) { session.dispose({ disposeSequence: false }); return aborted(); }
    try {
      session.setChatHistory(messages.slice(0, -1).map((m) => (
        m.role === 'system' ? { type: 'system' as const, text: m.content }
          : m.role === 'user' ? { type: 'user' as const, text: m.content }
            : { type: 'model' as const, response: [m.content] })));
      const grammar = options.jsonSchema ? await this.llama.createGrammarForJsonSchema(options.jsonSchema as any) : undefined;
      const functions = options.tools?.length ? Object.fromEntries(options.tools.map((t: ToolSpec) => [t.name, defineChatSessionFunction({
        description: t.description,
        params: t.parameters as any,
        handler: (params: unknown) => {
          if (!hooks.callTool) throw new Error('no tool handler');
          return hooks.callTool(t.name, params);
        },
      })])) : undefined;
      const res = await session.promptWithMeta(last.content, {
        ...(toLlamaSampling(options) as object),
        ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
        budgets: { thoughtTokens: options.thoughtBudget ?? Infinity },
        signal: abort.signal,
        stopOnAbortSignal: true,
        ...(grammar ? { grammar } : {}),
        ...(functions ? { functions } : {}),
        ...(options.asciiOnly ? { tokenBias: this.nonAsciiBias() } : {}),
        onToken: () => meter.onTokens(),
        onResponseChunk: (chunk: import('node-llama-cpp').LlamaChatResponseChunk) => {
          const kind = chunk.type === 'segment' && chunk.segmentType === 'thought' ? 'thought' : 'answer';
          if (kind === 'thought') thoughtTokens += chunk.tokens.length;
          if (!chunk.text) return;
          hooks.onChunk?.({ kind, text: chunk.text });
          if (kind === 'thought' && loop && !abort.signal.aborted) {
            const verdict = loop.push(chunk.text);
            if (verdict) { loopDetail = `stopped a repetition loop in the thinking: ${verdict.detail}`; abort.abort(); }
          }
        },
      } as any).catch((e: unknown) => { if (abort.signal.aborted) return undefined; throw e; });
      if (!res) return aborted();
      let thought = '';
      let answer = '';
      for (const item of res.response) {
        if (typeof item === 'string') answer += item;
        else if (item.type === 'segment' && item.segmentType === 'thought') thought += item.text;
      }
      answer = answer.replace(/^\s+/, '').replace(/\s+$/, '');
      thought = thought.trim();
      let stopReason = mapStop(res.stopReason, loopDetail !== undefined);
      let stopDetail = loopDetail;
      const budget = options.thoughtBudget;
      if (thinking && budget !== undefined && Number.isFinite(budget) && thoughtTokens >= budget) {
        stopDetail = `the thinking reached its budget of ${budget} tokens and was cut off`;
        if (answer === '' && stopReason !== 'loop' && stopReason !== 'aborted') stopReason = 'thoughtBudget';
      }
      if (stopReason === 'maxTokens') stopDetail ??= `reached maxTokens (${options.maxTokens})`;
      return { thought, answer, stopReason, ...(stopDetail ? { stopDetail } : {}), stats: meter.finish() };
    } finally {
      hooks.signal.removeEventListener('abort', onOuterAbort);
      session.dispose({ disposeSequence: false });
    }
  }

  async complete(prompt: string, options: WorkerCompletionOptions, hooks: CallHooks, suffix?: string): Promise<CompletionResult> {
    this.requireLoaded();
    const completion = new this.nlc.LlamaCompletion({ contextSequence: this.sequence, autoDisposeSequence: false });
    const meter = new StatsMeter(this.sequence);
    try {
      if (suffix !== undefined && !completion.infillSupported) throw new Error('this model has no fill-in-the-middle tokens; infill is not available');
      const grammar = options.jsonSchema ? await this.llama.createGrammarForJsonSchema(options.jsonSchema as any) : undefined;
      const common = {
        ...(toLlamaSampling(options) as object),
        ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
        signal: hooks.signal,
        stopOnAbortSignal: true,
        ...(grammar ? { grammar } : {}),
        ...(options.asciiOnly ? { tokenBias: this.nonAsciiBias() } : {}),
        ...(options.stopStrings?.length ? { customStopTriggers: options.stopStrings } : {}),
        onToken: () => meter.onTokens(),
        onTextChunk: (text: string) => hooks.onText?.(text),
      } as any;
      const abortedResult = (): CompletionResult => ({ text: '', stopReason: 'aborted', stats: meter.finish() });
      if (hooks.signal.aborted) return abortedResult();
      const res = await (suffix === undefined
        ? completion.generateCompletionWithMeta(prompt, common)
        : completion.generateInfillCompletionWithMeta(prompt, suffix, common)).catch((e: unknown) => { if (hooks.signal.aborted) return undefined; throw e; });
      if (!res) return abortedResult();
      return { text: res.response, stopReason: mapStop(res.metadata.stopReason, false), stats: meter.finish() };
    } finally {
      completion.dispose({ disposeSequence: false });
    }
  }

  tokenize(text: string): number[] {
    this.requireLoaded();
    return this.model.tokenize(text).map(Number);
  }

  async dispose(): Promise<void> {
    for (const d of [...this.modelDisposers.splice(0), ...this.backendDisposers.splice(0)]) await d();
    this.info = undefined;
  }
}
