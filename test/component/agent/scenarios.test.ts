// Scenario tests: the whole loop on the REAL stack. Real node-llama-cpp (in the runtime's child process) runs
// SCRIPTED GGUF models (test/fixtures/scenarios: real weights whose output is known, and which answer
// differently once our repair prompt is in the conversation); the real context engine, edits engine and
// verifier run the fixture workspace's own tests (node:test) in a shadow copy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModelRuntime } from '../../../src/core/model';
import type { ChatMessage, ChatOptions, ModelRuntime } from '../../../src/core/model/types';
import { runAgent, type AgentResult } from '../../../src/core/agent/agent';
import type { AgentEvent } from '../../../src/core/agent/events';
import type { AgentOptions } from '../../../src/core/agent/ports';
import { createAgentDeps } from '../../../src/core/agent/qwqCore';
import { writeScenario, FIX_EDIT, scenarios } from '../../fixtures/scenarios/cartScenarios';
import { writeTinyQwen2 } from '../../fixtures/gguf';

const WS = join(__dirname, '../../fixtures/workspaces/node');
let dir: string;

/** Hash of every file of the workspace: "nothing written" is checked, not assumed. */
function snapshot(root: string): string {
  const h = createHash('sha1');
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, name.name);
      if (name.isDirectory()) walk(p);
      else h.update(p).update(readFileSync(p));
    }
  };
  walk(root);
  return h.digest('hex');
}

/** A pass-through over a real runtime that keeps the messages each call was given (to check the prompts). */
class RecordingRuntime implements ModelRuntime {
  readonly calls: Array<{ messages: ChatMessage[]; options: ChatOptions }> = [];
  constructor(private readonly inner: ModelRuntime) {}
  load(signal?: AbortSignal) { return this.inner.load(signal); }
  chat(messages: ChatMessage[], options?: ChatOptions) {
    this.calls.push({ messages: structuredClone(messages), options: options ?? {} });
    return this.inner.chat(messages, options);
  }
  complete(...a: Parameters<ModelRuntime['complete']>) { return this.inner.complete(...a); }
  infill(...a: Parameters<ModelRuntime['infill']>) { return this.inner.infill(...a); }
  countTokens(t: string) { return this.inner.countTokens(t); }
  dispose() { return this.inner.dispose(); }
}

async function runScenario(modelPath: string, options: AgentOptions = {}, cancelOn?: (e: AgentEvent) => boolean): Promise<{ result: AgentResult; events: AgentEvent[]; runtime: RecordingRuntime; shadowParent: string }> {
  const runtime = new RecordingRuntime(createModelRuntime({ model: modelPath, threads: 1, gpu: false, contextSize: 16384 }));
  const shadowParent = mkdtempSync(join(dir, 'shadow-'));
  const deps = createAgentDeps({ workspace: WS, architect: runtime, trusted: true, shadowParentDir: shadowParent, timeoutMs: 60_000 });
  const events: AgentEvent[] = [];
  const ctl = new AbortController();
  try {
    const result = await runAgent(
      { id: 'scn', kind: 'fix-failing-tests', instruction: 'fix the failing test', workspace: WS },
      deps, { trusted: true, thoughtBudget: 256, planMaxTokens: 256, editMaxTokens: 512, ...options },
      (e) => { events.push(e); if (cancelOn?.(e)) ctl.abort(new Error('cancelled by the test')); },
      ctl.signal,
    );
    return { result, events, runtime, shadowParent };
  } finally {
    deps.dispose();
    await runtime.dispose();
  }
}

const of = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) => events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
let before0: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'qwq-agent-scenarios-'));
  before0 = snapshot(WS);
});
after(() => {
  assert.equal(snapshot(WS), before0, 'no scenario wrote a file of the workspace');
  rmSync(dir, { recursive: true, force: true });
});

test('scenario 1: a failing test, the scripted model emits the fixing edit → verified', async () => {
  const { result, events, runtime, shadowParent } = await runScenario(writeScenario(dir, 'fix'));
  assert.equal(result.outcome, 'verified', result.message);
  assert.equal(result.rounds, 1);
  const [baseline] = of(events, 'baseline');
  assert.equal(baseline.runner, 'node:test');
  assert.equal(baseline.targets.length, 1);
  assert.match(baseline.targets[0], /total applies a percentage discount/);
  assert.match(result.best!.diff, /\+  return sub - \(sub \* discountPercent\) \/ 100;/);
  assert.ok(of(events, 'thought').map((e) => e.text).join('').includes('540 for a 10 percent discount'), 'the thought streamed');
  assert.equal(of(events, 'plan')[0].text, 'In src/cart.js, make total divide the discount percentage by 100.');
  // The edit call ran under the JSON-schema grammar, thinking off; the reply was the scripted JSON.
  const editCall = runtime.calls[1];
  assert.ok(editCall.options.jsonSchema);
  assert.equal(editCall.options.thoughtBudget, 0);
  assert.deepEqual(readdirSync(shadowParent), [], 'no shadow residue');
  assert.ok(of(events, 'stats').every((e) => e.stats.completionTokens > 0));
});

test('scenario 2: a breaking edit first, then the fix → the repair round is taken and verified', async () => {
  const { result, events, runtime } = await runScenario(writeScenario(dir, 'breakThenFix'));
  assert.equal(result.outcome, 'verified', result.message);
  assert.equal(result.rounds, 2);
  const verdicts = of(events, 'verdict');
  assert.equal(verdicts[0].verdict, 'regressed');
  assert.match(verdicts[0].summary, /itemCount counts quantities/);
  assert.equal(verdicts[1].verdict, 'verified');
  // Round 2's architect call: [task, plan 1 (answer only), repair prompt naming the broken test].
  const round2 = runtime.calls[2].messages;
  assert.deepEqual(round2.map((m) => m.role), ['user', 'assistant', 'user']);
  assert.equal(round2[1].content, 'In src/cart.js, make total divide the discount percentage by 100.');
  assert.ok(!round2.some((m) => m.content.includes('540 for a 10 percent')), 'thoughts are not kept in history');
  assert.match(round2[2].content, /itemCount counts quantities/);
  assert.match(of(events, 'plan')[1].text, /^Plan REVISED/);
});

test('scenario 3: an edit that cannot apply → "did you mean" goes back, and the next round applies', async () => {
  const { result, events, runtime } = await runScenario(writeScenario(dir, 'missThenFix'));
  const [failed] = of(events, 'apply-failed');
  assert.ok(failed, 'the apply failure is an event');
  assert.match(failed.message, /did you mean/i);
  assert.match(failed.message, /return sub - sub \* discountPercent;/, 'the closest real line is offered');
  assert.match(runtime.calls[2].messages[2].content, /could not be applied[\s\S]*did you mean/i, 'it went back to the architect');
  assert.match(runtime.calls[3].messages[0].content, /Your previous edit could not be applied/, 'and to the editor');
  assert.equal(result.outcome, 'verified', result.message);
  assert.equal(result.best!.round, 2);
  assert.equal(JSON.parse(FIX_EDIT).edits[0].path, result.best!.changes![0].path);
});

test('scenario 5: the planner calls list_tests with a real <tool_call>; call and result are events before the plan, and the fix is verified', async () => {
  const { result, events, runtime } = await runScenario(writeScenario(dir, 'listThenFix'));
  assert.equal(result.outcome, 'verified', result.message);
  const calls = of(events, 'tool-call');
  assert.deepEqual(calls.map((c) => [c.name, c.args]), [['list_tests', {}]], 'one call, parsed by node-llama-cpp from the model\'s tokens');
  const results = of(events, 'tool-result');
  assert.equal(results.length, 1);
  assert.equal(results[0].callId, calls[0].callId);
  assert.equal(results[0].ok, true);
  // The handler ran for real: the session's baseline, failing test included.
  assert.match(results[0].summary, /FAIL {2}test\/cart\.test\.js::total applies a percentage discount/);
  // Order: the call, its result, then the plan, which the model could only write after the result (the
  // plan branch is taken only when the result's FAIL is in its context).
  const [plan] = of(events, 'plan');
  assert.ok(events.indexOf(calls[0]) < events.indexOf(results[0]) && events.indexOf(results[0]) < events.indexOf(plan));
  assert.equal(plan.text, 'In src/cart.js, make total divide the discount percentage by 100.');
  assert.match(of(events, 'thought').map((e) => e.text).join(''), /List the tests first/);
  assert.ok(runtime.calls[0].options.tools?.list_tests, 'the planning call offered the tools');
  assert.equal(of(events, 'warning').filter((w) => /tool call/.test(w.message)).length, 0, 'no rejected tool call');
  // The tool's answer stays inside the planning call: the editor's prompt holds the plan, not the list.
  assert.ok(!runtime.calls[1].messages.some((m) => m.content.includes('FAIL  test/')));
});

test('scenario 4: the random tiny model end to end → no verified edit, within budget, nothing written', async () => {
  const model = join(dir, 'tiny-qwen2.gguf');
  writeTinyQwen2(model);
  const budget = { tokenBudget: 20_000, timeBudgetMs: 120_000 };
  const { result, events, shadowParent } = await runScenario(model, { ...budget, maxRounds: 2, thoughtBudget: 48, planMaxTokens: 48, editMaxTokens: 96 });
  assert.notEqual(result.outcome, 'verified');
  assert.match(result.message, /no verified edit/);
  assert.ok(result.elapsedMs < budget.timeBudgetMs);
  const lastBudget = of(events, 'budget').at(-1)!;
  assert.ok(lastBudget.tokensUsed > 0, 'the model really ran');
  assert.ok(result.tokensUsed <= budget.tokenBudget, `tokens ${result.tokensUsed} within ${budget.tokenBudget}`);
  assert.deepEqual(readdirSync(shadowParent), []);
  assert.equal(of(events, 'task-finished').length, 1);
  assert.ok(existsSync(WS));
  void scenarios;
});

test('cancelling on the real stack, while tests run or while the model writes: no shadow residue, nothing written', async () => {
  const model = writeScenario(dir, 'fix');
  // Mid test run (the first output of the candidate's run), and as the edit call is about to start.
  const triggers = { 'test run': (e: AgentEvent) => e.type === 'test-output', edit: (e: AgentEvent) => e.type === 'phase' && e.phase === 'edit' };
  for (const [phase, trigger] of Object.entries(triggers)) {
    const { result, events, shadowParent } = await runScenario(model, {}, trigger);
    assert.equal(result.outcome, 'cancelled', `${phase}: ${result.message}`);
    assert.deepEqual(readdirSync(shadowParent), [], `${phase}: no shadow residue`);
    assert.equal(of(events, 'verdict').filter((v) => v.verdict === 'verified').length, 0);
    assert.equal(of(events, 'task-finished')[0].outcome, 'cancelled');
  }
});
