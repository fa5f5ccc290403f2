// A small pool of worker threads that analyze files (parse + tags + imports). Used by full index builds;
// single edits stay on the calling thread, where the live trees are.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { analyzeText, type FileAnalysis } from './fileAnalysis';
import type { LanguageId } from './languages';

interface Pending { resolve(a: FileAnalysis): void; reject(e: Error): void }

/** From source (tsx) the worker is analysisWorker.ts registered through tsx's API (a worker does not get
 * the parent's --import hooks in time); bundled it is out/contextWorker.js. */
function workerEntry(): { code: string; eval: boolean } | undefined {
  const here = dirname(__filename);
  if (__filename.endsWith('.ts')) return { code: `require('tsx/cjs/api').register(); require(${JSON.stringify(join(here, 'analysisWorker.ts'))});`, eval: true };
  const bundled = join(here, 'contextWorker.js');
  return existsSync(bundled) ? { code: bundled, eval: false } : undefined;
}

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

let shared: AnalysisPool | undefined;

/** Terminates the process's shared pool now (a CLI run that is done: no worker outlives its answer). */
export function disposeSharedPool(): void {
  const p = shared;
  shared = undefined;
  p?.dispose();
}

/** Files per worker message: one round trip carries several files, so small files are not dominated by
 * messaging; few enough that the workers stay evenly loaded. */
const batchSize = 8;

export class AnalysisPool {
  /**
   * The process's pool, kept between builds so its workers stay compiled and warm (V8 tiers WASM up as it
   * runs); terminated after `idleMs` without work. Its workers never keep the process alive when idle.
   */
  static shared(size: number, idleMs = 30_000): AnalysisPool | undefined {
    if (shared && !shared.broken && shared.size === size) { shared.idleMs = idleMs; return shared; }
    shared?.dispose();
    shared = AnalysisPool.create(size);
    if (shared) shared.idleMs = idleMs;
    return shared;
  }

  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  private setBusy(busy: boolean): void {
    for (const { worker } of this.workers) if (busy) worker.ref(); else worker.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!busy && this.idleMs > 0) {
      this.idleTimer = setTimeout(() => { if (shared === this) shared = undefined; this.dispose(); }, this.idleMs);
      this.idleTimer.unref();
    }
  }

  private readonly workers: { worker: Worker; busy: number; queue: { id: number; lang: LanguageId; text: string; hash: string }[] }[] = [];
  private flushScheduled = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  private constructor() {}

  /** A pool of `size` workers, or undefined when workers cannot start here (the caller analyzes inline). */
  static create(size: number): AnalysisPool | undefined {
    const entry = workerEntry();
    if (!entry || size < 1) return undefined;
    const pool = new AnalysisPool();
    try {
      for (let i = 0; i < size; i++) {
        const worker = new Worker(entry.code, { eval: entry.eval });
        // Idle workers never hold the process open: a pool that was created but got no work (every file
        // came from the disk cache) must not keep a finished CLI alive. Busy ones are ref'd in setBusy.
        worker.unref();
        const slot = { worker, busy: 0, queue: [] };
        worker.on('message', (batch: { id: number; result?: FileAnalysis; error?: string }[]) => {
          for (const m of batch) {
            slot.busy--;
            const p = pool.pending.get(m.id);
            pool.pending.delete(m.id);
            pool.jobs.delete(m.id);
            if (m.error !== undefined) p?.reject(new Error(m.error));
            else p?.resolve(m.result!);
          }
          if (pool.pending.size === 0) pool.setBusy(false);
        });
        worker.on('error', () => pool.breakDown());
        worker.on('exit', () => pool.breakDown());
        pool.workers.push(slot);
      }
    } catch {
      pool.dispose();
      return undefined;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  private broken = false;
  /** Jobs in flight, to redo inline if a worker dies. */
  private readonly jobs = new Map<number, { lang: LanguageId; text: string; hash: string }>();

  /** A worker died (it should not): finish its jobs and all later ones on this thread instead. */
  private breakDown(): void {
    if (this.broken) return;
    this.broken = true;
    for (const [id, p] of this.pending) {
      const j = this.jobs.get(id)!;
      analyzeText(j.lang, j.text, j.hash).then(p.resolve, p.reject);
    }
    this.pending.clear();
    this.jobs.clear();
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.jobs.clear();
  }

  analyze(lang: LanguageId, text: string, hash: string): Promise<FileAnalysis> {
    if (this.broken || !this.workers.length) return analyzeText(lang, text, hash);
    if (this.pending.size === 0) this.setBusy(true);
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const job = { id, lang, text, hash };
      this.jobs.set(id, job);
      slot.queue.push(job);
      if (slot.queue.length >= batchSize) this.flush(slot);
      else if (!this.flushScheduled) {
        // Jobs queued in the same turn travel together; a partial batch leaves at the end of the turn.
        this.flushScheduled = true;
        queueMicrotask(() => { this.flushScheduled = false; for (const w of this.workers) this.flush(w); });
      }
    });
  }

  private flush(slot: AnalysisPool['workers'][number]): void {
    if (!slot.queue.length || this.broken) return;
    slot.worker.postMessage(slot.queue);
    slot.queue = [];
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    this.broken = true; // terminating workers is not a breakdown
    this.failAll(new Error('analysis pool disposed'));
    for (const { worker } of this.workers) void worker.terminate();
    if (shared === this) shared = undefined;
    this.workers.length = 0;
  }
}
