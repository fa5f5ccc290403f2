// A real HTTP server on 127.0.0.1 for the download tests: serves files with or without Range support, can
// drop connections mid-body or go slow, plays the Hugging Face manifest and resolve endpoints, and records
// every request (method, range) and the most connections it saw open at once.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile { body: Buffer }

export interface DownloadServer {
  base: string;
  files: Map<string, Buffer>;
  /** Hugging Face manifests: `user/repo:TAG` → the file name in the repo. */
  manifests: Map<string, string>;
  requests: Array<{ method: string; path: string; range?: string }>;
  /** Most GET bodies streaming at once. */
  maxConcurrent: number;
  /** Answer Range requests with 206 (default true); false sends the whole file with 200. */
  ranges: boolean;
  /** The next `drops` GET bodies send `dropAfterBytes` and then the socket is destroyed. */
  drops: number;
  dropAfterBytes: number;
  /** Bytes per 10 ms tick (0: as fast as possible), for bodies that start at or after `throttleFromByte`. */
  throttleBytesPer10ms: number;
  throttleFromByte: number;
  close(): Promise<void>;
}

export async function startDownloadServer(): Promise<DownloadServer> {
  let active = 0;
  const state: DownloadServer = {
    base: '', files: new Map(), manifests: new Map(), requests: [], maxConcurrent: 0, ranges: true, drops: 0, dropAfterBytes: 0, throttleBytesPer10ms: 0, throttleFromByte: 0,
    close: async () => undefined,
  };
  const send = (res: ServerResponse, body: Buffer, offset: number, onDone: () => void): void => {
    let at = 0;
    const throttle = offset >= state.throttleFromByte ? state.throttleBytesPer10ms : 0;
    const drop = state.drops > 0 ? (state.drops--, state.dropAfterBytes) : undefined;
    const step = (): void => {
      if (res.destroyed) { onDone(); return; }
      if (drop !== undefined && at >= drop) { onDone(); res.socket?.destroy(); return; }
      const n = throttle || 256 * 1024;
      const end = Math.min(body.length, at + n, drop ?? Infinity);
      const ok = res.write(body.subarray(at, end));
      at = end;
      if (at >= body.length) { res.end(); onDone(); return; }
      if (throttle) setTimeout(step, 10);
      else if (ok) setImmediate(step);
      else res.once('drain', step);
    };
    step();
  };
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '').split('?')[0]!);
    state.requests.push({ method: req.method ?? '', path, ...(req.headers.range ? { range: req.headers.range } : {}) });
    const manifest = /^\/v2\/([^/]+)\/([^/]+)\/manifests\/(.+)$/.exec(path);
    if (manifest) {
      const file = state.manifests.get(`${manifest[1]}/${manifest[2]}:${manifest[3]}`);
      if (!file) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ggufFile: { rfilename: file, size: state.files.get(`/${manifest[1]}/${manifest[2]}/resolve/main/${file}`)?.length } }));
      return;
    }
    const body = state.files.get(path);
    if (!body) { res.writeHead(404); res.end(); return; }
    const m = state.ranges ? /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '') : null;
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] ? Math.min(Number(m[2]), body.length - 1) : body.length - 1;
    res.writeHead(m ? 206 : 200, {
      'content-length': end - start + 1, 'content-type': 'application/octet-stream',
      ...(state.ranges ? { 'accept-ranges': 'bytes' } : { 'accept-ranges': 'none' }),
      ...(m ? { 'content-range': `bytes ${start}-${end}/${body.length}` } : {}),
    });
    if (req.method === 'HEAD') { res.end(); return; }
    active++;
    state.maxConcurrent = Math.max(state.maxConcurrent, active);
    send(res, body.subarray(start, end + 1), start, () => { active--; });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); });
  return state;
}
