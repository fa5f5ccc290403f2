// Measurement script (not a benchmark of its own): the extension host's cost of a first model load, one load
// per process. Prints ms from load() to ready, the host's share before the fork, and its RSS after, as JSON.
// Bundle it like the extension (CJS, node-llama-cpp external) next to a built llamaWorker.js, then run it:
//   npx esbuild bench/hostModelLoad.measure.ts --bundle --platform=node --format=cjs --external:node-llama-cpp --outfile=out/m/measure.js
//   cp out/llamaWorker.js out/m/ && node out/m/measure.js test/fixtures/generated/tiny-qwen2.gguf
import { LlamaRuntime } from '../src/core/model/llamaRuntime';

async function main(): Promise<void> {
  const model = process.argv[2];
  if (!model) throw new Error('usage: measure.js <model.gguf>');
  const rt = new LlamaRuntime({ model, gpu: false, threads: 1, onLog: (l) => { if (process.env.MLOG) console.error(l); } });
  const t0 = performance.now();
  const info = await rt.load();
  const ms = performance.now() - t0;
  const rss = process.memoryUsage().rss;
  console.log(JSON.stringify({ ms: Math.round(ms), preForkMs: Math.round(ms - (info.loadTimings?.totalMs ?? 0)), rssMiB: +(rss / 2 ** 20).toFixed(1) }));
  await rt.dispose();
}
main().catch((e: unknown) => { console.error(e); process.exit(1); });
