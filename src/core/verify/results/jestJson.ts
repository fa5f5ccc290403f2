// jest --json and vitest --reporter=json (the same shape): testResults[].assertionResults[].
import { relative } from 'node:path';
import { trimOutput, type TestCaseResult } from '../types';

interface JestJson {
  testResults?: Array<{ name?: string; status?: string; message?: string; assertionResults?: Array<{ fullName?: string; title?: string; ancestorTitles?: string[]; status?: string; duration?: number | null; failureMessages?: string[] }> }>;
}

export function parseJestJson(text: string, root?: string): TestCaseResult[] {
  let data: JestJson;
  try { data = JSON.parse(text) as JestJson; } catch { return []; }
  const out: TestCaseResult[] = [];
  for (const file of data.testResults ?? []) {
    const name = file.name && root ? relative(root, file.name) : (file.name ?? '');
    const asserts = file.assertionResults ?? [];
    if (asserts.length === 0 && file.status === 'failed') {
      // The file failed to load: one failing entry, so a broken import is not silently "no tests".
      out.push({ id: `${name}::(file)`, status: 'failed', output: trimOutput(file.message ?? '') });
      continue;
    }
    for (const t of asserts) {
      const full = t.fullName ?? [...(t.ancestorTitles ?? []), t.title ?? '?'].join(' ');
      const status = t.status === 'passed' ? 'passed' : t.status === 'failed' ? 'failed' : 'skipped';
      out.push({ id: `${name}::${full}`, status, durationMs: t.duration ?? undefined, output: status === 'failed' ? trimOutput((t.failureMessages ?? []).join('\n')) : undefined });
    }
  }
  return out;
}
