// TAP (tape, ava --tap, node:test's tap reporter, any script that prints TAP), read with tap-parser.
// - A test is named by the test, not by the assertion: tape and ava print a "# test name" comment and then
//   that test's assertions ("ok 3 should be equal"), so the assertions after a comment form one test, failed
//   when any of them failed.
// - Without such comments (node:test), each result line is a test; nested subtests are named by their
//   parents' path and only leaves count.
// - A run that bails out, or reports fewer results than its plan, gets one failing "(TAP)" entry: missing
//   tests are never a clean pass.
// tap-parser (with its YAML reader) loads when a TAP collector is made, not with the verifier (lazyCollector.ts).
import type { Parser, Result } from 'tap-parser';
import { loadOnce } from '../../util';
import { trimOutput, type TestCaseResult } from '../types';
import { lazyCollector } from './lazyCollector';
import type { ResultCollector } from './types';

/** tape's and node's closing summary comments ("# tests 3", "# pass 3", "# ok"): not test names. */
const SUMMARY_COMMENT = /^#\s*(tests|pass|fail|skip|todo|ok|cancelled|duration_ms|suites|test count\b|Subtest:)/i;

interface Group { name: string; failures: string[]; asserts: number; skipped: number }

function diagText(a: Result): string {
  const lines = [`${a.ok ? 'ok' : 'not ok'} ${a.id ?? ''} ${a.name ?? ''}`.trim()];
  if (a.diag && typeof a.diag === 'object') {
    for (const [k, v] of Object.entries(a.diag as Record<string, unknown>)) lines.push(`  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return lines.join('\n');
}

export const TAP_INCOMPLETE_ID = '(TAP) incomplete run';

/** tap-parser's Parser, loaded once; a failed load is not kept. */
const tapParser = loadOnce((): Promise<typeof Parser> => import('tap-parser').then((m) => m.Parser));

/** Reads TAP; tap-parser loads from now on: await `ready()` before `results()`. */
export function tapCollector(): ResultCollector & { ready(): Promise<void> } {
  return lazyCollector('TAP parser (tap-parser)', async () => tapCollectorWith(await tapParser()));
}

/** The collector over a loaded tap-parser. */
function tapCollectorWith(TapParser: typeof Parser): ResultCollector {
  const parser = new TapParser();
  const leaves = new Map<string, TestCaseResult>();
  const seen = new Map<string, number>();
  const unique = (name: string): string => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} (${n})`;
  };
  let group: Group | undefined;
  let asserts = 0;
  let bailout: string | undefined;
  let complete: { count: number; plan: { end: number; skipAll: boolean } | undefined } | undefined;
  let ended = false;

  const closeGroup = (): void => {
    if (!group || group.asserts === 0) { group = undefined; return; }
    const id = unique(group.name);
    const status = group.failures.length ? 'failed' : group.skipped === group.asserts ? 'skipped' : 'passed';
    leaves.set(id, { id, status, output: status === 'failed' ? trimOutput(group.failures.join('\n')) : undefined });
    group = undefined;
  };

  /** Results of one parser level; `path` names the enclosing subtests (node:test). */
  const attach = (p: Parser, path: string[]): void => {
    let lastChild: { name: string; leafFailed: boolean; leaves: number } | undefined;
    p.on('comment', (c: string) => {
      if (path.length > 0) return;
      const name = c.replace(/^#\s?/, '').trim();
      if (!name || SUMMARY_COMMENT.test(c.trim())) return;
      closeGroup();
      group = { name, failures: [], asserts: 0, skipped: 0 };
    });
    p.on('child', (child: Parser) => {
      const entry = { name: child.name ?? '', leafFailed: false, leaves: 0 };
      lastChild = entry;
      const before = leaves.size;
      const failedBefore = [...leaves.values()].filter((l) => l.status === 'failed').length;
      child.on('complete', () => {
        entry.leaves = leaves.size - before;
        entry.leafFailed = [...leaves.values()].filter((l) => l.status === 'failed').length > failedBefore;
      });
      attach(child, [...path, child.name ?? '']);
    });
    p.on('assert', (a: Result) => {
      asserts++;
      const skipped = Boolean(a.skip) || Boolean(a.todo);
      const failed = !a.ok && !a.todo;
      const name = (a.name ?? '').trim() || `#${a.id}`;
      // A subtest's own result line follows its children: it counts only if it failed with no failing child.
      if (lastChild && lastChild.name.trim() === name) {
        const child = lastChild;
        lastChild = undefined;
        if (child.leaves > 0 && (!failed || child.leafFailed)) return;
      }
      if (group && path.length === 0) {
        group.asserts++;
        if (skipped) group.skipped++;
        if (failed) group.failures.push(diagText(a));
        return;
      }
      const id = unique([...path, name].join(' > '));
      leaves.set(id, { id, status: failed ? 'failed' : skipped ? 'skipped' : 'passed', output: failed ? trimOutput(diagText(a)) : undefined });
    });
  };
  attach(parser, []);
  parser.on('bailout', (reason: string) => { bailout = reason || 'no reason given'; });
  parser.on('complete', (r: { count: number; plan?: { end: number; skipAll: boolean } }) => {
    complete = { count: r.count, plan: r.plan && Number.isFinite(r.plan.end) && r.plan.end >= 0 ? r.plan : undefined };
  });

  return {
    line(l: string) {
      if (!ended) parser.write(`${l.replace(/\r$/, '')}\n`);
    },
    results() {
      if (!ended) { ended = true; parser.end(); closeGroup(); }
      const out = [...leaves.values()];
      if (asserts === 0 && !bailout) return out;
      let why: string | undefined;
      if (bailout) why = `Bail out! ${bailout}`;
      else if (!complete?.plan) why = `the TAP stream ended without a plan after ${asserts} result(s): the run stopped early`;
      else if (!complete.plan.skipAll && complete.count < complete.plan.end) why = `the plan announced ${complete.plan.end} result(s), only ${complete.count} reported: the missing ones count as failed`;
      if (why) out.push({ id: TAP_INCOMPLETE_ID, status: 'failed', output: why });
      return out;
    },
  };
}

export async function parseTap(text: string): Promise<TestCaseResult[]> {
  const c = tapCollectorWith(await tapParser());
  for (const l of text.split('\n')) c.line(l);
  return c.results();
}
