// JUnit XML (pytest --junitxml, mocha xunit, jest-junit, node:test junit). A small tolerant scanner: we
// only need testcase elements, their failure/error/skipped children and the enclosing file.
import type { TestCaseResult } from '../types';
import { trimOutput } from './types';

function decode(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

function attrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out[m[1]] = decode(m[3] ?? m[4] ?? '');
  return out;
}

export function parseJUnitXml(xml: string): TestCaseResult[] {
  const results: TestCaseResult[] = [];
  const re = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of xml.matchAll(re)) {
    const a = attrs(m[1]);
    const body = m[3] ?? '';
    const where = a.file ?? a.classname ?? '';
    const id = where ? `${where}::${a.name ?? '?'}` : (a.name ?? '?');
    const failed = /<(failure|error)\b/.test(body);
    const skipped = !failed && /<skipped\b/.test(body);
    let output: string | undefined;
    if (failed) {
      const f = /<(failure|error)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(body);
      const message = f ? attrs(f[2]).message ?? '' : '';
      output = trimOutput(`${message}\n${decode(f?.[3] ?? '')}`);
    }
    results.push({ id, status: failed ? 'failed' : skipped ? 'skipped' : 'passed', durationMs: a.time ? Math.round(Number(a.time) * 1000) : undefined, output });
  }
  return results;
}
