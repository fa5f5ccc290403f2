// TAP 13/14 (tap-producing runners, node:test's tap reporter). Nested subtests are indented by 4 spaces and
// announced by "# Subtest: name"; only leaves count as tests, named by their parents' path.
import type { TestCaseResult } from '../types';
import type { ResultCollector } from './types';
import { trimOutput } from './types';

const RESULT = /^(\s*)(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*?)(?:\s+#\s*(SKIP|TODO)\b.*)?$/i;
const SUBTEST = /^(\s*)# Subtest: (.*)$/;

export function tapCollector(): ResultCollector {
  const names: string[] = [];
  const entries: Array<TestCaseResult & { depth: number; leaf: boolean }> = [];
  let yaml: string[] | undefined;
  let yamlTarget: TestCaseResult | undefined;
  return {
    line(raw: string) {
      const line = raw.replace(/\r$/, '');
      if (yaml) {
        if (/^\s*\.\.\.\s*$/.test(line)) {
          if (yamlTarget && yamlTarget.status === 'failed') yamlTarget.output = trimOutput(yaml.join('\n'));
          yaml = undefined;
        } else yaml.push(line);
        return;
      }
      if (/^\s*---\s*$/.test(line) && entries.length) { yaml = []; yamlTarget = entries[entries.length - 1]; return; }
      const sub = SUBTEST.exec(line);
      if (sub) { const depth = sub[1].length >> 2; names.length = depth; names[depth] = sub[2]; return; }
      const m = RESULT.exec(line);
      if (!m) return;
      const depth = m[1].length >> 2;
      const name = m[4] || `#${m[3] ?? entries.length + 1}`;
      // Children are printed before their parent's result: a parent is the entry right after deeper ones.
      const prev = entries[entries.length - 1];
      const isParent = prev !== undefined && prev.depth > depth;
      const path = [...names.slice(0, depth), name].join(' > ');
      names.length = depth;
      const status = m[5] ? 'skipped' : m[2].toLowerCase() === 'ok' ? 'passed' : 'failed';
      entries.push({ id: path, status, depth, leaf: !isParent });
    },
    results() {
      return entries.filter((e) => e.leaf).map(({ id, status, output }) => ({ id, status, output }));
    },
  };
}

export function parseTap(text: string): TestCaseResult[] {
  const c = tapCollector();
  for (const l of text.split('\n')) c.line(l);
  return c.results();
}
