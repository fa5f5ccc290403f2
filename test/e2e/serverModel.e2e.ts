// UI flow 13 on code-server: the model is an OpenAI-compatible server (qwq.model.provider = server), not a local
// GGUF. The server is a real SSE server on 127.0.0.1 in this test process, answered by the same scripted GGUF as
// flow 1 through the real llama runtime; it needs no API key, so nothing is put in SecretStorage. Edit Selection
// plans and writes the edit through that server, and the workspace's own tests verify it.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectText, openWorkbench, type Workbench } from './harness';
import { CART, editSelection, expectVerifiedFix, FIX_INSTRUCTION, flow, writeFixModel } from './uiFixtures';
import { startOpenAiTestServer, type TestServer } from '../component/model/openaiTestServer';
import { testRuntime } from '../unit/model/helpers';
import type { LlamaRuntime } from '../../src/core/model/llamaRuntime';

const SERVED_MODEL = 'qwq-test';

describe('server model flow (trusted, scripted model behind an OpenAI-compatible server)', () => {
  let wb: Workbench;
  let local: LlamaRuntime;
  let server: TestServer;

  before(async () => {
    local = testRuntime(writeFixModel(), { contextSize: 16384 });
    await local.load();
    server = await startOpenAiTestServer(local, 'field');
    wb = await openWorkbench({
      flow: 'server', folder: CART,
      settings: {
        'qwq.model.provider': 'server', 'qwq.server.url': server.baseUrl, 'qwq.server.model': SERVED_MODEL, 'qwq.model.contextSize': 16384,
        'files.autoSave': 'off', 'workbench.tips.enabled': false,
      },
    });
  });
  after(async () => { await wb?.close(); await server?.close(); await local?.dispose(); });

  test('13. Edit Selection through a model server: the plan and the edit come from the server, the diff is verified', () => flow(wb, 'flow13', async () => {
    await editSelection(wb, { line: 12, extend: 4, instruction: FIX_INSTRUCTION });
    await expectVerifiedFix(wb);

    // The work went through the server: it streamed the plan and answered the edit call under guided decoding.
    const chats = server.requests.filter((q) => q.path === '/v1/chat/completions');
    assert.ok(chats.length > 0, 'the server received chat requests');
    assert.ok(chats.every((q) => q.body.model === SERVED_MODEL), 'each request names the configured server model');
    assert.ok(chats.some((q) => q.body.response_format?.type === 'json_schema' || q.body.guided_json), 'the edit call used guided decoding');
    // The panel names the model as "<model> @ <host>", not a GGUF file.
    await expectText(wb.panel().locator('.model-state'), `${SERVED_MODEL} @ ${new URL(server.baseUrl).host}`, 30_000);
    await wb.screenshot('flow13-server-verified');
  }));
});
