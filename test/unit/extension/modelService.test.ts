import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelService, ModelUnavailableError, type LocatedModel, type ModelBackend, type ModelChoice, type RuntimeOptions, type ServerChoice, type WithProgress } from '../../../src/extension/model/modelService';
import type { ModelRuntime } from '../../../src/core/model/types';
import type { ModelState } from '../../../src/protocol/messages';

/** A test double of the runtime: load resolves at once; records disposal. */
function fakeRuntime(): ModelRuntime & { disposed: boolean } {
  const rt = {
    disposed: false,
    load: async () => ({ source: 'x', architecture: 'qwen2', contextSize: 512, hasInfill: true }),
    chat: async () => { throw new Error('not used'); },
    complete: async () => { throw new Error('not used'); },
    infill: async () => { throw new Error('not used'); },
    countTokens: async () => 0,
    dispose: async () => { rt.disposed = true; },
  };
  return rt;
}

function setup(located: LocatedModel, model = '/m/model.gguf') {
  const settings: ModelChoice = { model, threads: 1, contextSize: 512, speculative: { draftModel: '', draftMinTokens: 0, promptLookup: true } };
  const serverRuntimes: Array<{ rt: ReturnType<typeof fakeRuntime>; server: ServerChoice }> = [];
  const locations: string[] = [];
  const created: Array<{ rt: ReturnType<typeof fakeRuntime>; opts: RuntimeOptions }> = [];
  const backend: ModelBackend = {
    locate: async (source) => { locations.push(source); return located; },
    download: async (_s, { onProgress }) => { onProgress(50, 100); onProgress(100, 100); located = { kind: 'local', path: '/m/downloaded.gguf' }; return '/m/downloaded.gguf'; },
    createRuntime: (_p, opts) => { const rt = fakeRuntime(); created.push({ rt, opts }); return rt; },
    createServerRuntime: (server) => { const rt = fakeRuntime(); serverRuntimes.push({ rt, server }); return rt; },
  };
  const progressTitles: string[] = [];
  const withProgress: WithProgress = (title, task) => { progressTitles.push(title); return task(() => {}, new AbortController().signal); };
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
  const service = new ModelService({ backend, withProgress, settings: () => settings, log, apiKey: async (url) => (url.startsWith('http://team') ? 'sk-team' : undefined) });
  const states: ModelState['kind'][] = [];
  service.onDidChangeState((s) => states.push(s.kind));
  return { service, created, settings, states, progressTitles, logs, serverRuntimes, locations };
}

test('an empty setting is not-configured, a missing path is missing-file, and acquire refuses both', async () => {
  const a = setup({ kind: 'local', path: '/x' }, '');
  assert.equal((await a.service.refresh()).kind, 'not-configured');
  await assert.rejects(a.service.acquire(), ModelUnavailableError);
  const b = setup({ kind: 'missing', path: '/m/none.gguf' });
  assert.equal((await b.service.refresh()).kind, 'missing-file');
  await assert.rejects(b.service.acquire(), /does not exist/);
  assert.equal(b.created.length, 0, 'no runtime was started');
});

test('acquire loads once, with progress, and reports ready; a second acquire reuses the runtime', async () => {
  const a = setup({ kind: 'local', path: '/m/model.gguf' });
  const rt1 = await a.service.acquire();
  const rt2 = await a.service.acquire();
  assert.equal(rt1, rt2);
  assert.equal(a.created.length, 1);
  assert.deepEqual(a.created[0].opts.threads, 1);
  assert.equal(a.created[0].opts.speculative?.promptLookup, true, 'speculative settings reach the runtime');
  assert.equal(a.progressTitles.length, 1);
  assert.ok(a.states.includes('loading'));
  assert.equal(a.service.state.kind, 'ready');
  assert.equal(a.service.info?.hasInfill, true);
});

test('a crash is reported as an error, and the next acquire starts a new runtime', async () => {
  const a = setup({ kind: 'local', path: '/m/model.gguf' });
  await a.service.acquire();
  a.created[0].opts.onCrash('killed (SIGKILL)');
  assert.equal(a.service.state.kind, 'error');
  assert.match((a.service.state as { message: string }).message, /SIGKILL/);
  assert.equal(a.created[0].rt.disposed, true, 'the dead runtime was released');
  await a.service.acquire();
  assert.equal(a.created.length, 2, 'restarted');
  assert.equal(a.service.state.kind, 'ready');
});

test('busy while working, with tokens per second, then ready again', async () => {
  const a = setup({ kind: 'local', path: '/m/model.gguf' });
  await a.service.acquire();
  const work = a.service.beginWork();
  work.report(12.5);
  assert.deepEqual(a.service.state, { kind: 'busy', model: '/m/model.gguf', tokensPerSecond: 12.5 });
  work.dispose();
  assert.equal(a.service.state.kind, 'ready');
});

test('a remote model is not-downloaded until download() reports progress and finishes', async () => {
  const a = setup({ kind: 'remote', source: 'hf:a/b:Q4' }, 'hf:a/b:Q4');
  assert.equal((await a.service.refresh()).kind, 'not-downloaded');
  await a.service.download();
  assert.ok(a.states.includes('downloading'));
  assert.equal(a.service.state.kind, 'unloaded');
});

test('changing the setting drops the loaded runtime', async () => {
  const a = setup({ kind: 'local', path: '/m/model.gguf' });
  await a.service.acquire();
  a.settings.model = '/m/other.gguf';
  await a.service.refresh();
  assert.equal(a.created[0].rt.disposed, true);
  assert.equal(a.service.state.kind, 'unloaded');
});

test('a choice blocked by Restricted Mode never locates, loads or starts anything, and says why', async () => {
  const a = setup({ kind: 'local', path: '/repo/evil.gguf' }, '/repo/evil.gguf');
  a.settings.blocked = 'Restricted Mode: this workspace chose qwq.model.source';
  const s = await a.service.refresh();
  assert.equal(s.kind, 'error');
  assert.match((s as { message: string }).message, /Restricted Mode/);
  await assert.rejects(a.service.acquire(), (e: Error) => e instanceof ModelUnavailableError && /Restricted Mode/.test(e.message));
  assert.equal(a.created.length, 0, 'no runtime');
  assert.deepEqual(a.locations, [], 'the file was not even looked at');
  a.settings.blocked = undefined; // trust granted
  await a.service.acquire();
  assert.equal(a.created.length, 1);
});

test('a setting that needs a reload (threads, context size) drops an idle model; while busy, it waits for the work to end', async () => {
  const a = setup({ kind: 'local', path: '/m/model.gguf' });
  await a.service.acquire();
  a.settings.threads = 2;
  await a.service.refresh();
  assert.equal(a.created[0].rt.disposed, true, 'idle: unloaded at once');
  assert.ok(a.logs.some((l) => /loads again/.test(l)));
  await a.service.acquire();
  assert.equal(a.created[1].opts.threads, 2, 'the next load uses the new value');
  const work = a.service.beginWork();
  a.settings.contextSize = 1024;
  await a.service.refresh();
  assert.equal(a.created[1].rt.disposed, false, 'busy: kept until the work ends');
  assert.ok(a.logs.some((l) => /when the work in progress ends/.test(l)));
  work.dispose();
  await new Promise((r) => setImmediate(r));
  assert.equal(a.created[1].rt.disposed, true, 'dropped once idle');
});

test('a server choice needs no file: it loads through the server runtime with the key from secret storage', async () => {
  const a = setup({ kind: 'missing', path: '/nowhere' }, '');
  a.settings.server = { url: 'http://team:8000/v1', model: 'Qwen/QwQ-32B', headers: { 'x-route': 'gpu' } };
  assert.equal((await a.service.refresh()).kind, 'unloaded');
  await a.service.acquire();
  assert.equal(a.created.length, 0, 'no local runtime');
  assert.deepEqual(a.serverRuntimes[0].server, { url: 'http://team:8000/v1', model: 'Qwen/QwQ-32B', headers: { 'x-route': 'gpu' }, apiKey: 'sk-team' });
  assert.deepEqual(a.locations, [], 'no file lookup for a server');
  assert.deepEqual(a.service.state, { kind: 'ready', model: 'Qwen/QwQ-32B @ team:8000' });
});

test('a stopped download is the model state (status bar, panel, walkthrough read it) until a working model is selected', async () => {
  let located: LocatedModel = { kind: 'remote', source: 'hf:Qwen/QwQ-32B-GGUF:Q4_K_M' };
  const settings: ModelChoice = { model: 'hf:Qwen/QwQ-32B-GGUF:Q4_K_M', threads: 1, contextSize: 512 };
  const backend: ModelBackend = {
    locate: async () => located,
    download: async () => { throw new Error('cannot reach huggingface.co\nstack…'); },
    createRuntime: () => fakeRuntime(),
  };
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  const service = new ModelService({ backend, withProgress: (_t, task) => task(() => {}, new AbortController().signal), settings: () => settings, log });
  await assert.rejects(service.download(), /cannot reach/);
  const failed = service.state;
  assert.equal(failed.kind, 'error');
  assert.deepEqual(failed, { kind: 'error', model: 'hf:Qwen/QwQ-32B-GGUF:Q4_K_M', message: 'The download stopped: cannot reach huggingface.co', retry: 'download' });
  assert.equal((await service.refresh()).kind, 'error', 'a refresh with the same model keeps the failure');

  // The user selects a GGUF that is on disk: the error about the other model is gone, with its Retry.
  settings.model = '/models/working.gguf';
  located = { kind: 'local', path: '/models/working.gguf' };
  assert.deepEqual(await service.refresh(), { kind: 'unloaded', model: '/models/working.gguf' });
  await service.acquire();
  assert.equal(service.state.kind, 'ready');
  // Switching back and forth does not bring the old failure back.
  settings.model = 'hf:Qwen/QwQ-32B-GGUF:Q4_K_M';
  located = { kind: 'remote', source: settings.model };
  assert.deepEqual(await service.refresh(), { kind: 'not-downloaded', model: 'hf:Qwen/QwQ-32B-GGUF:Q4_K_M' });
});

test('a crash of one model is not shown for another one', async () => {
  const a = setup({ kind: 'local', path: '/m/model.gguf' });
  await a.service.acquire();
  a.created[0]!.opts.onCrash('killed (SIGKILL)');
  assert.equal(a.service.state.kind, 'error');
  a.settings.model = '/m/other.gguf';
  assert.deepEqual(await a.service.refresh(), { kind: 'unloaded', model: '/m/other.gguf' });
});
