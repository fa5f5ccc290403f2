// Model downloads through node-llama-cpp's downloader against a real HTTP server on 127.0.0.1: progress,
// parallel connections with Range requests, retries after connections dropped mid-body, a server without
// Range support, cancel (never a path that does not exist), resume, split GGUFs, and hf: URI resolution.
// No test waits on a timer: a cancel is triggered from the progress callback itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { writeTinyQwen2 } from '../../fixtures/gguf/qwen2Model';
import { tempDir } from './helpers';
import { startDownloadServer, type DownloadServer } from './downloadServer';
import { createModelDownloader, downloadedModelPath, DownloadError } from '../../../src/core/model/modelDownloader';
import { resolveModelSource } from '../../../src/core/model/modelSource';
import type { DownloadProgress } from '../../../src/core/model/types';

const tmp = tempDir();
let server: DownloadServer;
let small: Buffer;
/** Over three 5 MiB chunks: the downloader splits it across connections. */
let big: Buffer;

before(async () => {
  const s = join(tmp.dir, 'small.gguf');
  writeTinyQwen2(s);
  small = readFileSync(s);
  const b = join(tmp.dir, 'big.gguf');
  writeTinyQwen2(b, { nEmbd: 256, nFf: 1024, nLayer: 4 });
  big = readFileSync(b);
  server = await startDownloadServer();
  server.files.set('/m/small.gguf', small);
  server.files.set('/m/big.gguf', big);
});
after(async () => { await server.close(); tmp.cleanup(); });

const fresh = (name: string) => { server.requests.length = 0; server.maxConcurrent = 0; return join(tmp.dir, name); };

test('progress: the size is known up front, bytes only grow, and the last report is the whole file', async () => {
  const source = resolveModelSource(`${server.base}/m/small.gguf`, fresh('models-progress'));
  const d = await createModelDownloader(source);
  assert.equal(d.totalBytes, small.length);
  assert.equal(d.resuming, false);
  const progress: DownloadProgress[] = [];
  const path = await d.download({ onProgress: (p) => progress.push(p) });
  assert.ok(readFileSync(path).equals(small));
  assert.ok(progress.length > 0);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.downloadedBytes >= progress[i - 1]!.downloadedBytes);
  assert.equal(progress.at(-1)!.downloadedBytes, small.length);
  assert.equal(progress.at(-1)!.totalBytes, small.length);
});

test('parallel connections: a large file comes in Range chunks over more than one connection', async () => {
  const source = resolveModelSource(`${server.base}/m/big.gguf`, fresh('models-parallel'));
  const path = await (await createModelDownloader(source)).download();
  assert.ok(readFileSync(path).equals(big));
  const ranged = server.requests.filter((r) => r.method === 'GET' && r.range);
  assert.ok(ranged.length >= 3, `ranges: ${JSON.stringify(ranged)}`);
  assert.ok(server.maxConcurrent >= 2, `at most ${server.maxConcurrent} connection(s) at once`);
});

test('retries: connections dropped mid-body are retried with Range requests, not from byte 0, and the file is whole', async () => {
  const source = resolveModelSource(`${server.base}/m/big.gguf`, fresh('models-retry'));
  server.drops = 3;
  server.dropAfterBytes = 700_000;
  try {
    const path = await (await createModelDownloader(source)).download();
    assert.ok(readFileSync(path).equals(big));
  } finally { server.drops = 0; }
  const gets = server.requests.filter((r) => r.method === 'GET');
  assert.ok(gets.length > 3, `${gets.length} GETs`);
  const retriedLater = gets.filter((r) => r.range && !/^bytes=0-/.test(r.range));
  assert.ok(retriedLater.length >= 2, 'chunks after the first are fetched (and re-fetched) by range');
});

test('a server without Range support still delivers the file, over one connection', async () => {
  const source = resolveModelSource(`${server.base}/m/big.gguf`, fresh('models-norange'));
  server.ranges = false;
  try {
    const path = await (await createModelDownloader(source)).download();
    assert.ok(readFileSync(path).equals(big));
  } finally { server.ranges = true; }
});

test('cancel rejects with a cancelled DownloadError (never a path that does not exist), and the next pull resumes', async () => {
  const dir = fresh('models-cancel');
  const source = resolveModelSource(`${server.base}/m/big.gguf`, dir);
  const controller = new AbortController();
  // The first 5 MiB chunk comes fast and is saved; the others crawl, so the cancel lands while they run.
  server.throttleBytesPer10ms = 16 * 1024;
  server.throttleFromByte = 5 * 1024 * 1024;
  let cancelledAt = 0;
  try {
    const d = await createModelDownloader(source);
    await assert.rejects(d.download({
      signal: controller.signal,
      onProgress: (p) => { if (!cancelledAt && p.downloadedBytes > 5.5 * 1024 * 1024) { cancelledAt = p.downloadedBytes; controller.abort(); } },
    }), (e: unknown) => e instanceof DownloadError && e.code === 'cancelled' && /cancelled at .*resumes/.test(e.message));
  } finally { server.throttleBytesPer10ms = 0; server.throttleFromByte = 0; }
  assert.ok(cancelledAt > 0);
  assert.equal(downloadedModelPath(source.localPath), undefined, 'no finished model file after a cancel');

  server.requests.length = 0;
  const again = await createModelDownloader(source);
  assert.equal(again.resuming, true, 'the partial download is found');
  let firstReport = -1;
  const path = await again.download({ onProgress: (p) => { if (firstReport < 0) firstReport = p.downloadedBytes; } });
  assert.ok(firstReport >= 5 * 1024 * 1024, `resumed at ${firstReport} bytes`);
  assert.ok(readFileSync(path).equals(big));
  // (ipull's first GET without a range only reads the headers; the chunks come by range.)
  const refetched = server.requests.filter((r) => r.method === 'GET' && r.range !== undefined && /^bytes=0-/.test(r.range));
  assert.equal(refetched.length, 0, `the first chunk was not fetched again: ${JSON.stringify(server.requests)}`);
  assert.ok(server.requests.some((r) => r.range !== undefined && !/^bytes=0-/.test(r.range)), 'the rest came by range');
});

test('split GGUFs: an hf: URI whose file is split downloads every part; the model is its first part', async () => {
  const parts = ['00001', '00002', '00003'].map((n, i) => ({ name: `tiny-Q8_0-${n}-of-00003.gguf`, body: i === 0 ? small : Buffer.concat([small, Buffer.from([i])]) }));
  for (const p of parts) server.files.set(`/acme/tiny-GGUF/resolve/main/${p.name}`, p.body);
  server.manifests.set('acme/tiny-GGUF:Q8_0', parts[0]!.name);
  const source = resolveModelSource('hf:acme/tiny-GGUF:Q8_0', fresh('models-split'));
  const d = await createModelDownloader(source, { hfEndpoint: `${server.base}/` });
  assert.equal(d.files, 3);
  assert.equal(d.totalBytes, parts.reduce((n, p) => n + p.body.length, 0));
  const path = await d.download();
  assert.match(path, /-00001-of-00003\.gguf$/);
  assert.equal(downloadedModelPath(source.localPath), path, 'found again without the network');
  for (const [i, p] of parts.entries()) {
    const file = path.replace('-00001-of-', `-0000${i + 1}-of-`);
    assert.ok(existsSync(file) && readFileSync(file).equals(p.body), `part ${i + 1}`);
  }
});

test('hf:user/repo:QUANT resolves through the manifest; an unknown quantization is a clear error', async () => {
  server.files.set('/acme/one-GGUF/resolve/main/one-F32.gguf', small);
  server.manifests.set('acme/one-GGUF:F32', 'one-F32.gguf');
  const source = resolveModelSource('hf:acme/one-GGUF:F32', fresh('models-hf'));
  assert.match(source.localPath, /hf_acme_one-GGUF_F32\.gguf$/);
  const path = await (await createModelDownloader(source, { hfEndpoint: `${server.base}/` })).download();
  assert.equal(path, source.localPath);
  assert.ok(readFileSync(path).equals(small));
  const missing = resolveModelSource('hf:acme/one-GGUF:Q4_K_M', tmp.dir);
  await assert.rejects(createModelDownloader(missing, { hfEndpoint: `${server.base}/` }), (e: unknown) => e instanceof DownloadError && /Q4_K_M/.test(e.message));
});

test('an unreachable server is an error naming the model, at once (no minutes of retries)', async () => {
  const source = resolveModelSource('http://127.0.0.1:9/none.gguf', join(tmp.dir, 'models-down'));
  await assert.rejects(createModelDownloader(source), (e: unknown) => e instanceof DownloadError && /127\.0\.0\.1:9/.test(e.message));
});

test('model specs: paths, hf: URIs and URLs; a malformed hf: URI is refused', () => {
  assert.equal(resolveModelSource('models/a.gguf', '/m', '/w').localPath, '/w/models/a.gguf');
  const hf = resolveModelSource('hf:Qwen/QwQ-32B-GGUF:Q4_K_M', '/m');
  assert.equal(hf.kind, 'hf');
  assert.equal(hf.localPath, '/m/hf_Qwen_QwQ-32B-GGUF_Q4_K_M.gguf');
  assert.equal(resolveModelSource('https://x.test/a/b.gguf', '/m').kind, 'url');
  assert.throws(() => resolveModelSource('hf:just-a-name', '/m'), /malformed Hugging Face model URI/);
});
