// Owns the model runtime for the extension: what state it is in (for the status bar and the panel), loading
// it on first use with a cancellable progress notification, downloading it, and restarting it after its
// child process crashed. The runtime itself (node-llama-cpp in a child process) comes from the core through
// the ModelBackend port.
import { Emitter, MutableDisposable, toDisposable, type IDisposable } from '../../core/util';
import type { ModelInfo, ModelRuntime } from '../../core/model';
import type { ModelState } from '../../protocol';
import { unavailableMessage } from './modelPresentation';
import { l10n } from '../l10n';
import { errorMessage } from '../../core/util';

export type LocatedModel =
  | { kind: 'local'; path: string }
  /** A path that does not exist. */
  | { kind: 'missing'; path: string }
  /** An hf: URI or URL whose file is not in the models folder yet. */
  | { kind: 'remote'; source: string };

export interface RuntimeOptions {
  threads: number;
  contextSize: number;
  /** Speculative decoding options passed to the runtime as they are (absent: none). */
  speculative?: { draftModel: string; draftMinTokens: number; promptLookup: boolean };
  /** The child process died (native crash, out of memory): the service reports it and restarts on next use. */
  onCrash(reason: string): void;
}

/** An OpenAI-compatible server as a model: where, which model, extra headers; the key comes from SecretStorage. */
export interface ServerChoice { url: string; model: string; headers?: Record<string, string>; apiKey?: string }

/** The slice of the core's model module the service uses. */
export interface ModelBackend {
  locate(source: string): Promise<LocatedModel>;
  download(source: string, opts: { signal: AbortSignal; onProgress(downloadedBytes: number, totalBytes: number | undefined): void }): Promise<string>;
  createRuntime(path: string, opts: RuntimeOptions): ModelRuntime;
  /** A runtime over an OpenAI-compatible server (absent: servers are not offered). */
  createServerRuntime?(server: ServerChoice, opts: Pick<RuntimeOptions, 'contextSize'>): ModelRuntime;
}

/** What the settings choose: the fields that, when they change, need the model loaded again. */
export interface ModelChoice {
  /** GGUF path, hf: URI or URL for a local model; '' is "not configured" (unless `server` is set). */
  model: string;
  threads: number;
  contextSize: number;
  speculative?: RuntimeOptions['speculative'];
  /** Set: the model runs on this server instead of locally. */
  server?: Omit<ServerChoice, 'apiKey'>;
  /** Set: the model may not be loaded, and this says why (a Restricted Mode workspace chose it). */
  blocked?: string;
}

/** The slice of window.withProgress the service uses (a notification with a Cancel button). */
export type WithProgress = <T>(title: string, task: (report: (message: string, increment?: number) => void, signal: AbortSignal) => Promise<T>) => Promise<T>;

export class ModelUnavailableError extends Error {
  constructor(readonly state: ModelState, message?: string) { super(message ?? unavailableMessage(state) ?? (state.kind === 'error' ? state.message : l10n.t('the model is not available'))); }
}

interface Loaded extends IDisposable { source: string; key: string; runtime: ModelRuntime; info: ModelInfo }

/** The model's name as the status bar shows it: the spec, or the server model and host. */
export function choiceLabel(c: ModelChoice): string {
  if (!c.server) return c.model;
  let host = c.server.url;
  try { host = new URL(c.server.url).host; } catch { /* shown as written */ }
  return `${c.server.model} @ ${host}`;
}

function choiceKey(c: ModelChoice): string {
  return JSON.stringify(c.server ? { server: c.server, contextSize: c.contextSize } : { model: c.model, threads: c.threads, contextSize: c.contextSize, speculative: c.speculative });
}

export interface ModelServiceOptions {
  backend: ModelBackend;
  withProgress: WithProgress;
  settings(): ModelChoice;
  /** The API key for a server URL, from SecretStorage (absent: none). */
  apiKey?(url: string): Promise<string | undefined>;
  /** Names this service in logs and progress titles ('model', 'inline model'). */
  role?: string;
  log: { info(m: string): void; warn(m: string): void; error(m: string): void };
}

export class ModelService implements IDisposable {
  private current: ModelState = { kind: 'not-configured' };
  private readonly changes = new Emitter<ModelState>();
  readonly onDidChangeState = this.changes.event;
  private readonly loaded = new MutableDisposable<Loaded>();
  private loading: Promise<Loaded> | undefined;
  private busyCount = 0;
  /**
   * The last failure of a model: a crash (until a new load succeeds) or a stopped download (until a download
   * succeeds). It belongs to one model: the state shows it only while the settings still choose that model, so
   * selecting another model clears it (the status bar, the panel and the walkthrough all read `state`).
   */
  private failure: { source: string; message: string; retry?: 'download' } | undefined;

  constructor(private readonly opts: ModelServiceOptions) {}

  get state(): ModelState { return this.current; }
  /** What the settings choose now. */
  choice(): ModelChoice { return this.opts.settings(); }
  /** Why a task cannot use the model now (Restricted Mode, not configured, not downloaded…), or undefined. */
  unavailableReason(state = this.current): string | undefined {
    return this.opts.settings().blocked ?? unavailableMessage(state);
  }
  /** What the loaded model is (FIM tokens, context size); undefined until loaded. */
  get info(): ModelInfo | undefined { return this.loaded.value?.info; }
  /** The pid of the loaded runtime's model process, when it runs in one (LlamaRuntime does); the crash
   *  integration test kills it. undefined when nothing is loaded. */
  get workerPid(): number | undefined {
    const runtime = this.loaded.value?.runtime as { pid?: unknown } | undefined;
    return typeof runtime?.pid === 'number' ? runtime.pid : undefined;
  }

  private setState(s: ModelState): void {
    this.current = s;
    this.changes.fire(s);
  }

  /** The failure of `source`, as an error state, or undefined; a failure of another model is forgotten. */
  private failureOf(source: string): Extract<ModelState, { kind: 'error' }> | undefined {
    if (this.failure && this.failure.source !== source) this.failure = undefined;
    const f = this.failure;
    return f ? { kind: 'error', model: source, message: f.message, ...(f.retry ? { retry: f.retry } : {}) } : undefined;
  }

  /** Set when a setting that needs a reload changed while the model was working: dropped when it is idle. */
  private staleAfterWork = false;

  /** Re-reads the settings and checks the file; drops a loaded runtime whose settings changed (it loads
   *  again on next use), or marks it to be dropped when the work in progress ends. */
  async refresh(): Promise<ModelState> {
    const choice = this.opts.settings();
    const source = choiceLabel(choice);
    const key = choiceKey(choice);
    if (this.loaded.value && this.loaded.value.key !== key) {
      if (this.busyCount > 0) {
        if (!this.staleAfterWork) this.opts.log.info(`${this.role}: settings changed; they apply when the work in progress ends (the model loads again then)`);
        this.staleAfterWork = true;
      } else {
        this.opts.log.info(`${this.role}: settings changed; ${this.loaded.value.source} was unloaded and loads again with them on next use`);
        this.loaded.clear();
      }
    }
    if (this.current.kind === 'downloading') return this.current;
    if (choice.blocked) { this.setState({ kind: 'error', model: source || undefined, message: choice.blocked }); return this.current; }
    if (source === '') { this.setState({ kind: 'not-configured' }); return this.current; }
    if (this.loaded.value) { this.setState(this.busyCount > 0 ? { kind: 'busy', model: this.loaded.value.source } : { kind: 'ready', model: this.loaded.value.source }); return this.current; }
    if (choice.server) {
      this.setState(this.failureOf(source) ?? { kind: 'unloaded', model: source });
      return this.current;
    }
    const located = await this.opts.backend.locate(source);
    if (choiceKey(this.opts.settings()) !== key) return this.current; // the settings moved on meanwhile
    const failed = this.failureOf(source);
    if (located.kind === 'missing') this.setState({ kind: 'missing-file', model: located.path });
    // A stopped download is about a file that is not here; a file that is here (downloaded since, or chosen) is fine.
    else if (located.kind === 'remote') this.setState(failed?.retry === 'download' ? failed : { kind: 'not-downloaded', model: source });
    else if (failed && failed.retry !== 'download') this.setState(failed);
    else this.setState({ kind: 'unloaded', model: source });
    return this.current;
  }

  private get role(): string { return this.opts.role ?? 'model'; }

  /** The loaded runtime; loads it first (with progress and cancel). Throws ModelUnavailableError when there is no usable model. */
  async acquire(): Promise<ModelRuntime> {
    const choice = this.opts.settings();
    if (choice.blocked) { await this.refresh(); throw new ModelUnavailableError(this.current, choice.blocked); }
    const key = choiceKey(choice);
    if (this.loaded.value?.key === key) return this.loaded.value.runtime;
    const s = await this.refresh();
    if (unavailableMessage(s) !== undefined) throw new ModelUnavailableError(s);
    this.loading ??= this.load(choice).finally(() => { this.loading = undefined; });
    return (await this.loading).runtime;
  }

  private async load(choice: ModelChoice): Promise<Loaded> {
    const source = choiceLabel(choice);
    const key = choiceKey(choice);
    const { threads, contextSize, speculative, server } = choice;
    let create: () => Promise<ModelRuntime>;
    if (server) {
      const backend = this.opts.backend;
      if (!backend.createServerRuntime) throw new ModelUnavailableError({ kind: 'error', model: source, message: l10n.t('Model servers are not available here.') });
      create = async () => backend.createServerRuntime!({ ...server, apiKey: await this.opts.apiKey?.(server.url) }, { contextSize });
    } else {
      const located = await this.opts.backend.locate(source);
      if (located.kind !== 'local') throw new ModelUnavailableError(located.kind === 'missing' ? { kind: 'missing-file', model: located.path } : { kind: 'not-downloaded', model: source });
      create = async () => this.opts.backend.createRuntime(located.path, { threads, contextSize, speculative, onCrash: (reason) => this.onCrash(source, reason) });
    }
    this.setState({ kind: 'loading', model: source });
    const started = Date.now();
    try {
      const loaded = await this.opts.withProgress(l10n.t('QwQ: loading {0}', source), async (report, signal) => {
        report(server ? l10n.t('checking the server') : l10n.t('starting the model process'));
        const runtime = await create();
        try {
          const info = await runtime.load(signal);
          return { source, key, runtime, info, dispose: () => { void runtime.dispose(); } };
        } catch (e) {
          await runtime.dispose().catch(() => undefined);
          throw e;
        }
      });
      this.loaded.value = loaded;
      this.failure = undefined;
      this.staleAfterWork = false;
      this.opts.log.info(`${this.role}: loaded ${source} (${loaded.info.architecture}, context ${loaded.info.contextSize}${server ? '' : `, ${threads || 'auto'} threads`}) in ${Date.now() - started} ms`);
      this.setState({ kind: 'ready', model: source });
      return loaded;
    } catch (e) {
      const message = errorMessage(e);
      this.opts.log.error(`${this.role}: loading ${source} failed: ${message}`);
      this.setState({ kind: 'error', model: source, message: l10n.t('Loading the model failed: {0}', message) });
      throw e;
    }
  }

  private onCrash(source: string, reason: string): void {
    if (this.loaded.value?.source !== source) return;
    const message = l10n.t('The model process stopped unexpectedly ({0}). It restarts on next use.', reason);
    this.failure = { source, message };
    this.opts.log.error(`model: ${message}`);
    this.loaded.clear();
    this.busyCount = 0;
    this.setState({ kind: 'error', model: source, message });
  }

  /** Marks the model busy while a task or a completion runs; the returned disposable ends it. */
  beginWork(): IDisposable & { report(tokensPerSecond: number): void } {
    this.busyCount++;
    const model = this.loaded.value?.source ?? choiceLabel(this.opts.settings());
    this.setState({ kind: 'busy', model });
    const done = toDisposable(() => {
      this.busyCount = Math.max(0, this.busyCount - 1);
      if (this.busyCount === 0 && this.staleAfterWork) { this.staleAfterWork = false; void this.refresh(); return; }
      if (this.busyCount === 0 && this.loaded.value) this.setState({ kind: 'ready', model: this.loaded.value.source });
    });
    return {
      report: (tps: number) => { if (this.busyCount > 0) this.setState({ kind: 'busy', model, tokensPerSecond: tps }); },
      dispose: () => done.dispose(),
    };
  }

  /** Downloads the configured hf:/URL model with a cancellable progress notification. */
  async download(source = this.opts.settings().model): Promise<string | undefined> {
    if (this.current.kind === 'downloading') return undefined;
    try {
      const path = await this.opts.withProgress(l10n.t('QwQ: downloading {0}', source), async (report, signal) => {
        let lastPercent = 0;
        this.setState({ kind: 'downloading', model: source, percent: 0 });
        return this.opts.backend.download(source, {
          signal,
          onProgress: (done, total) => {
            if (!total) { report(`${(done / 1e6).toFixed(0)} MB`); return; }
            const percent = (100 * done) / total;
            report(`${(done / 1e9).toFixed(2)} of ${(total / 1e9).toFixed(2)} GB`, percent - lastPercent);
            lastPercent = percent;
            this.setState({ kind: 'downloading', model: source, percent });
          },
        });
      });
      this.opts.log.info(`model: downloaded ${source} to ${path}`);
      if (this.failure?.source === source) this.failure = undefined;
      this.current = { kind: 'not-configured' };
      await this.refresh();
      return path;
    } catch (e) {
      const message = errorMessage(e);
      this.opts.log.warn(`model: download of ${source} stopped: ${message}`);
      // One short line for the status bar and the panel (the log has the whole story); Retry downloads again.
      this.failure = { source, message: l10n.t('The download stopped: {0}', message.split('\n')[0]!.slice(0, 140)), retry: 'download' };
      this.current = { kind: 'not-configured' };
      await this.refresh();
      throw e;
    }
  }

  dispose(): void {
    this.loaded.dispose();
    this.changes.dispose();
  }
}
