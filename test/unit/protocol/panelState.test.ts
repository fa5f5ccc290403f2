import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentEvent } from '../../../src/core/agent/events';
import {
  appendCapped, canAccept, emptyPanelState, findCandidate, MAX_TASKS, MAX_TEST_OUTPUT_CHARS, reduceAll, reducePanel, type PanelEvent,
} from '../../../src/protocol/panelState';

const start = (taskId = 't1'): AgentEvent => ({ type: 'task-started', taskId, kind: 'edit-selection', instruction: 'rename x', files: ['a.ts'] });
const cand = (id: string, extra: object = {}): AgentEvent => ({ type: 'candidate', taskId: 't1', candidate: { id, round: 1, diff: '--- a/a.ts\n+++ b/a.ts\n', files: ['a.ts'], ...extra } });

test('thoughts stream into the current round, a new round opens a new entry', () => {
  const s = reduceAll(emptyPanelState(), [
    start(),
    { type: 'phase', taskId: 't1', phase: 'plan', round: 0 },
    { type: 'thought', taskId: 't1', text: 'Let me ' },
    { type: 'thought', taskId: 't1', text: 'think.' },
    { type: 'phase', taskId: 't1', phase: 'repair', round: 1 },
    { type: 'thought', taskId: 't1', text: 'Again.' },
  ]);
  assert.deepEqual(s.tasks[0].thoughts, ['Let me think.', 'Again.']);
  assert.equal(s.tasks[0].phase, 'repair');
  assert.equal(s.tasks[0].round, 1);
});

test('the reducer is pure: the previous state is not mutated', () => {
  const s1 = reduceAll(emptyPanelState(), [start(), cand('c1')]);
  const frozen = JSON.stringify(s1);
  const s2 = reducePanel(s1, { type: 'verdict', taskId: 't1', candidateId: 'c1', verdict: 'verified', summary: '3 passed' });
  assert.equal(JSON.stringify(s1), frozen);
  assert.notEqual(s1, s2);
  assert.equal(findCandidate(s2, 't1', 'c1')?.verdict, 'verified');
  assert.equal(findCandidate(s1, 't1', 'c1')?.verdict, undefined);
});

test('events for an unknown task leave the state untouched', () => {
  const s = reduceAll(emptyPanelState(), [start()]);
  assert.equal(reducePanel(s, { type: 'thought', taskId: 'nope', text: 'x' }), s);
});

test('only a verified, unresolved candidate can be accepted', () => {
  assert.equal(canAccept({ verdict: 'verified', resolution: undefined }), true);
  for (const verdict of ['regressed', 'no-tests', 'error', 'untrusted', undefined] as const) {
    assert.equal(canAccept({ verdict, resolution: undefined }), false, String(verdict));
  }
  assert.equal(canAccept({ verdict: 'verified', resolution: 'accepted' }), false);
  assert.equal(canAccept({ verdict: 'verified', resolution: 'stale' }), false);
});

test('a regressed candidate keeps its failing output and newly failing tests', () => {
  const s = reduceAll(emptyPanelState(), [
    start(),
    cand('c1', { newlyFailing: ['math adds'], failureOutput: 'expected 3, got 4' }),
    { type: 'verdict', taskId: 't1', candidateId: 'c1', verdict: 'regressed', summary: '1 newly failing' },
  ]);
  const c = findCandidate(s, 't1', 'c1')!;
  assert.equal(c.verdict, 'regressed');
  assert.deepEqual(c.newlyFailing, ['math adds']);
  assert.equal(c.failureOutput, 'expected 3, got 4');
  assert.equal(canAccept(c), false);
});

test('test output accumulates per candidate and is capped at the tail', () => {
  const big = 'x'.repeat(MAX_TEST_OUTPUT_CHARS);
  const s = reduceAll(emptyPanelState(), [
    start(),
    { type: 'test-output', taskId: 't1', stream: 'stdout', text: 'baseline ok\n' },
    { type: 'test-output', taskId: 't1', candidateId: 'c1', stream: 'stdout', text: 'first\n' },
    { type: 'test-output', taskId: 't1', candidateId: 'c1', stream: 'stderr', text: big + 'END' },
  ]);
  const runs = s.tasks[0].testRuns;
  assert.equal(runs.length, 2);
  assert.equal(runs[0].candidateId, undefined);
  assert.equal(runs[0].output, 'baseline ok\n');
  assert.equal(runs[1].output.length, MAX_TEST_OUTPUT_CHARS);
  assert.ok(runs[1].output.endsWith('END'));
  assert.equal(runs[1].truncated, true);
});

test('appendCapped keeps short text whole', () => {
  assert.deepEqual(appendCapped('ab', 'cd', 10), { text: 'abcd', truncated: false });
  assert.deepEqual(appendCapped('ab', 'cd', 3), { text: 'bcd', truncated: true });
});

test('tool calls get their results by call id', () => {
  const s = reduceAll(emptyPanelState(), [
    start(),
    { type: 'tool-call', taskId: 't1', callId: 'k1', name: 'readFile', args: { path: 'a.ts' } },
    { type: 'tool-call', taskId: 't1', callId: 'k2', name: 'grep', args: { pattern: 'x' } },
    { type: 'tool-result', taskId: 't1', callId: 'k2', ok: false, summary: 'no match' },
  ]);
  assert.deepEqual(s.tasks[0].toolCalls.map((c) => [c.name, c.args, c.ok, c.summary]), [
    ['readFile', '{"path":"a.ts"}', undefined, undefined],
    ['grep', '{"pattern":"x"}', false, 'no match'],
  ]);
});

test('task-finished merges the best candidate and keeps the user resolution', () => {
  const s = reduceAll(emptyPanelState(), [
    start(),
    cand('c1'),
    { type: 'candidate-resolved', taskId: 't1', candidateId: 'c1', resolution: 'rejected' },
    { type: 'task-finished', taskId: 't1', outcome: 'verified', message: 'done', best: { id: 'c1', round: 1, diff: 'd', files: ['a.ts'], verdict: 'verified' } },
  ]);
  const c = findCandidate(s, 't1', 'c1')!;
  assert.equal(c.verdict, 'verified');
  assert.equal(c.resolution, 'rejected');
  assert.equal(s.tasks[0].outcome, 'verified');
  assert.equal(s.tasks[0].phase, 'done');
});

test('history keeps the newest MAX_TASKS tasks; clear-history keeps running ones', () => {
  const events: PanelEvent[] = [];
  for (let i = 0; i < MAX_TASKS + 5; i++) {
    events.push(start(`t${i}`));
    events.push({ type: 'task-finished', taskId: `t${i}`, outcome: 'no-edit', message: 'nothing' });
  }
  events.push(start('live'));
  const s = reduceAll(emptyPanelState(), events);
  assert.equal(s.tasks.length, MAX_TASKS);
  assert.equal(s.tasks.at(-1)!.taskId, 'live');
  const cleared = reducePanel(s, { type: 'clear-history' });
  assert.deepEqual(cleared.tasks.map((t) => t.taskId), ['live']);
});

test('context, plan, stats, baseline and mutation checks land on the task', () => {
  const s = reduceAll(emptyPanelState(), [
    start(),
    { type: 'context', taskId: 't1', items: [{ path: 'a.ts', startLine: 1, endLine: 9, kind: 'scope', symbol: 'f' }], tokens: 120 },
    { type: 'plan', taskId: 't1', text: '1. rename' },
    { type: 'stats', taskId: 't1', stats: { promptTokens: 100, completionTokens: 20, reusedTokens: 80, tokensPerSecond: 12.5, timeToFirstTokenMs: 300 } },
    { type: 'baseline', taskId: 't1', runner: 'node:test', passed: 3, failed: 1, failing: ['adds'], targets: ['adds'], message: '' },
    cand('c1'),
    { type: 'mutation-check', taskId: 't1', candidateId: 'c1', mutation: 'return 0', killed: true },
  ]);
  const t = s.tasks[0];
  assert.equal(t.contextTokens, 120);
  assert.equal(t.context[0].symbol, 'f');
  assert.equal(t.plan, '1. rename');
  assert.equal(t.stats?.tokensPerSecond, 12.5);
  assert.deepEqual(t.baseline?.targets, ['adds']);
  assert.deepEqual(findCandidate(s, 't1', 'c1')?.mutation, { mutation: 'return 0', killed: true });
});

test('the verdict carries the isolation the tests ran under, for the panel to show', () => {
  const s = reduceAll(emptyPanelState(), [
    start(), cand('c1'),
    { type: 'verdict', taskId: 't1', candidateId: 'c1', verdict: 'verified', summary: '3 passed', isolation: 'sandbox' },
  ]);
  assert.equal(findCandidate(s, 't1', 'c1')?.isolation, 'sandbox');
  const old = reduceAll(emptyPanelState(), [start(), cand('c2'), { type: 'verdict', taskId: 't1', candidateId: 'c2', verdict: 'verified', summary: '3 passed' }]);
  assert.equal(findCandidate(old, 't1', 'c2')?.isolation, undefined);
});
