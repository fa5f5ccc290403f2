// `go test -json` events (test2json): one JSON object per line. A package that fails without any test event
// (a build error) becomes one failing "[build]" entry, so a broken build is a regression, not "no tests".
import { trimOutput, type TestCaseResult } from '../types';
import type { ResultCollector } from './types';

interface GoEvent { Action?: string; Package?: string; Test?: string; Elapsed?: number; Output?: string }

export function goTestJsonCollector(): ResultCollector {
  const results = new Map<string, TestCaseResult>();
  const output = new Map<string, string[]>();
  const pkgHasTests = new Set<string>();
  const pkgFailed = new Map<string, string>();
  const nonJson: string[] = [];
  return {
    line(line: string) {
      const t = line.trim();
      if (!t.startsWith('{')) { if (t) nonJson.push(t); return; }
      let e: GoEvent;
      try { e = JSON.parse(t) as GoEvent; } catch { return; }
      const pkg = e.Package ?? '';
      const key = e.Test ? `${pkg}::${e.Test}` : `${pkg}::[build]`;
      if (e.Action === 'output' && e.Output) {
        const arr = output.get(key) ?? [];
        if (arr.length < 400) arr.push(e.Output);
        output.set(key, arr);
        return;
      }
      if (e.Action !== 'pass' && e.Action !== 'fail' && e.Action !== 'skip') return;
      if (e.Test) {
        pkgHasTests.add(pkg);
        const status = e.Action === 'pass' ? 'passed' : e.Action === 'fail' ? 'failed' : 'skipped';
        results.set(key, { id: key, status, durationMs: e.Elapsed !== undefined ? Math.round(e.Elapsed * 1000) : undefined, output: status === 'failed' ? trimOutput((output.get(key) ?? []).join('')) : undefined });
      } else if (e.Action === 'fail') {
        pkgFailed.set(pkg, (output.get(key) ?? []).join(''));
      }
    },
    results() {
      const out = [...results.values()];
      for (const [pkg, text] of pkgFailed) {
        if (!pkgHasTests.has(pkg)) out.push({ id: `${pkg}::[build]`, status: 'failed', output: trimOutput(`${text}\n${nonJson.join('\n')}`) });
      }
      return out;
    },
  };
}

export function parseGoTestJson(text: string): TestCaseResult[] {
  const c = goTestJsonCollector();
  for (const l of text.split('\n')) c.line(l);
  return c.results();
}
