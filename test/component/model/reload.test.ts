// What a new user does with models, each step tried twice, through the real worker process and llama.cpp on
// SCRIPTED models (each answers with its own sentence, so the answer says which model is loaded): switch models
// and back, restart, and retry in the same worker after a refusal once the cause is fixed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { thinkThenAnswerScript, writeScriptedModel } from '../../fixtures/gguf/scriptedModel';
import { buildVocab, qwen2Metadata, qwen2TensorShapes, randomFill, TINY_SHAPE, writeTinyQwen2 } from '../../fixtures/gguf/qwen2Model';
import { GgmlType, writeGguf } from '../../fixtures/gguf/ggufWriter';
import { tempDir, testRuntime } from '../../unit/model/helpers';
import { startDownloadServer } from '../../unit/model/downloadServer';
import { DownloadError, downloadedModelPath } from '../../../src/core/model/modelDownloader';
import { resolveModelSource } from '../../../src/core/model/modelSource';
import { ModelFileError } from '../../../src/core/model/ggufBounds';
import { ModelMemoryError } from '../../../src/core/model/memoryCheck';
import type { LlamaRuntime } from '../../../src/core/model/llamaRuntime';

const tmp = tempDir('qwq-model-reload-');
after(() => tmp.cleanup());

function scripted(name: string, answer: string): string {
  const path = join(tmp.dir, name);
  writeScriptedModel(path, thinkThenAnswerScript({ thought: `thinking as ${name}`, answer }));
  return path;
}

async function answer(rt: LlamaRuntime): Promise<string> {
  return (await rt.chat([{ role: 'user', content: 'who are you' }], { temperature: 0 })).answer;
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** How many times the worker has this file mapped (llama.cpp mmaps the weights it loaded; Linux only). */
function mappings(pid: number, path: string): number {
  return readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n').filter((l) => l.endsWith(` ${path}`)).length;
}

test('load A, switch to B, back to A, then restart: each load answers as its own model, and each worker exits', async () => {
  const a = scripted('model-a.gguf', 'Model A answers.');
  const b = scripted('model-b.gguf', 'Model B answers.');
  const pids: number[] = [];
  for (const [step, path, said] of [['A', a, 'Model A answers.'], ['switch to B', b, 'Model B answers.'], ['back to A', a, 'Model A answers.'], ['restart A', a, 'Model A answers.']] as const) {
    const rt = testRuntime(path);
    try {
      await rt.load();
      assert.equal(rt.modelFileInfo?.path, path, step);
      assert.equal(await answer(rt), said, step);
      assert.equal(await answer(rt), said, `${step}, asked twice`);
      assert.equal(rt.processStarts, 1, step);
      pids.push(rt.pid!);
    } finally { await rt.dispose(); }
    assert.equal(alive(pids.at(-1)!), false, `${step}: the worker exited on dispose`);
    await assert.rejects(rt.load(), /disposed/, `${step}: a disposed runtime stays disposed`);
  }
  assert.equal(new Set(pids).size, 4, 'a fresh worker each time');
});

test('refused in the worker (unsupported architecture), twice; the file replaced, the same worker loads it', async () => {
  const path = join(tmp.dir, 'replaced.gguf');
  writeTinyQwen2(path, { architecture: 'nomic-bert' });
  const rt = testRuntime(path);
  try {
    for (const attempt of [1, 2]) {
      await assert.rejects(rt.load(), (e: unknown) => e instanceof ModelFileError && e.code === 'unsupported' && /architecture "nomic-bert"/.test(e.message), `attempt ${attempt}`);
      assert.equal(rt.state.state, 'idle');
      assert.equal(rt.processStarts, 1, `attempt ${attempt}: the worker stays for reuse`);
    }
    const pid = rt.pid!;
    writeScriptedModel(path, thinkThenAnswerScript({ thought: 'now valid', answer: 'Replaced and loaded.' }));
    const info = await rt.load();
    assert.equal(info.architecture, 'qwen2');
    assert.equal(rt.modelFileInfo?.architecture, 'qwen2', 'the header facts are the new file\'s');
    assert.equal(await answer(rt), 'Replaced and loaded.');
    assert.equal(rt.pid, pid, 'the same worker');
    assert.equal(rt.processStarts, 1);
  } finally { await rt.dispose(); }
});

test('not enough memory, twice; once memory is free, the same worker loads the model', async () => {
  const path = scripted('memory.gguf', 'Loaded after memory freed.');
  let free = 1024 * 1024;
  const rt = testRuntime(path, { freeMemoryBytes: () => free, contextSize: 8192 });
  try {
    for (const attempt of [1, 2]) {
      await assert.rejects(rt.load(), (e: unknown) => e instanceof ModelMemoryError && /only 1 MiB of RAM/.test(e.message), `attempt ${attempt}`);
      assert.equal(rt.processStarts, 1);
    }
    free = 8 * 1024 ** 3;
    const info = await rt.load();
    assert.equal(info.contextSize, 8192);
    assert.equal(await answer(rt), 'Loaded after memory freed.');
    assert.equal(rt.processStarts, 1);
  } finally { await rt.dispose(); }
});

/** A draft model whose header passes every check but which llama.cpp refuses: a layer's tensor is missing. */
function unloadableDraft(path: string): void {
  const vocab = buildVocab();
  const fill = randomFill(5);
  const tensors = qwen2TensorShapes(TINY_SHAPE, vocab.tokens.length).filter((t) => t.name !== 'blk.1.ffn_down.weight')
    .map(({ name, dims }) => ({ name, dims, type: GgmlType.F32, data: fill(name, dims) }));
  writeGguf(path, { metadata: qwen2Metadata(TINY_SHAPE, vocab), tensors });
}

test('a draft model llama.cpp cannot load, twice: the error names it and the main model is unloaded; fixed, the retry loads one copy', { skip: process.platform !== 'linux' && 'reads /proc/<pid>/maps' }, async () => {
  const script = thinkThenAnswerScript({ thought: 'with a draft', answer: 'Drafted answer.' });
  const target = join(tmp.dir, 'target.gguf');
  writeScriptedModel(target, script);
  const draft = join(tmp.dir, 'draft.gguf');
  unloadableDraft(draft);
  const rt = testRuntime(target, { draftModel: draft });
  try {
    for (const attempt of [1, 2]) {
      await assert.rejects(rt.load(), new RegExp(`llama\\.cpp could not load the draft model ${draft.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*reason is in the model log`), `attempt ${attempt}`);
      // Before: the main model stayed loaded in the worker, and each retry mapped another copy of it.
      assert.equal(mappings(rt.pid!, target), 0, `attempt ${attempt}: no copy of the main model is left in the worker`);
      assert.equal(rt.processStarts, 1);
    }
    writeScriptedModel(draft, script); // the same vocabulary as the target, as a draft needs
    await rt.load();
    assert.equal(mappings(rt.pid!, target), 1, 'one copy of the main model');
    assert.equal(await answer(rt), 'Drafted answer.');
    assert.equal(rt.processStarts, 1);
  } finally { await rt.dispose(); }
});

test('disposed while loading (a switch mid-load), twice at each moment: the load says so, the state stays disposed, the worker is gone', async () => {
  const path = scripted('switch-mid-load.gguf', 'Never asked.');
  for (const moment of ['at once', 'at once', 'mid-load', 'mid-load'] as const) {
    let planStated!: () => void;
    const stated = new Promise<void>((resolve) => { planStated = resolve; });
    const states: string[] = [];
    // The worker states its memory plan between reading the header and loading the weights.
    const rt = testRuntime(path, { onLog: (l) => { if (/needs about/.test(l)) planStated(); }, onStateChange: (s) => states.push(s.state) });
    const loading = rt.load();
    const pid = rt.pid!;
    if (moment === 'mid-load') await stated;
    await rt.dispose();
    // Before: "the model process exited with code 0 during load; the next request restarts it", and the state
    // went back to idle after disposed; mid-load the worker finished loading before it saw the dispose.
    await assert.rejects(loading, (e: unknown) => /^the model runtime was disposed during load$/.test((e as Error).message), moment);
    assert.equal(rt.state.state, 'disposed', moment);
    assert.equal(states.at(-1), 'disposed', `${moment}: ${states.join(' → ')}`);
    assert.equal(alive(pid), false, `${moment}: the worker is gone`);
    assert.equal(rt.processStarts, 1);
  }
});

test('disposed while downloading, twice: the download is cancelled and no worker starts; the next runtime resumes and loads', async () => {
  const server = await startDownloadServer();
  const served = join(tmp.dir, 'served.gguf');
  writeTinyQwen2(served, { nEmbd: 256, nFf: 1024, nLayer: 4 }); // over 5 MiB: more than one chunk
  server.files.set('/m/served.gguf', readFileSync(served));
  const spec = `${server.base}/m/served.gguf`;
  const modelsDir = join(tmp.dir, 'models');
  try {
    server.throttleBytesPer10ms = 16 * 1024; // ~1.6 MB/s: the dispose lands while it runs
    for (const attempt of [1, 2]) {
      const rt = testRuntime(spec, { modelsDir, allowDownload: true, onStateChange: (s) => { if (s.state === 'downloading') void rt.dispose(); } });
      // Before: the download went on, then a worker was forked for the disposed runtime and loaded the model,
      // and nothing would ever stop it.
      await assert.rejects(rt.load(), (e: unknown) => e instanceof DownloadError && e.code === 'cancelled', `attempt ${attempt}`);
      assert.equal(rt.processStarts, 0, `attempt ${attempt}: no worker for a disposed runtime`);
      assert.equal(rt.state.state, 'disposed');
      assert.equal(downloadedModelPath(resolveModelSource(spec, modelsDir).localPath), undefined, 'not finished');
    }
    server.throttleBytesPer10ms = 0;
    const rt = testRuntime(spec, { modelsDir, allowDownload: true });
    try {
      const info = await rt.load();
      assert.equal(info.architecture, 'qwen2');
      assert.equal(rt.processStarts, 1);
      assert.ok(readFileSync(downloadedModelPath(resolveModelSource(spec, modelsDir).localPath)!).equals(readFileSync(served)), 'the whole file');
    } finally { await rt.dispose(); }
  } finally { await server.close(); }
});
