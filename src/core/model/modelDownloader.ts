// Downloads hf:/URL models into the models dir through node-llama-cpp's createModelDownloader (ipull): 5 MiB
// chunks over several connections, per-chunk retries with Range requests after a dropped connection, resume
// of an interrupted download from its temp file, split GGUFs (-00001-of-0000N) and progress. Two things are
// ours: the library resolves a cancelled download with a path that does not exist (it checks the signal only
// when download() throws), so the signal is checked again after it returns; and a finished download must be
// a usable GGUF before it is handed on.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DownloadProgress } from './types';
import type { ModelSource } from './modelSource';
import { formatBytes } from './memoryCheck';
import { errorMessage } from '../util';

export class DownloadError extends Error {
  constructor(message: string, readonly code: 'network' | 'http' | 'cancelled' | 'resolve' | 'incomplete') {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface ModelDownloaderOptions {
  modelsDir?: string;
  /** Hugging Face endpoint (tests point it at a local server; $HF_ENDPOINT works too). */
  hfEndpoint?: string;
  headers?: Record<string, string>;
  /** Files of a split GGUF downloaded at once (default 4); each file also uses several connections. */
  parallelDownloads?: number;
}

export interface ModelDownloader {
  url: string;
  /** Where the model will be: the file, or the first part of a split GGUF. */
  localPath: string;
  totalBytes: number;
  /** An earlier, interrupted download left its progress here: finished 5 MiB chunks are not fetched again. */
  resuming: boolean;
  /** Files the model is made of (more than 1 for a split GGUF). */
  files: number;
  download(options?: { signal?: AbortSignal; onProgress?(p: DownloadProgress): void }): Promise<string>;
}

type Nlc = typeof import('node-llama-cpp');

function describeError(e: unknown): string {
  const err = e as Error & { cause?: Error & { code?: string } };
  const message = errorMessage(e);
  const cause = err?.cause ? `: ${err.cause.code ?? ''} ${err.cause.message}`.replace(/\s+/g, ' ') : '';
  return `${message}${cause}`;
}

/** The file that holds a downloaded model: `localPath`, or the first part of a split GGUF saved under its stem. */
export function downloadedModelPath(localPath: string): string | undefined {
  if (existsSync(localPath)) return localPath;
  const dir = dirname(localPath);
  const stem = basename(localPath).replace(/\.gguf$/i, '');
  if (!existsSync(dir)) return undefined;
  const first = readdirSync(dir).find((f) => f.startsWith(`${stem}-00001-of-`) && /-00001-of-\d{5}\.gguf$/.test(f));
  return first ? join(dir, first) : undefined;
}

/** ipull's temp file (progress kept after the data) while a download is unfinished. */
const PROGRESS_SUFFIX = '.ipull';

/**
 * One quick request before handing over: ipull retries a refused connection 150 times with backoff (about
 * ten minutes), which is right for a flaky link mid-download but not for a typo in a URL or a server that
 * is down. Any HTTP answer, even an error status, proves the host is there; ipull then handles the rest.
 */
async function checkReachable(url: string, headers: Record<string, string> | undefined, what: string): Promise<void> {
  try {
    const res = await fetch(url, { method: 'HEAD', headers, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
    await res.body?.cancel();
  } catch (e) {
    throw new DownloadError(`cannot reach ${what}: ${describeError(e)}`, 'network');
  }
}

export async function createModelDownloader(source: ModelSource, options: ModelDownloaderOptions = {}): Promise<ModelDownloader> {
  if (source.kind === 'path') throw new Error(`${source.spec} is a local path; there is nothing to download`);
  if (source.kind === 'url') await checkReachable(source.url, options.headers, source.url);
  else {
    const endpoint = options.hfEndpoint ?? process.env.MODEL_ENDPOINT ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co/';
    await checkReachable(endpoint, undefined, `${endpoint} to resolve ${source.spec}`);
  }
  const nlc: Nlc = await import('node-llama-cpp');
  const token = process.env.HF_TOKEN || process.env.HUGGING_FACE_HUB_TOKEN;
  const uri = source.kind === 'hf' ? source.spec : source.url;
  let progressSink: ((p: { totalSize: number; downloadedSize: number; averageSpeed: number; estimatedTimeLeft: number }) => void) | undefined;
  let inner: Awaited<ReturnType<Nlc['createModelDownloader']>>;
  try {
    inner = await nlc.createModelDownloader({
      modelUri: uri,
      dirPath: dirname(source.localPath),
      fileName: basename(source.localPath),
      headers: options.headers,
      ...(token ? { tokens: { huggingFace: token } } : {}),
      ...(options.hfEndpoint ? { endpoints: { huggingFace: options.hfEndpoint } } : {}),
      parallelDownloads: options.parallelDownloads ?? 4,
      // A cancelled download keeps its temp file, so pulling again resumes from there.
      deleteTempFileOnCancel: false,
      // Not skipExisting: with it ipull writes straight to the final name and keeps no progress, so a
      // cancelled download would look finished and could not resume. Callers check for a finished file first.
      skipExisting: false,
      onProgress: (p) => progressSink?.(p),
    });
  } catch (e) {
    const text = describeError(e);
    const code = /fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket/i.test(text) ? 'network' : /\b(40\d|50\d)\b/.test(text) ? 'http' : 'resolve';
    throw new DownloadError(`cannot download ${source.spec}: ${text}`, code);
  }
  const localPath = inner.entrypointFilePath;
  const url = source.kind === 'url' ? source.url : `${source.spec} (Hugging Face)`;
  return {
    url, localPath, totalBytes: inner.totalSize, files: inner.totalFiles ?? 1,
    resuming: inner.filesInfo.some((f) => existsSync(`${f.filePath}${PROGRESS_SUFFIX}`)),
    async download({ signal, onProgress } = {}) {
      const started = Date.now();
      let lastReport = 0;
      progressSink = onProgress ? (p) => {
        const now = Date.now();
        if (now - lastReport < 200 && p.downloadedSize < p.totalSize) return;
        lastReport = now;
        const bytesPerSecond = p.averageSpeed > 0 ? p.averageSpeed : p.downloadedSize / Math.max(0.001, (now - started) / 1000);
        onProgress({ url, downloadedBytes: p.downloadedSize, totalBytes: p.totalSize, bytesPerSecond, etaSeconds: Number.isFinite(p.estimatedTimeLeft) && p.estimatedTimeLeft > 0 ? p.estimatedTimeLeft / 1000 : undefined });
      } : undefined;
      const cancelled = (): DownloadError => new DownloadError(`download cancelled at ${formatBytes(inner.downloadedSize)} of ${formatBytes(inner.totalSize)}; pulling again resumes from there`, 'cancelled');
      if (signal?.aborted) throw cancelled();
      let path: string;
      try {
        path = await inner.download({ signal });
      } catch (e) {
        if (signal?.aborted) throw cancelled();
        throw new DownloadError(`download of ${url} stopped after ${formatBytes(inner.downloadedSize)} of ${formatBytes(inner.totalSize)} (${describeError(e)}); pulling again resumes from there`, 'network');
      } finally {
        progressSink = undefined;
      }
      // node-llama-cpp returns normally when a cancel closed the transfer: the file is then not there.
      if (signal?.aborted) throw cancelled();
      for (const f of inner.filesInfo) {
        if (!existsSync(f.filePath) || statSync(f.filePath).size !== f.totalSize) {
          throw new DownloadError(`download of ${url} ended with ${f.fileName} incomplete (${formatBytes(existsSync(f.filePath) ? statSync(f.filePath).size : 0)} of ${formatBytes(f.totalSize)}); pulling again resumes from there`, 'incomplete');
        }
      }
      // A finished download must be a usable GGUF; this throws naming the problem if not.
      const { inspectModelFile } = await import('./modelFile');
      await inspectModelFile(path);
      return path;
    },
  };
}
