// The result channel (docs/architecture.md §5, "Where results come from"): per-test results reach the
// verifier only through two inherited descriptors, never through a path inside the sandbox or a text on
// stdout. fd 4 hands out one-time keys (the parent writes them and closes its end); a reporter of ours,
// loaded through the runner hook or a pytest plugin, takes one key before any test code of its process runs
// and then writes every record on fd 3 as `<key> <seq> <json>`. The parent accepts a line only with a key it
// issued and the next sequence number of that key; anything else on fd 3 makes the run's results untrusted.
// Each reporter opens with a `start` record and closes with an `end` record that counts what it sent: a
// session without its end, counts that disagree, or failing tests under exit code 0 make the run
// inconclusive rather than let a test that killed its runner, or a forger, decide the verdict.
import { randomBytes } from 'node:crypto';
import { isAbsolute, relative } from 'node:path';
import type { TestCaseResult } from '../types';
import { trimOutput } from '../types';
import { parseJestJson } from './jestJson';
import { NODE_TEST_EVENT_PREFIX, nodeTestEventsCollector } from './nodeTestEvents';

/** Set for the run: tells our hook and plugin that fds 3 (records) and 4 (keys) are the channel. */
export const CHANNEL_ENV = 'QWQ_RESULT_CHANNEL';
export const CHANNEL_ENV_VALUE = '3,4';
/** Keys per run: one per reporter process (a script may start its runner more than once). */
export const CHANNEL_KEYS = 16;
/** Length of a key in hex characters; on fd 4 each key is followed by '\n'. */
export const CHANNEL_KEY_CHARS = 32;

/** The records a reporter sends (after `<key> <seq> `). */
export type ChannelRecord =
  | { t: 'start'; runner: string }
  /** One test: `id` as is (pytest node ids), or `file` (absolute or relative) + `suite` + `name`. */
  | { t: 'case'; id?: string; file?: string; suite?: string; name?: string; status: TestCaseResult['status']; ms?: number; output?: string }
  /** One jest/vitest test file in jest's --json shape (testResults[i]). */
  | { t: 'file'; file: unknown }
  /** One node:test reporter event (see nodeTestEvents.ts). */
  | { t: 'ev'; e: unknown }
  /** The reporter reached the end: how many case/file/ev records it sent, and the runner's own exit status when it knows it. */
  | { t: 'end'; records: number; exit?: number };

export interface ChannelOutcome {
  tests: TestCaseResult[];
  /** Reporter sessions that started (one per reporter process). */
  sessions: number;
  /** Why the results cannot be trusted, in words; absent when every session ended and agrees with the exit code. */
  problem?: string;
}

export interface ResultChannel {
  /** What the parent writes on fd 4: the keys, one per line. */
  readonly keyText: string;
  /** Every line read from fd 3. */
  line(line: string): void;
  /** The results, checked against the run's exit code. `expected`: whether this runner has a reporter of ours. */
  finish(exitCode: number | null, expected: boolean): ChannelOutcome;
}

interface Session { next: number; records: number; ended?: { records: number; exit?: number } }

const STATUSES = new Set(['passed', 'failed', 'skipped']);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function resultChannel(root: string, keyCount = CHANNEL_KEYS): ResultChannel {
  const keys = Array.from({ length: keyCount }, () => randomBytes(CHANNEL_KEY_CHARS / 2).toString('hex'));
  const issued = new Set(keys);
  const sessions = new Map<string, Session>();
  const cases: TestCaseResult[] = [];
  const jestFiles: unknown[] = [];
  const nodeTest = nodeTestEventsCollector(root);
  let forged = 0;
  const rel = (f: string): string => (isAbsolute(f) ? relative(root, f) : f);

  const accept = (rec: Record<string, unknown>): boolean => {
    switch (rec.t) {
      case 'case': {
        const status = str(rec.status);
        if (!status || !STATUSES.has(status)) return false;
        const id = str(rec.id) ?? [str(rec.file) ? rel(str(rec.file)!) : '', str(rec.suite) ?? '', str(rec.name) ?? '?'].filter(Boolean).join('::');
        const output = str(rec.output);
        cases.push({ id, status: status as TestCaseResult['status'], durationMs: typeof rec.ms === 'number' ? Math.round(rec.ms) : undefined, output: status === 'failed' ? trimOutput(output ?? '') : undefined });
        return true;
      }
      case 'file': jestFiles.push(rec.file); return true;
      case 'ev': nodeTest.line(NODE_TEST_EVENT_PREFIX + JSON.stringify(rec.e)); return true;
      default: return false;
    }
  };

  return {
    keyText: keys.map((k) => `${k}\n`).join(''),
    line(raw: string) {
      const l = raw.replace(/\r$/, '');
      if (!l) return;
      const m = /^([0-9a-f]{32}) (\d{1,9}) (\{.*\})$/.exec(l);
      if (!m || !issued.has(m[1])) { forged++; return; }
      let rec: Record<string, unknown>;
      try { rec = JSON.parse(m[3]) as Record<string, unknown>; } catch { forged++; return; }
      const seq = Number(m[2]);
      const s = sessions.get(m[1]);
      if (!s) {
        if (seq !== 0 || rec.t !== 'start') { forged++; return; }
        sessions.set(m[1], { next: 1, records: 0 });
        return;
      }
      if (seq !== s.next || s.ended) { forged++; return; }
      s.next++;
      if (rec.t === 'end') {
        s.ended = { records: typeof rec.records === 'number' ? rec.records : -1, exit: typeof rec.exit === 'number' ? rec.exit : undefined };
        return;
      }
      if (accept(rec)) s.records++; else forged++;
    },
    finish(exitCode, expected) {
      const tests = mergeResults([...cases, ...parseJestJson(JSON.stringify({ testResults: jestFiles }), root), ...nodeTest.results()]);
      const all = [...sessions.values()];
      const out = (problem?: string): ChannelOutcome => ({ tests, sessions: all.length, ...(problem ? { problem } : {}) });
      if (forged > 0) return out(`something other than the test reporter wrote on the verifier's result channel (${forged} line(s) rejected), so no result of this run can be trusted`);
      if (all.some((s) => !s.ended)) return out('the test run ended before its reporter finished (a test or the code under test stopped the runner)');
      if (all.some((s) => s.ended!.records !== s.records)) return out("the reporter's end-of-run count disagrees with the results it sent");
      if (exitCode === null) return out('the test run was killed by a signal');
      const failed = tests.filter((t) => t.status === 'failed').length;
      if (failed > 0 && exitCode === 0) return out(`the test command exited 0 although its reporter saw ${failed} failing test(s)`);
      const says = all.map((s) => s.ended!.exit).filter((e): e is number => e !== undefined);
      if (says.some((e) => (e === 0) !== (exitCode === 0))) return out(`the runner reported exit status ${says.join(', ')} but the test command exited ${exitCode}`);
      if (expected && all.length === 0 && exitCode === 0) return out('the test command exited 0 but the runner\'s reporter never started, so no test can be shown to have run');
      return out();
    },
  };
}

/** One result per id; where two reporters disagree, a failure wins over a pass and a pass over a skip. */
function mergeResults(all: TestCaseResult[]): TestCaseResult[] {
  const rank = { failed: 2, passed: 1, skipped: 0 } as const;
  const byId = new Map<string, TestCaseResult>();
  for (const r of all) {
    const had = byId.get(r.id);
    if (!had || rank[r.status] > rank[had.status]) byId.set(r.id, r);
  }
  return [...byId.values()];
}
