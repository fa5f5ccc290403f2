// One verdict per candidate, everywhere: the verdict event, the candidate card, the task's closing message and
// the panel's state agree. Each test reproduces a contradiction a user saw, with the loop's test doubles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runAgent } from '../../../src/core/agent/agent';
import type { AgentEvent } from '../../../src/core/agent/events';
import type { AgentDeps, CandidateRun, VerifyRequest } from '../../../src/core/agent/ports';
import type { FileChange } from '../../../src/core/edits/types';
import { createApplyEdits, MemoryWorkspaceFiles } from '../../../src/core/agent/workspaceFiles';
import { unifiedDiff } from '../../../src/core/edits';
import { functionRange, touchesLines } from '../../../src/core/verify/policy/goals';
import { renderMessage } from '../../../src/core/messages';
import { canAccept, emptyPanelState, findCandidate, reduceAll } from '../../../src/protocol/panelState';
import { edit, noContext, policyRun, PredicateTestsDouble, ScriptedRuntimeDouble } from './doubles';

const of = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) => events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);

/** Every candidate's last verdict event, its last candidate event and the panel's card say the same thing. */
function assertOneVerdict(events: AgentEvent[]): void {
  const state = reduceAll(emptyPanelState(), events);
  const finished = of(events, 'task-finished')[0];
  for (const c of of(events, 'candidate')) {
    const id = c.candidate.id;
    const verdicts = of(events, 'verdict').filter((v) => v.candidateId === id);
    const lastCard = of(events, 'candidate').filter((x) => x.candidate.id === id).at(-1)!.candidate;
    const card = findCandidate(state, finished.taskId, id)!;
    if (verdicts.length) assert.equal(lastCard.verdict, verdicts.at(-1)!.verdict, `candidate ${id}: event and card`);
    assert.equal(card.verdict, lastCard.verdict, `candidate ${id}: panel card`);
    if (finished.best?.id === id) assert.equal(finished.best.verdict, card.verdict, `candidate ${id}: task summary and card`);
    assert.equal(canAccept(card), card.verdict === 'verified');
  }
  // The summary never says "NOT verified" about a verdict that reads "verified".
  assert.doesNotMatch(finished.message, /NOT verified: verified/);
}

const CART = 'export function total(items) {\n  return items.reduce((s, i) => s + i.price, 0);\n}\n\nexport function itemCount(items) {\n  return 0;\n}\n';

test('generate-tests whose tests never catch a mutation: not-fixed on the card, in the summary, in every round (was "NOT verified: verified" next to a ✓ card)', async () => {
  const files = new MemoryWorkspaceFiles('/mem/ws', { 'src/adult.js': 'export function isAdult(age) {\n  return age >= 18;\n}\n' });
  // The double's "tests" never look at the code: they pass on any mutant, so the mutation is never caught.
  const tests = new (class extends PredicateTestsDouble {
    override async verify(changes: FileChange[], request: VerifyRequest): Promise<CandidateRun> {
      this.verifies.push(changes);
      const added = changes.some((c) => c.path === 'test/adult.test.js');
      return policyRun(request, changes, [], added ? [{ id: 'adult new test', status: 'passed' }] : []);
    }
  })(files.files, []);
  const weak = edit('test/adult.test.js', '', 'expect(true).toBe(true)\n');
  const architect = new ScriptedRuntimeDouble([{ answer: 'Add test/adult.test.js.' }]);
  const editor = new ScriptedRuntimeDouble([{ answer: weak }]);
  const events: AgentEvent[] = [];
  const deps: AgentDeps = { architect, editor, context: noContext, files, applyEdits: createApplyEdits(), openVerifier: tests.open, diff: unifiedDiff };
  const r = await runAgent({ id: 'g', kind: 'generate-tests', instruction: 'write tests for isAdult', workspace: '/mem/ws', file: 'src/adult.js', symbol: 'isAdult' }, deps, { trusted: true, maxRounds: 3 }, (e) => events.push(e));
  assert.equal(r.outcome, 'unverified', r.message);
  // The same diff in three rounds: one verdict, not "verified" in one round and "regressed" in the others.
  assert.deepEqual(of(events, 'verdict').map((e) => e.verdict), ['not-fixed', 'not-fixed', 'not-fixed']);
  assert.match(of(events, 'verdict')[0].summary, /still pass when the code is mutated/);
  assert.match(r.message, /NOT verified: not-fixed/);
  assertOneVerdict(events);
});

test('the same diff twice is not run twice and keeps its first verdict', async () => {
  const MATH = 'export function add(a, b) {\n  return a - b;\n}\n\nexport function mul(a, b) {\n  return a * b;\n}\n';
  const files = new MemoryWorkspaceFiles('/mem/ws', { 'src/math.js': MATH });
  const tests = new PredicateTestsDouble(files.files, [
    { id: 'add', passes: (f) => f.get('src/math.js')!.includes('return a + b;') },
    { id: 'mul', passes: (f) => f.get('src/math.js')!.includes('return a * b;') },
  ]);
  const BREAK = edit('src/math.js', '  return a * b;', '  return a / b;');
  const events: AgentEvent[] = [];
  const deps: AgentDeps = { architect: new ScriptedRuntimeDouble([{ answer: 'plan' }]), editor: new ScriptedRuntimeDouble([{ answer: BREAK }]), context: noContext, files, applyEdits: createApplyEdits(), openVerifier: tests.open, diff: unifiedDiff };
  await runAgent({ id: 'm', kind: 'fix-failing-tests', instruction: '', workspace: '/mem/ws' }, deps, { trusted: true, maxRounds: 3 }, (e) => events.push(e));
  assert.equal(tests.verifies.length, 1, 'verified once');
  assert.deepEqual(of(events, 'verdict').map((e) => e.verdict), ['regressed', 'regressed', 'regressed']);
  assert.match(of(events, 'warning').map((w) => w.message).join('\n'), /same edit as attempt 1/);
  for (const w of of(events, 'warning')) assert.equal(renderMessage(w.said!), w.message, 'a warning carries its message id');
  assert.ok(of(events, 'warning').some((w) => w.said?.id === 'sameEditAsBefore'));
  assertOneVerdict(events);
});

function implementSetup(editAnswer: string) {
  const files = new MemoryWorkspaceFiles('/mem/ws', { 'src/cart.js': CART });
  const tests = new PredicateTestsDouble(files.files, [{ id: 'total', passes: (f) => f.get('src/cart.js')!.includes('s + i.price') }]);
  const events: AgentEvent[] = [];
  const deps: AgentDeps = { architect: new ScriptedRuntimeDouble([{ answer: 'plan' }]), editor: new ScriptedRuntimeDouble([{ answer: editAnswer }]), context: noContext, files, applyEdits: createApplyEdits(), openVerifier: tests.open, diff: unifiedDiff };
  const run = () => runAgent({ id: 'i', kind: 'implement-function', instruction: 'Implement itemCount', workspace: '/mem/ws', file: 'src/cart.js', symbol: 'itemCount' }, deps, { trusted: true, maxRounds: 1 }, (e) => events.push(e));
  return { events, run };
}

test('implement-function: an edit to another function (total, not itemCount) is not verified, even though the tests pass', async () => {
  const s = implementSetup(edit('src/cart.js', '  return items.reduce((s, i) => s + i.price, 0);', '  // sum of prices\n  return items.reduce((s, i) => s + i.price, 0);'));
  const r = await s.run();
  assert.notEqual(r.outcome, 'verified');
  assert.deepEqual(of(s.events, 'verdict').map((e) => e.verdict), ['not-fixed']);
  assert.match(of(s.events, 'verdict')[0].summary, /not the body of itemCount/);
  assertOneVerdict(s.events);
});

test('implement-function: changing the named function\'s body is verified', async () => {
  const s = implementSetup(edit('src/cart.js', 'export function itemCount(items) {\n  return 0;\n}', 'export function itemCount(items) {\n  return items.reduce((n, i) => n + i.qty, 0);\n}'));
  const r = await s.run();
  assert.equal(r.outcome, 'verified', r.message);
  assertOneVerdict(s.events);
});

test('functionRange and touchesLines find a function by name and say whether an edit reaches its body', () => {
  assert.deepEqual(functionRange(CART, 'itemCount'), { startLine: 5, endLine: 7 });
  assert.deepEqual(functionRange(CART, 'total'), { startLine: 1, endLine: 3 });
  assert.deepEqual(functionRange('def a():\n    return 1\n\ndef b():\n    pass\n', 'a'), { startLine: 1, endLine: 3 });
  assert.equal(functionRange(CART, 'nope'), undefined);
  const after = CART.replace('  return 0;', '  return items.length;');
  assert.equal(touchesLines(CART, after, 5, 7), true);
  assert.equal(touchesLines(CART, after, 1, 3), false);
  // An insertion inside the body counts; one after the closing brace does not.
  assert.equal(touchesLines(CART, CART.replace('  return 0;\n', '  // n\n  return 0;\n'), 5, 7), true);
  assert.equal(touchesLines(CART, `${CART}// end\n`, 5, 7), false);
});
