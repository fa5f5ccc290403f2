// `npm run bench:model`: the model runtime against its own baselines, measured in the same run, on a
// generated ~50M-parameter F16 qwen2 model (written on demand into .bench-data/, never downloaded).
//   1. tokens/s through our worker process vs raw in-process node-llama-cpp (same GGUF, prompt, threads, greedy)
//   2. time to first token, both ways
//   3. prompt tokens re-evaluated on a 2nd request sharing 95% of its prefix (goal ≤ 10%)
//   4. time from a SIGKILL of the worker until the model is ready again (goal < 10 s)
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeBenchModel, BENCH_SHAPE } from '../test/fixtures/gguf/qwen2Model';
import { LlamaRuntime } from '../src/core/model/llamaRuntime';
import { defaultThreadCount } from '../src/core/model/threads';
import { inspectModelFile } from '../src/core/model/modelFile';

const root = join(__dirname, '..');
const dataDir = join(root, '.bench-data');
const modelPath = join(dataDir, 'bench-qwen2-50m-f16.gguf');
const threads = Number(process.env.BENCH_THREADS) || defaultThreadCount();
const maxTokens = 160;
const rounds = Number(process.env.BENCH_ROUNDS) || 5;
const prompt = 'The quick brown fox jumps over the lazy dog. '.repeat(8);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(modelPath)) {
    const t = Date.now();
    writeBenchModel(modelPath);
    console.log(`wrote ${modelPath} in ${Date.now() - t} ms`);
  }
  const info = inspectModelFile(modelPath);
  console.log(`model: ${(info.parameters / 1e6).toFixed(1)}M parameters, ${(info.fileSizeBytes / 2 ** 20).toFixed(0)} MiB F16 (${BENCH_SHAPE.nLayer} layers × ${BENCH_SHAPE.nEmbd}); threads ${threads}; ${maxTokens} tokens greedy; median of ${rounds}`);

  // Raw baseline: node-llama-cpp in this process.
  const { getLlama, LlamaCompletion } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: threads });
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const context = await model.createContext({ contextSize: 4096, threads, sequences: 1 });
  const sequence = context.getSequence();
  const raw = async (): Promise<{ tps: number; ttft: number; tokens: number }> => {
    await sequence.clearHistory(); // no cache help for either side
    const completion = new LlamaCompletion({ contextSequence: sequence });
    const start = Date.now();
    let first = 0;
    let tokens = 0;
    await completion.generateCompletion(prompt, { maxTokens, temperature: 0, repeatPenalty: false, onToken: (t) => { if (!first) first = Date.now(); tokens += t.length; } });
    const ms = Date.now() - start;
    completion.dispose({ disposeSequence: false });
    return { tps: tokens / (ms / 1000), ttft: first - start, tokens };
  };

  // Ours: the worker process, measured from the caller (IPC included).
  const rt = new LlamaRuntime({ model: modelPath, threads, gpu: false, contextSize: 4096 });
  await rt.load();
  const ours = async (): Promise<{ tps: number; ttft: number; tokens: number }> => {
    // A different first token defeats the KV cache, as clearHistory does on the raw side.
    await rt.complete('#', { maxTokens: 1, temperature: 0 });
    const start = Date.now();
    let first = 0;
    const r = await rt.complete(prompt, { maxTokens, temperature: 0, onText: () => { if (!first) first = Date.now(); } });
    const ms = Date.now() - start;
    return { tps: r.stats.completionTokens / (ms / 1000), ttft: first - start, tokens: r.stats.completionTokens };
  };

  await raw(); await ours(); // warm up both
  const rawRuns: Array<Awaited<ReturnType<typeof raw>>> = [];
  const ourRuns: Array<Awaited<ReturnType<typeof ours>>> = [];
  for (let i = 0; i < rounds; i++) { rawRuns.push(await raw()); ourRuns.push(await ours()); }
  const rawTps = median(rawRuns.map((r) => r.tps));
  const ourTps = median(ourRuns.map((r) => r.tps));
  const rawTtft = median(rawRuns.map((r) => r.ttft));
  const ourTtft = median(ourRuns.map((r) => r.ttft));
  await context.dispose(); await model.dispose(); await llama.dispose();

  // Prefix reuse: the second prompt shares its first 95%.
  const words = Array.from({ length: 600 }, (_, i) => `w${(i * 7919) % 1000}`).join(' ');
  const base = words.slice(0, Math.floor(words.length * 0.95));
  await rt.complete(`${base} first ending of the prompt here`, { maxTokens: 1, temperature: 0 });
  const second = await rt.complete(`${base} second, different ending of it`, { maxTokens: 1, temperature: 0 });
  const reevaluated = second.stats.evaluatedTokens / second.stats.promptTokens;

  // Crash → ready.
  const pid = rt.pid!;
  const killedAt = Date.now();
  process.kill(pid, 'SIGKILL');
  while (rt.state.state !== 'crashed') await new Promise((r) => setTimeout(r, 5));
  await rt.load();
  const recoverMs = Date.now() - killedAt;
  await rt.dispose();

  const ratio = ourTps / rawTps;
  const rows: Array<[string, string, string, string]> = [
    ['tokens/s (ours vs raw in-process)', `${ourTps.toFixed(1)} vs ${rawTps.toFixed(1)}`, `${ratio.toFixed(3)}×`, ratio >= 0.95 ? 'ok (≥ 0.95×)' : 'MISSED (≥ 0.95×)'],
    ['time to first token (ours vs raw)', `${ourTtft} ms vs ${rawTtft} ms`, `${(ourTtft / Math.max(rawTtft, 1)).toFixed(2)}×`, 'reported'],
    ['prompt re-evaluated, 95% shared prefix', `${second.stats.evaluatedTokens} of ${second.stats.promptTokens} tokens`, `${(reevaluated * 100).toFixed(1)}%`, reevaluated <= 0.10 ? 'ok (≤ 10%)' : 'MISSED (≤ 10%)'],
    ['SIGKILL → ready again', `${recoverMs} ms`, '', recoverMs < 10_000 ? 'ok (< 10 s)' : 'MISSED (< 10 s)'],
  ];
  console.log(`tokens per run: ours ${ourRuns.map((r) => r.tokens).join('/')}, raw ${rawRuns.map((r) => r.tokens).join('/')}`);
  console.log('\n| measure | value | ratio | goal |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  if (rows.some((r) => r[3].startsWith('MISSED'))) process.exitCode = 1;
}

void main().catch((e) => { console.error(e); process.exit(1); });
