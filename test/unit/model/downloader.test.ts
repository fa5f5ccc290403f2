// Model downloads against a real local HTTP server: size up front, progress, resume after the connection is
// dropped mid-body, cancel, and hf: URI resolution (the server plays the Hugging Face API).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { writeTinyQwen2 } from '../../fixtures/gguf/qwen2Model';
import { tempDir } from './helpers';
import { createModelDownloader, DownloadError } from '../../../src/core/model/modelDownloader';
import { resolveModelSource } from '../../../src/core/model/modelSource';
import type { DownloadProgress } from '../../../src/core/model/types';

const tmp = tempDir();
const modelPath = join(tmp.dir, 'served.gguf');
writeTinyQwen2(modelPath);
const body = readFileSync(modelPath);
/** When set, the next GET sends this many bytes and then destroys the socket. */
let dropAfter: number | undefined;
let stallAfter: number | undefined;
const ranges: string[] = [];
let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/api/models/acme/tiny-GGUF') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ siblings: [{ rfilename: 'README.md' }, { rfilename: 'tiny-q8_0.gguf' }, { rfilename: 'tiny-f32.gguf' }] }));
      return;
    }
    if (!req.url?.endsWith('.gguf')) { res.writeHead(404); res.end(); return; }
    const m = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    if (req.method === 'GET') ranges.push(req.headers.range ?? 'none');
    res.writeHead(m ? 206 : 200, {
      'content-length': body.length - start, 'accept-ranges': 'bytes',
      ...(m ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    if (req.method === 'HEAD') { res.end(); return; }
    if (dropAfter !== undefined) {
      const n = dropAfter;
      dropAfter = undefined;
      res.write(body.subarray(start, start + n), () => setTimeout(() => req.socket.destroy(), 20));
      return;
    }
    if (stallAfter !== undefined) {
      const n = stallAfter;
      stallAfter = undefined;
      res.write(body.subarray(start, start + n)); // then never finishes: only a cancel ends it
      return;
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => { server.closeAllConnections(); server.close(); tmp.cleanup(); });

test('a dropped connection fails with a clear error, keeps the partial file, and the next pull resumes', async () => {
  const modelsDir = join(tmp.dir, 'models-a');
  const source = resolveModelSource(`${base}/m/tiny.gguf`, modelsDir);
  const d1 = await createModelDownloader(source);
  assert.equal(d1.totalBytes, body.length);
  assert.equal(d1.resumeFromBytes, 0);
  dropAfter = 100_000;
  await assert.rejects(d1.download(), (e: unknown) => e instanceof DownloadError && e.code === 'network'
    && /interrupted after .* of .*; pulling again resumes/.test(e.message));
  assert.ok(!existsSync(source.localPath));
  const kept = statSync(`${source.localPath}.part`).size;
  assert.ok(kept >= 100_000 && kept < body.length, `kept ${kept}`);

  const d2 = await createModelDownloader(source);
  assert.equal(d2.resumeFromBytes, kept);
  const progress: DownloadProgress[] = [];
  ranges.length = 0;
  const path = await d2.download({ onProgress: (p) => progress.push(p) });
  assert.deepEqual(ranges, [`bytes=${kept}-`]);
  assert.ok(readFileSync(path).equals(body));
  const last = progress[progress.length - 1]!;
  assert.equal(last.downloadedBytes, body.length);
  assert.equal(last.totalBytes, body.length);
  assert.ok(progress[0]!.downloadedBytes === kept);
  assert.ok(last.bytesPerSecond > 0);
  assert.equal(last.etaSeconds, 0);
});

test('cancel stops a stalled download promptly and says how to resume', async () => {
  const source = resolveModelSource(`${base}/m/stall.gguf`, join(tmp.dir, 'models-b'));
  const d = await createModelDownloader(source);
  const controller = new AbortController();
  stallAfter = 5000;
  const pending = d.download({ signal: controller.signal });
  // Cancel once the first 5000 bytes are on disk and the server has gone quiet.
  while (!existsSync(`${source.localPath}.part`) || statSync(`${source.localPath}.part`).size < 5000) await new Promise((r) => setTimeout(r, 20));
  controller.abort();
  await assert.rejects(pending, (e: unknown) => e instanceof DownloadError && e.code === 'cancelled' && /cancelled at .*resumes/.test(e.message));
  assert.equal(statSync(`${source.localPath}.part`).size, 5000);
});

test('hf:user/repo:QUANT resolves to the one matching .gguf in the repo', async () => {
  const source = resolveModelSource('hf:acme/tiny-GGUF:F32', join(tmp.dir, 'models-c'));
  assert.match(source.localPath, /hf_acme_tiny-GGUF_F32\.gguf$/);
  const d = await createModelDownloader(source, { hfEndpoint: base });
  assert.equal(d.url, `${base}/acme/tiny-GGUF/resolve/main/tiny-f32.gguf`);
  const path = await d.download();
  assert.equal(statSync(path).size, body.length);
  const missing = resolveModelSource('hf:acme/tiny-GGUF:Q4_K_M', join(tmp.dir, 'models-c'));
  await assert.rejects(createModelDownloader(missing, { hfEndpoint: base }), /no \.gguf file for quantization Q4_K_M/);
});

test('an unreachable server is a network error naming the URL', async () => {
  const source = resolveModelSource('http://127.0.0.1:9/none.gguf', join(tmp.dir, 'models-d'));
  await assert.rejects(createModelDownloader(source), (e: unknown) => e instanceof DownloadError && e.code === 'network' && /127\.0\.0\.1:9/.test(e.message));
});

test('model specs: paths, hf: URIs and URLs; a malformed hf: URI is refused', () => {
  assert.equal(resolveModelSource('models/a.gguf', '/m', '/w').localPath, '/w/models/a.gguf');
  const hf = resolveModelSource('hf:Qwen/QwQ-32B-GGUF:Q4_K_M', '/m');
  assert.equal(hf.kind, 'hf');
  assert.equal(hf.localPath, '/m/hf_Qwen_QwQ-32B-GGUF_Q4_K_M.gguf');
  assert.equal(resolveModelSource('https://x.test/a/b.gguf', '/m').kind, 'url');
  assert.throws(() => resolveModelSource('hf:just-a-name', '/m'), /malformed Hugging Face model URI/);
});
