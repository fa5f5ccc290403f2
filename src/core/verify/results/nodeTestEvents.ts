// node:test reporter events. Node 20's TAP and JUnit reporters drop the file a test came from, so two files
// with a test named "adds" would collide; our own reporter module (written next to the run) sends each
// event with its file on the result channel (channel.ts), which feeds them to this collector. Stdout is
// never read for them.
import { relative } from 'node:path';
import { trimOutput, type TestCaseResult } from '../types';
import { RESULT_WRITER_SYMBOL, type ResultCollector } from './types';

export const NODE_TEST_EVENT_PREFIX = '::qwq-test::';

/**
 * The reporter module's source (ESM), passed as --test-reporter=<file>. It writes each event on the result
 * channel (channel.ts) through the writer the runner hook hands over once; it prints nothing itself.
 */
export const NODE_TEST_REPORTER_SOURCE = `// qwq-coder node:test reporter: one channel record per test event.
const take = globalThis[Symbol.for(${JSON.stringify(RESULT_WRITER_SYMBOL)})];
const send = typeof take === 'function' ? take() : undefined;
export default async function* reporter(source) {
  let records = 0;
  for await (const e of source) {
    if (!send || (e.type !== 'test:start' && e.type !== 'test:pass' && e.type !== 'test:fail')) continue;
    const d = e.data ?? {};
    const err = d.details?.error;
    let message;
    if (err) {
      const cause = err.cause ?? err;
      message = String(cause?.stack ?? cause?.message ?? cause).slice(0, 4000);
    }
    records++;
    send({ t: 'ev', e: { type: e.type, name: d.name, nesting: d.nesting, file: d.file, suite: d.details?.type === 'suite', skip: !!(d.skip || d.todo), ms: d.details?.duration_ms, message } });
  }
  if (send) send({ t: 'end', records });
}
`;

interface Ev { type: string; name: string; nesting: number; file?: string; suite?: boolean; skip?: boolean; ms?: number; message?: string }

export function nodeTestEventsCollector(root?: string): ResultCollector {
  const stacks = new Map<string, string[]>();
  const results = new Map<string, TestCaseResult>();
  let reported = false;
  return {
    reported: () => reported,
    line(line: string) {
      const at = line.indexOf(NODE_TEST_EVENT_PREFIX);
      if (at < 0) return;
      let e: Ev;
      try { e = JSON.parse(line.slice(at + NODE_TEST_EVENT_PREFIX.length)) as Ev; } catch { return; }
      reported = true;
      if (e.type === 'qwq:start') return;
      const file = e.file ? (root ? relative(root, e.file) : e.file) : '';
      const stack = stacks.get(file) ?? [];
      stacks.set(file, stack);
      if (e.type === 'test:start') { stack.length = e.nesting; stack[e.nesting] = e.name; return; }
      if (e.suite) return;
      const path = [...stack.slice(0, e.nesting), e.name].join(' > ');
      const id = `${file}::${path}`;
      const status = e.skip ? 'skipped' : e.type === 'test:pass' ? 'passed' : 'failed';
      results.set(id, { id, status, durationMs: e.ms !== undefined ? Math.round(e.ms) : undefined, output: status === 'failed' ? trimOutput(e.message ?? '') : undefined });
    },
    results() {
      // A parent test that has subtests reports too; keep only leaves.
      const parents = new Set<string>();
      for (const id of results.keys()) {
        for (let at = id.lastIndexOf(' > '); at > 0; at = id.lastIndexOf(' > ', at - 1)) parents.add(id.slice(0, at));
      }
      return [...results.values()].filter((r) => !parents.has(r.id));
    },
  };
}
