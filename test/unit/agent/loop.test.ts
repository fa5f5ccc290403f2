// The agent loop with test doubles (doubles.ts): a scripted in-memory runtime and predicate "tests". The real
// edits engine applies the edits. Scenario tests on the real runtime and real test runs are in scenarios.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runAgent, type AgentResult } from '../../../src/core/agent/agent';
import type { AgentEvent } from '../../../src/core/agent/events';
import type { AgentDeps, AgentOptions } from '../../../src/core/agent/ports';
import type { AgentTask, TaskKind } from '../../../src/core/agent/task';
import { createApplyEdits, MemoryWorkspaceFiles } from '../../../src/core/agent/workspaceFiles';
import { unifiedDiff } from '../../../src/core/edits';
import type { FileChange } from '../../../src/core/edits/types';
import type { TestCaseResult } from '../../../src/core/verify/types';
import { msg, renderMessage } from '../../../src/core/messages';
import type { CandidateRun, VerifyRequest } from '../../../src/core/agent/ports';
import { edit, FakeClock, noContext, policyRun, PredicateTestsDouble, ScriptedRuntimeDouble, type ScriptedReply } from './doubles';

const MATH = 'export function add(a, b) {\n  return a - b;\n}\n\nexport function mul(a, b) {\n  return a * b;\n}\n';
const FIX = edit('src/math.js', '  return a - b;', '  return a + b;');
const BREAK = edit('src/math.js', '  return a * b;', '  return a / b;');
const PLAN = { thought: 'add subtracts; it should add', answer: 'In src/math.js, change `return a - b;` to `return a + b;` in add.' };

function setup(o: { architect?: ConstructorParameters<typeof ScriptedRuntimeDouble>[0]; editor?: ScriptedReply[]; kind?: TaskKind; options?: AgentOptions; trusted?: boolean; separateEditor?: boolean; clock?: FakeClock } = {}) {
  const files = new MemoryWorkspaceFiles('/mem/ws', { 'src/math.js': MATH, 'test/math.test.js': "import { add } from '../src/math.js';\n" });
  const tests = new PredicateTestsDouble(files.files, [
    { id: 'math add adds', passes: (f) => f.get('src/math.js')!.includes('return a + b;') },
    { id: 'math mul multiplies', passes: (f) => f.get('src/math.js')!.includes('return a * b;') },
  ]);
  const architect = new ScriptedRuntimeDouble(o.architect ?? [PLAN]);
  const editor = new ScriptedRuntimeDouble(o.editor ?? [{ answer: FIX }]);
  const deps: AgentDeps = {
    architect, editor: o.separateEditor === false ? undefined : editor,
    context: noContext, files, applyEdits: createApplyEdits(), openVerifier: tests.open, diff: unifiedDiff, clock: o.clock,
  };
  const task: AgentTask = { id: 't1', kind: o.kind ?? 'fix-failing-tests', instruction: 'fix the failing test', workspace: '/mem/ws', file: 'src/math.js' };
  const events: AgentEvent[] = [];
  const run = (signal?: AbortSignal): Promise<AgentResult> => runAgent(task, deps, { trusted: o.trusted ?? true, ...o.options }, (e) => events.push(e), signal);
  return { files, tests, architect, editor, deps, task, events, run };
}

const of = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) => events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);

test('fix-failing-tests: the baseline finds the failing test, the edit fixes it, the verdict is verified', async () => {
  const s = setup();
  const r = await s.run();
  assert.equal(r.outcome, 'verified', r.message);
  assert.equal(r.rounds, 1);
  assert.match(r.best!.diff, /-  return a - b;\n\+  return a \+ b;/);
  const [baseline] = of(s.events, 'baseline');
  assert.deepEqual(baseline.targets, ['math add adds']);
  assert.deepEqual(of(s.events, 'verdict').map((e) => e.verdict), ['verified']);
  assert.equal(of(s.events, 'task-finished')[0].outcome, 'verified');
  assert.equal(s.files.files.get('src/math.js'), MATH, 'the user file is unchanged');
  assert.equal(s.tests.residue, 0, 'the shadow session was disposed');
  // The architect's prompt names the target test; the editor's call is under the grammar with thinking off.
  assert.match(s.architect.calls[0].messages[0].content, /math add adds/);
  assert.equal(s.architect.calls[0].messages.some((m) => m.role === 'system'), false, 'no system prompt');
  assert.ok(s.editor.calls[0].options.jsonSchema);
  assert.equal(s.editor.calls[0].options.thoughtBudget, 0);
  assert.equal(s.architect.calls[0].options.temperature, 0.6, 'QwQ card sampling, never greedy');
});

test('a breaking edit is repaired: the newly failing test goes back, round 2 is verified, history keeps answers only', async () => {
  const s = setup({ editor: [{ answer: BREAK }, { answer: FIX }], architect: [PLAN, { thought: 'SECRET-THOUGHT-2', answer: 'Fix add instead.' }] });
  const r = await s.run();
  assert.equal(r.outcome, 'verified', r.message);
  assert.equal(r.rounds, 2);
  assert.deepEqual(of(s.events, 'verdict').map((e) => e.verdict), ['regressed', 'verified']);
  const round2 = s.architect.calls[1].messages;
  assert.deepEqual(round2.map((m) => m.role), ['user', 'assistant', 'user']);
  assert.equal(round2[1].content, PLAN.answer, 'the assistant turn is the final answer only');
  assert.ok(!round2.some((m) => m.content.includes(PLAN.thought)), 'no thought in history');
  assert.match(round2[2].content, /math mul multiplies/, 'the newly failing test is named');
  assert.match(round2[2].content, /AssertionError/, 'trimmed test output is fed back');
  assert.match(round2[2].content, /files are unchanged/);
  assert.ok(of(s.events, 'phase').some((e) => e.phase === 'repair' && e.round === 2));
});

test('an edit that cannot apply: "did you mean" goes back to the architect and to the editor, then it applies', async () => {
  const missing = edit('src/math.js', '  return x - y;', '  return x + y;');
  const s = setup({ editor: [{ answer: missing }, { answer: FIX }] });
  const r = await s.run();
  assert.equal(r.outcome, 'verified', r.message);
  const [failed] = of(s.events, 'apply-failed');
  assert.match(failed.message, /did you mean/i);
  assert.match(s.architect.calls[1].messages[2].content, /could not be applied/);
  assert.match(s.architect.calls[1].messages[2].content, /return a - b;/, 'the closest real line is quoted');
  assert.match(s.editor.calls[1].messages[0].content, /Your previous edit could not be applied/);
});

test('an unusable editor reply (schema-invalid JSON) is fed back as such and counts as no candidate', async () => {
  const s = setup({ editor: [{ answer: '{"edits": [{"path": 3}]}' }], options: { maxRounds: 2 } });
  const r = await s.run();
  assert.equal(r.outcome, 'no-edit');
  assert.match(r.message, /no verified edit/);
  assert.match(s.architect.calls[1].messages[2].content, /unusable/);
  assert.equal(s.tests.verifies.length, 0);
});

test('every round fails: the best failing candidate is returned, clearly unverified', async () => {
  const s = setup({ editor: [{ answer: BREAK }], options: { maxRounds: 2 } });
  const r = await s.run();
  assert.equal(r.outcome, 'unverified');
  assert.match(r.message, /NOT verified/);
  assert.equal(r.verified.length, 0);
  assert.ok(r.best?.changes);
  assert.equal(of(s.events, 'task-finished')[0].best?.verdict, 'regressed');
  assert.equal(s.architect.calls.length, 2);
});

test('several candidates per round are ranked: fewest regressions, then targets passing, then smallest diff', async () => {
  const bigFix = edit('src/math.js', 'export function add(a, b) {\n  return a - b;\n}', 'export function add(a, b) {\n  // sum\n  return a + b;\n}');
  const noop = edit('src/math.js', '  return a * b;', '  return (a * b);'); // breaks the predicate for mul
  const s = setup({ editor: [{ answer: noop }, { answer: bigFix }, { answer: FIX }], options: { candidatesPerRound: 3 } });
  const r = await s.run();
  assert.equal(r.outcome, 'verified');
  assert.equal(r.verified.length, 2);
  assert.equal(r.best!.index, 3, 'the smaller of the two verified diffs wins');
  const seeds = s.editor.calls.map((c) => c.options.seed);
  assert.equal(new Set(seeds).size, 3, 'candidates differ by seed');
});

test('cancelling during a test run leaves no shadow residue and no file change', async () => {
  const s = setup();
  const ctl = new AbortController();
  s.tests.hangVerify = true;
  s.tests.onVerifyStart = () => setImmediate(() => ctl.abort(new Error('user cancelled')));
  const r = await s.run(ctl.signal);
  assert.equal(r.outcome, 'cancelled');
  assert.equal(s.tests.residue, 0);
  assert.equal(s.files.files.get('src/math.js'), MATH);
  assert.equal(of(s.events, 'task-finished')[0].outcome, 'cancelled');
});

test('cancelling while the model thinks stops the task before any edit', async () => {
  const ctl = new AbortController();
  const s = setup({ architect: [{ ...PLAN, hang: true, onStart: () => setImmediate(() => ctl.abort()) }] });
  const r = await s.run(ctl.signal);
  assert.equal(r.outcome, 'cancelled');
  assert.equal(s.editor.calls.length, 0);
  assert.equal(s.tests.residue, 0);
});

test('a task cancelled before it starts does nothing at all', async () => {
  const s = setup();
  const r = await s.run(AbortSignal.abort());
  assert.equal(r.outcome, 'cancelled');
  assert.equal(s.architect.calls.length, 0);
  assert.equal(s.tests.opened, 0);
});

test('the token budget stops the loop and caps each call', async () => {
  const s = setup({ editor: [{ answer: BREAK, tokens: 10 }], options: { tokenBudget: 400, maxRounds: 5 } });
  const r = await s.run();
  assert.equal(r.outcome, 'unverified');
  assert.match(r.message, /token budget of 400 spent/);
  assert.equal(r.stop?.kind, 'budget');
  assert.equal(renderMessage(r.said!), r.message, 'the English line is the table\'s rendering');
  assert.ok(r.tokensUsed >= 400);
  assert.ok(s.architect.calls.length < 5);
  for (const c of [...s.architect.calls, ...s.editor.calls]) assert.ok((c.options.maxTokens ?? 0) <= 400);
  assert.ok(of(s.events, 'budget').length > 0);
});

test('the time budget aborts the call in flight and ends the task', async () => {
  const clock = new FakeClock();
  const s = setup({ clock, options: { timeBudgetMs: 60_000 }, architect: [{ ...PLAN, hang: true, onStart: () => setImmediate(() => clock.advance(61_000)) }] });
  const r = await s.run();
  assert.equal(r.outcome, 'no-edit');
  assert.match(r.message, /time budget of 60 s spent/);
  // The closing message is said through the table, and the views get why it stopped as a typed field.
  assert.deepEqual(r.stop, { kind: 'budget', why: msg('timeBudgetSpent', 60), noneApplied: true });
  assert.equal(renderMessage(r.said!), r.message);
  const finished = of(s.events, 'task-finished')[0];
  assert.deepEqual([finished.said, finished.stop], [r.said, r.stop]);
  assert.equal(s.tests.residue, 0);
});

test('untrusted: tests never run, an applied edit is returned unverified, and a fix task refuses', async () => {
  const s = setup({ kind: 'edit-selection', trusted: false });
  const r = await s.run();
  assert.equal(r.outcome, 'unverified');
  assert.match(r.message, /tests did not run/);
  assert.equal(s.tests.opened, 0);
  assert.ok(!('run_tests' in (s.architect.calls[0].options.tools ?? {})), 'run_tests is not offered');
  const fix = setup({ trusted: false });
  const r2 = await fix.run();
  assert.equal(r2.outcome, 'no-edit');
  assert.equal(fix.architect.calls.length, 0);
});

test('read-only tools: calls and results are events; errors go back to the model as text', async () => {
  const s = setup({
    architect: [{
      ...PLAN,
      tools: [
        { name: 'read_file', args: { path: 'src/math.js', startLine: 2, endLine: 2 } },
        { name: 'search_text', args: { query: 'return a' } },
        { name: 'run_tests', args: { filter: 'add' } },
        { name: 'list_tests', args: {} },
        { name: 'read_file', args: { path: '../etc/passwd' } },
        { name: 'find_definition', args: { symbol: 'mul' } },
      ],
    }],
  });
  const r = await s.run();
  assert.equal(r.outcome, 'verified');
  const results = s.architect.calls[0].toolResults;
  assert.equal(results[0], '2|   return a - b;');
  assert.match(results[1], /src\/math.js:2: return a - b;/);
  assert.match(results[2], /0 passed, 1 failed/);
  assert.match(results[3], /FAIL  math add adds/);
  assert.match(results[4], /^error: path outside the workspace/);
  assert.match(results[5], /src\/math.js:5: export function mul/);
  const calls = of(s.events, 'tool-call');
  const toolResults = of(s.events, 'tool-result');
  assert.deepEqual(calls.map((c) => c.name), ['read_file', 'search_text', 'run_tests', 'list_tests', 'read_file', 'find_definition']);
  assert.deepEqual(toolResults.map((t) => t.ok), [true, true, true, true, false, true]);
  assert.equal(new Set(calls.map((c) => c.callId)).size, 6);
});

test('explain: one thinking call, no edit, no tests, the explanation is the outcome', async () => {
  const s = setup({ kind: 'explain', architect: [{ thought: 'reading', answer: 'add subtracts, which looks like a bug.' }] });
  const r = await s.run();
  assert.equal(r.outcome, 'no-edit');
  assert.equal(r.explanation, 'add subtracts, which looks like a bug.');
  assert.equal(s.editor.calls.length, 0);
  assert.equal(s.tests.opened, 0);
  assert.equal(of(s.events, 'thought')[0].text, 'reading');
});

test('without a separate editor the architect runtime writes the edit, in a fresh conversation', async () => {
  const s = setup({ separateEditor: false, architect: [PLAN, { answer: FIX }] });
  const r = await s.run();
  assert.equal(r.outcome, 'verified');
  assert.equal(s.architect.calls.length, 2);
  assert.equal(s.architect.calls[1].messages.length, 1);
  assert.ok(s.architect.calls[1].options.jsonSchema);
});

test('all tests pass already: a fix task ends with no edit and never calls the model', async () => {
  const s = setup({ architect: [PLAN] });
  s.files.files.set('src/math.js', MATH.replace('a - b', 'a + b'));
  const r = await s.run();
  assert.equal(r.outcome, 'no-edit');
  assert.match(r.message, /nothing to fix/);
  assert.deepEqual(r.stop, { kind: 'nothing-to-fix', why: msg('nothingToFix') });
  assert.equal(renderMessage(r.said!), r.message);
  assert.equal(s.architect.calls.length, 0);
});

test('generate-tests: new tests must pass on the code and catch a mutation, else a repair round asks for better ones', async () => {
  const files = new MemoryWorkspaceFiles('/mem/ws', { 'src/adult.js': 'export function isAdult(age) {\n  return age >= 18;\n}\n' });
  // The double reads each `expect(isAdult(N)).toBe(B)` line of the test file as one test and evaluates it
  // against the code's comparison operator (the real thing runs in the scenario tests).
  const evalAdult = (src: string, n: number) => (src.includes('age >= 18') ? n >= 18 : src.includes('age > 18') ? n > 18 : undefined);
  const tests = new (class extends PredicateTestsDouble {
    override async verify(changes: FileChange[], request: VerifyRequest): Promise<CandidateRun> {
      const shadow = new Map(files.files);
      for (const c of changes) shadow.set(c.path, c.after);
      const results: TestCaseResult[] = [...(shadow.get('test/adult.test.js') ?? '').matchAll(/expect\(isAdult\((\d+)\)\)\.toBe\((true|false)\)/g)]
        .map((m) => ({ id: `isAdult ${m[1]}`, status: evalAdult(shadow.get('src/adult.js')!, +m[1]) === (m[2] === 'true') ? 'passed' : 'failed' }));
      return policyRun(request, changes, [], results);
    }
  })(files.files, []);
  const weak = 'expect(isAdult(30)).toBe(true)\nexpect(isAdult(5)).toBe(false)\n'; // never probes the boundary
  const strong = `${weak}expect(isAdult(18)).toBe(true)\n`;
  const architect = new ScriptedRuntimeDouble([{ answer: 'Add test/adult.test.js.' }]);
  const editor = new ScriptedRuntimeDouble([weak, strong].map((t) => ({ answer: edit('test/adult.test.js', '', t) })));
  const events: AgentEvent[] = [];
  const deps: AgentDeps = { architect, editor, context: noContext, files, applyEdits: createApplyEdits(), openVerifier: tests.open, diff: unifiedDiff };
  const r = await runAgent({ id: 'g', kind: 'generate-tests', instruction: 'write tests for isAdult', workspace: '/mem/ws', file: 'src/adult.js', symbol: 'isAdult' }, deps, { trusted: true }, (e) => events.push(e));
  assert.equal(r.outcome, 'verified', r.message);
  assert.equal(r.rounds, 2);
  assert.deepEqual(of(events, 'mutation-check').map((e) => [e.mutation, e.killed]), [['line 2: >= → >', false], ['line 2: >= → >', true]]);
  assert.match(architect.calls[1].messages[2].content, /still pass when the code is mutated/);
  assert.equal(files.files.has('test/adult.test.js'), false, 'nothing written');
});

test('generate-tests: an edit that changes the code under test is refused', async () => {
  const s = setup({ kind: 'generate-tests', editor: [{ answer: FIX }], options: { maxRounds: 1 } });
  const r = await s.run();
  assert.notEqual(r.outcome, 'verified');
  assert.match(r.message, /changed src\/math.js, the code under test/);
});

test('a tool call the runtime rejects (it throws out of the planning call) is not the end: planning runs again without tools', async () => {
  let rejected = 0;
  const s = setup({
    architect: [(_m: unknown, o: { tools?: unknown }) => {
      // What node-llama-cpp does when sampled tool arguments fail its own schema check.
      if (o.tools) { rejected++; throw new Error('Expected type "integer" but got "number"'); }
      return PLAN;
    }],
  });
  const r = await s.run();
  assert.equal(rejected, 1);
  assert.equal(r.outcome, 'verified', r.message);
  assert.equal(s.architect.calls.length, 1, 'one completed planning call, without tools');
  assert.equal(s.architect.calls[0].options.tools, undefined);
  assert.match(of(s.events, 'warning').map((w) => w.message).join('\n'), /tool call from the model was rejected by the runtime \(Expected type "integer"/);
});

test('a planning call that fails without tools offered still fails the task (no silent retry loop)', async () => {
  const s = setup({ architect: [() => { throw new Error('the model crashed'); }], options: { tools: false } });
  const r = await s.run();
  assert.notEqual(r.outcome, 'verified');
  assert.match(r.message, /the model crashed/);
});

test('a follow-up is verified with the changes it carries: a disarmed assertion the first attempt added is never green, even when the follow-up fixes the code', async () => {
  const disarm = { path: 'src/setup.js', before: undefined, after: "require('node:assert').strictEqual = () => {};\n" };
  for (const carried of [undefined, [disarm]]) {
    const s = setup({ options: { maxRounds: 1 } });
    const r = await runAgent({ ...s.task, carried }, s.deps, { trusted: true, maxRounds: 1 }, (e) => s.events.push(e));
    if (!carried) {
      assert.equal(r.outcome, 'verified', r.message);
      continue;
    }
    assert.equal(r.outcome, 'unverified', r.message);
    const card = of(s.events, 'candidate').at(-1)!.candidate;
    assert.equal(card.verdict, 'inconclusive');
    assert.match(card.reason ?? '', /changes how tests report: src\/setup\.js:1/);
    assert.ok(card.marks?.some((m) => m.path === 'src/setup.js' && m.line === 1 && m.kind === 'audit'));
    assert.ok(s.tests.verifies.at(-1)!.some((c) => c.path === 'src/setup.js'), 'the carried file was verified with the edit');
  }
});

test('speculative decoding: the editor call\'s validated/refuted prediction counts reach its stats event', async () => {
  const s = setup({ editor: [{ answer: FIX, predictions: { validated: 40, refuted: 3 } }] });
  assert.equal((await s.run()).outcome, 'verified');
  const stats = of(s.events, 'stats');
  assert.deepEqual(stats.find((e) => e.call === 'editor')?.stats.predictions, { validated: 40, refuted: 3 });
  assert.equal(stats.find((e) => e.call === 'architect')?.stats.predictions, undefined, 'none reported: none claimed');
});
