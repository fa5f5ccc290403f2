// `cargo test` human output ("test a::b ... ok"); failure details come from the "---- a::b stdout ----"
// sections that follow the results.
import { trimOutput, type TestCaseResult } from '../types';
import type { ResultCollector } from './types';

export function cargoCollector(): ResultCollector {
  const results = new Map<string, TestCaseResult>();
  let section: string | undefined;
  const sections = new Map<string, string[]>();
  let binary = '';
  return {
    line(raw: string) {
      const line = raw.replace(/\r$/, '');
      const running = /^\s*Running (?:unittests )?(\S+)/.exec(line);
      if (running) { binary = running[1].replace(/\s*\(.*$/, ''); section = undefined; return; }
      const r = /^test (\S+) \.\.\. (ok|FAILED|ignored)\b/.exec(line);
      if (r) {
        const id = `${binary}::${r[1]}`;
        results.set(id, { id, status: r[2] === 'ok' ? 'passed' : r[2] === 'FAILED' ? 'failed' : 'skipped' });
        return;
      }
      const s = /^---- (\S+) stdout ----$/.exec(line);
      if (s) { section = `${binary}::${s[1]}`; sections.set(section, []); return; }
      if (/^(failures:|test result:)/.test(line)) { section = undefined; return; }
      if (section) sections.get(section)!.push(line);
    },
    results() {
      for (const [id, lines] of sections) {
        const r = results.get(id);
        if (r && r.status === 'failed') r.output = trimOutput(lines.join('\n'));
      }
      return [...results.values()];
    },
  };
}

export function parseCargoTest(text: string): TestCaseResult[] {
  const c = cargoCollector();
  for (const l of text.split('\n')) c.line(l);
  return c.results();
}
