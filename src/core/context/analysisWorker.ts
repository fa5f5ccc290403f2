// Worker thread entry: parses and analyzes files sent by AnalysisPool, so a big index build uses more
// than one core and never blocks the thread that asked for it. Bundled as out/contextWorker.js.
import { parentPort } from 'node:worker_threads';
import { analyzeText, type FileAnalysis } from './fileAnalysis';
import type { LanguageId } from './languages';
import { errorMessage } from '../util';

interface Job { id: number; lang: LanguageId; text: string; hash: string }

// Jobs come in batches (one message, several files) and go back the same way.
parentPort?.on('message', async (jobs: Job[]) => {
  const out: { id: number; result?: FileAnalysis; error?: string }[] = [];
  for (const job of jobs) {
    try {
      out.push({ id: job.id, result: await analyzeText(job.lang, job.text, job.hash) });
    } catch (e) {
      out.push({ id: job.id, error: errorMessage(e) });
    }
  }
  parentPort!.postMessage(out);
});
