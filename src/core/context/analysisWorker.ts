// Worker thread entry: parses and analyzes files sent by AnalysisPool, so a big index build uses more
// than one core and never blocks the thread that asked for it. Bundled as out/contextWorker.js.
import { parentPort } from 'node:worker_threads';
import { analyzeText } from './fileAnalysis';
import type { LanguageId } from './languages';

interface Job { id: number; lang: LanguageId; text: string; hash: string }

parentPort?.on('message', (job: Job) => {
  analyzeText(job.lang, job.text, job.hash).then(
    (result) => parentPort!.postMessage({ id: job.id, result }),
    (e: unknown) => parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
