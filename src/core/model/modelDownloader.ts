// Downloads hf:/URL models into the models dir: the size is known before the first byte, progress reports
// bytes, speed and ETA, an AbortSignal cancels, and an interrupted download resumes from its .part file with
// an HTTP Range request. (node-llama-cpp's createModelDownloader retried a dropped connection forever from
// byte 0 and resolved a cancelled download with a path that did not exist, so this one is ours.)
import { existsSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DownloadProgress } from './types';
import type { ModelSource } from './modelSource';
import { inspectModelFile } from './modelFile';
import { formatBytes } from './memoryCheck';

export class DownloadError extends Error {
  constructor(message: string, readonly code: 'network' | 'http' | 'cancelled' | 'resolve' | 'incomplete') {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface ModelDownloaderOptions {
  modelsDir?: string;
  /** Hugging Face endpoint (tests point it at a local server). */
  hfEndpoint?: string;
  headers?: Record<string, string>;
}

export interface ModelDownloader {
  url: string;
  localPath: string;
  totalBytes: number;
  /** Bytes already on disk from an earlier, interrupted download. */
  resumeFromBytes: number;
  download(options?: { signal?: AbortSignal; onProgress?(p: DownloadProgress): void }): Promise<string>;
}

function hfHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const token = process.env.HF_TOKEN || process.env.HUGGING_FACE_HUB_TOKEN;
  return { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
}

function describeFetchError(e: unknown): string {
  const err = e as Error & { cause?: Error & { code?: string } };
  const cause = err.cause ? `: ${err.cause.code ?? ''} ${err.cause.message}`.replace(/\s+/g, ' ') : '';
  return `${err.message}${cause}`;
}

/** hf:user/repo:QUANT → the repo's one .gguf whose name has QUANT (case-insensitive). */
async function resolveHfUrl(source: Extract<ModelSource, { kind: 'hf' }>, endpoint: string, headers: Record<string, string>): Promise<string> {
  const base = `${endpoint}/${source.user}/${source.repo}/resolve/${encodeURIComponent(source.branch)}/`;
  if (source.file) return base + source.file.split('/').map(encodeURIComponent).join('/');
  let res: Response;
  try {
    res = await fetch(`${endpoint}/api/models/${source.user}/${source.repo}`, { headers: hfHeaders(headers) });
  } catch (e) {
    throw new DownloadError(`cannot reach ${endpoint} to resolve ${source.spec}: ${describeFetchError(e)}`, 'network');
  }
  if (!res.ok) throw new DownloadError(`cannot resolve ${source.spec}: ${endpoint} answered HTTP ${res.status}`, 'resolve');
  const body = await res.json() as { siblings?: Array<{ rfilename: string }> };
  const quant = source.quant!.toLowerCase();
  const files = (body.siblings ?? []).map((s) => s.rfilename).filter((f) => f.toLowerCase().endsWith('.gguf') && f.toLowerCase().includes(quant));
  if (files.length === 0) throw new DownloadError(`${source.user}/${source.repo} has no .gguf file for quantization ${source.quant}`, 'resolve');
  const single = files.filter((f) => !/-\d{5}-of-\d{5}\.gguf$/i.test(f));
  if (single.length === 0) throw new DownloadError(`${source.spec} is split into several files (${files[0]}…), which this downloader does not join yet`, 'resolve');
  return base + single[0]!.split('/').map(encodeURIComponent).join('/');
}

/** Total size from a HEAD, falling back to a one-byte ranged GET (servers that refuse HEAD). */
async function remoteSize(url: string, headers: Record<string, string>): Promise<number> {
  try {
    const head = await fetch(url, { method: 'HEAD', headers, redirect: 'follow' });
    const len = Number(head.headers.get('content-length'));
    if (head.ok && len > 0) return len;
    const probe = await fetch(url, { headers: { ...headers, range: 'bytes=0-0' }, redirect: 'follow' });
    const total = Number(/\/(\d+)$/.exec(probe.headers.get('content-range') ?? '')?.[1]);
    await probe.body?.cancel();
    if (total > 0) return total;
    if (!probe.ok) throw new DownloadError(`cannot download ${url}: HTTP ${probe.status}`, 'http');
    throw new DownloadError(`cannot download ${url}: the server does not say how big the file is`, 'http');
  } catch (e) {
    if (e instanceof DownloadError) throw e;
    throw new DownloadError(`cannot reach ${url}: ${describeFetchError(e)}`, 'network');
  }
}

export async function createModelDownloader(source: ModelSource, options: ModelDownloaderOptions = {}): Promise<ModelDownloader> {
  if (source.kind === 'path') throw new Error(`${source.spec} is a local path; there is nothing to download`);
  const headers = source.kind === 'hf' ? hfHeaders(options.headers) : { ...options.headers };
  const url = source.kind === 'hf' ? await resolveHfUrl(source, options.hfEndpoint ?? 'https://huggingface.co', headers) : source.url;
  const totalBytes = await remoteSize(url, headers);
  const part = `${source.localPath}.part`;
  const resumeFromBytes = existsSync(part) ? Math.min(statSync(part).size, totalBytes) : 0;
  return {
    url, localPath: source.localPath, totalBytes, resumeFromBytes,
    download: (o = {}) => downloadTo(url, source.localPath, totalBytes, headers, o.signal, o.onProgress),
  };
}

async function downloadTo(url: string, dest: string, total: number, headers: Record<string, string>, signal?: AbortSignal, onProgress?: (p: DownloadProgress) => void): Promise<string> {
  if (existsSync(dest) && statSync(dest).size === total) return dest;
  mkdirSync(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  let have = existsSync(part) ? statSync(part).size : 0;
  if (have > total) { unlinkSync(part); have = 0; }
  const started = Date.now();
  const startBytes = have;
  let lastReport = 0;
  const report = (force = false): void => {
    const now = Date.now();
    if (!onProgress || (!force && now - lastReport < 200)) return;
    lastReport = now;
    const seconds = (now - started) / 1000;
    const bytesPerSecond = seconds > 0 ? (have - startBytes) / seconds : 0;
    onProgress({ url, downloadedBytes: have, totalBytes: total, bytesPerSecond, etaSeconds: bytesPerSecond > 0 ? (total - have) / bytesPerSecond : undefined });
  };
  const cancelled = (): DownloadError => new DownloadError(`download cancelled at ${formatBytes(have)} of ${formatBytes(total)}; pulling again resumes from there`, 'cancelled');
  if (have < total) {
    if (signal?.aborted) throw cancelled();
    let res: Response;
    try {
      res = await fetch(url, { headers: { ...headers, ...(have > 0 ? { range: `bytes=${have}-` } : {}) }, signal, redirect: 'follow' });
    } catch (e) {
      if (signal?.aborted) throw cancelled();
      throw new DownloadError(`download of ${url} failed: ${describeFetchError(e)}`, 'network');
    }
    if (!res.ok || !res.body) throw new DownloadError(`download of ${url} failed: HTTP ${res.status}`, 'http');
    if (res.status === 200 && have > 0) have = 0; // the server ignored the Range header: start over
    const file = await open(part, have > 0 ? 'a' : 'w');
    try {
      report(true);
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        await file.write(chunk);
        have += chunk.length;
        report();
      }
    } catch (e) {
      if (signal?.aborted) throw cancelled();
      throw new DownloadError(`download of ${url} was interrupted after ${formatBytes(have)} of ${formatBytes(total)} (${describeFetchError(e)}); pulling again resumes from there`, 'network');
    } finally {
      await file.close();
    }
    report(true);
  }
  if (have !== total) throw new DownloadError(`download of ${url} ended after ${formatBytes(have)} of ${formatBytes(total)}; pulling again resumes from there`, 'incomplete');
  renameSync(part, dest);
  inspectModelFile(dest); // a finished download must be a usable GGUF; this throws naming the problem if not
  return dest;
}
