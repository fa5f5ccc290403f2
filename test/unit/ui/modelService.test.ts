import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelService, ModelUnavailableError, type LocatedModel, type ModelBackend, type RuntimeOptions, type WithProgress } from '../../../src/extension/model/modelService';
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
  const settings = { model, threads: 1, contextSize: 512, speculative: { draftModel: '', draftMinTokens: 0, promptLookup: true } };
  const created: Array<{ rt: ReturnType<typeof fakeRuntime>; opts: RuntimeOptions }> = [];
  const backend: ModelBackend = {
    locate: async () => located,
    download: async (_s, { onProgress }) => { onProgress(50, 100); onProgress(100, 100); located = { kind: 'local', path: '/m/downloaded.gguf' }; return '/m/downloaded.gguf'; },
    createRuntime: (_p, opts) => { const rt = fakeRuntime(); created.push({ rt, opts }); return rt; },
  };
  const progressTitles: string[] = [];
  const withProgress: WithProgress = (title, task) => { progressTitles.push(title); return task(() => {}, new AbortController().signal); };
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
  const service = new ModelService({ backend, withProgress, settings: () => settings, log });
  const states: ModelState['kind'][] = [];
  service.onDidChangeState((s) => states.push(s.kind));
  return { service, created, settings, states, progressTitles, logs };
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
