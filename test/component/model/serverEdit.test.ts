// `qwq-coder edit --base-url` against a real OpenAI-compatible SSE server on 127.0.0.1, answered by the
// scripted scenario model through our llama runtime: the plan streams as reasoning, the edit comes back under
// guided decoding (response_format, or vLLM's guided_json), and the workspace's real tests verify it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { writeScenario } from '../../fixtures/scenarios/cartScenarios';
import { testRuntime } from '../../unit/model/helpers';
import { startOpenAiTestServer, type TestServer } from './openaiTestServer';
import type { LlamaRuntime } from '../../../src/core/model/llamaRuntime';

const WORKSPACES = join(__dirname, '../../fixtures/workspaces');
let dir: string;
let local: LlamaRuntime;
let server: TestServer;

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, signal: new AbortController().signal, cwd: process.cwd() });
  return { code, out, err };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qwq-server-edit-'));
  local = testRuntime(writeScenario(dir, 'fix'), { contextSize: 16384 });
  await local.load();
  server = await startOpenAiTestServer(local, 'field');
});
after(async () => { await server?.close(); await local?.dispose(); rmSync(dir, { recursive: true, force: true }); });

test('edit --base-url plans and writes the edit through the server, and the real tests verify it', async () => {
  const ws = join(dir, 'node-copy');
  cpSync(join(WORKSPACES, 'node'), ws, { recursive: true });
  const original = readFileSync(join(ws, 'src/cart.js'), 'utf8');
  const r = await cli(['edit', '--workspace', ws, '--task', 'fix the failing tests', '--base-url', server.baseUrl, '--model', 'qwq-test', '--no-tools', '--json']);
  assert.equal(r.code, 0, r.err + r.out.slice(-2000));
  const events = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(events.at(-1).verdict, 'verified');
  assert.ok(events.some((e) => e.type === 'thought'), 'the plan streamed as thoughts');
  const chats = server.requests.filter((q) => q.path === '/v1/chat/completions');
  assert.ok(chats.some((q) => q.body.response_format?.type === 'json_schema'), 'the edit call used guided decoding');
  assert.equal(readFileSync(join(ws, 'src/cart.js'), 'utf8'), original, 'nothing written without --apply');
});

test('edit --base-url: a bad URL or a missing --model is a usage error (exit 2)', async () => {
  const ws = join(WORKSPACES, 'node');
  const bad = await cli(['edit', '--workspace', ws, '--task', 'x', '--base-url', 'ftp://x', '--model', 'm']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--base-url must be an http/);
  const noModel = await cli(['edit', '--workspace', ws, '--task', 'x', '--base-url', server.baseUrl]);
  assert.equal(noModel.code, 2);
  assert.match(noModel.err, /needs --model/);
});

test('an unreachable server: exit 1 with one clear line', async () => {
  const r = await cli(['edit', '--workspace', join(WORKSPACES, 'node'), '--task', 'fix it', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm']);
  assert.equal(r.code, 1);
  assert.match(r.err, /cannot reach the model server at http:\/\/127\.0\.0\.1:9\/v1/);
});
