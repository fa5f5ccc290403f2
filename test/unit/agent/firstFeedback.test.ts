// Time to first feedback: for edit and implement tasks the baseline test run starts while the model plans
// (only a fix and generate-tests need it in the prompt), and verification waits for it instead of racing it.
// Order is checked by events, not by timers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runAgent } from '../../../src/core/agent/agent';
import type { AgentDeps } from '../../../src/core/agent/ports';
import type { AgentTask, TaskKind } from '../../../src/core/agent/task';
import { createApplyEdits, MemoryWorkspaceFiles } from '../../../src/core/agent/workspaceFiles';
import { unifiedDiff } from '../../../src/core/edits';
import { edit, noContext, PredicateTestsDouble, ScriptedRuntimeDouble } from './doubles';

const MATH = 'export function add(a, b) {\n  return a - b;\n}\n';

async function order(kind: TaskKind): Promise<string[]> {
  const log: string[] = [];
  const files = new MemoryWorkspaceFiles('/mem/ws', { 'src/math.js': MATH });
  const tests = new PredicateTestsDouble(files.files, [{ id: 'add adds', passes: (f) => f.get('src/math.js')!.includes('return a + b;') }]);
  // The baseline finishes only when the test says so: it must already be running when the model is asked.
  let finishBaseline!: () => void;
  const baselineGate = new Promise<void>((r) => { finishBaseline = r; });
  const baseline = tests.baseline.bind(tests);
  tests.baseline = async () => { log.push('baseline started'); await baselineGate; log.push('baseline done'); return baseline(); };
  tests.onVerifyStart = () => log.push('verify');
  const architect = new ScriptedRuntimeDouble([{ thought: 'plan', answer: 'change - to +', onStart: () => { log.push('model asked'); finishBaseline(); } }]);
  const editor = new ScriptedRuntimeDouble([{ answer: edit('src/math.js', '  return a - b;', '  return a + b;') }]);
  const deps: AgentDeps = { architect, editor, context: noContext, files, applyEdits: createApplyEdits(), openVerifier: tests.open, diff: unifiedDiff };
  const task: AgentTask = { id: 't', kind, instruction: 'make add add', workspace: '/mem/ws', file: 'src/math.js' };
  const r = await runAgent(task, deps, { trusted: true, tools: false, maxRounds: 1 }, () => {});
  assert.equal(r.outcome, 'verified', r.message);
  return log;
}

test('edit and implement tasks: the baseline starts before the model is asked, and verification waits for it', async () => {
  for (const kind of ['edit-selection', 'implement-function'] as const) {
    const log = await order(kind);
    assert.ok(log.includes('baseline started') && log.includes('baseline done') && log.includes('verify'), `${kind}: ${log.join(' → ')}`);
    assert.ok(log.indexOf('baseline started') < log.indexOf('model asked'), `${kind}: ${log.join(' → ')}`);
    assert.ok(log.indexOf('baseline done') < log.indexOf('verify'), `${kind}: verification after the baseline`);
  }
});

test('a fix still runs the baseline first: its failing tests are the prompt', async () => {
  // With the gate opened only by the model call, a fix would deadlock if it waited for the model first;
  // it awaits the baseline before asking, so the gate must already be open: open it up front.
  const files = new MemoryWorkspaceFiles('/mem/ws', { 'src/math.js': MATH });
  const tests = new PredicateTestsDouble(files.files, [{ id: 'add adds', passes: (f) => f.get('src/math.js')!.includes('return a + b;') }]);
  const log: string[] = [];
  const baseline = tests.baseline.bind(tests);
  tests.baseline = async () => { log.push('baseline'); return baseline(); };
  const architect = new ScriptedRuntimeDouble([(messages) => { log.push('model asked'); assert.match(messages.at(-1)!.content, /add adds/); return { thought: 'p', answer: 'fix add' }; }]);
  const editor = new ScriptedRuntimeDouble([{ answer: edit('src/math.js', '  return a - b;', '  return a + b;') }]);
  const deps: AgentDeps = { architect, editor, context: noContext, files, applyEdits: createApplyEdits(), openVerifier: tests.open, diff: unifiedDiff };
  const r = await runAgent({ id: 'f', kind: 'fix-failing-tests', instruction: '', workspace: '/mem/ws' }, deps, { trusted: true, tools: false, maxRounds: 1 }, () => {});
  assert.equal(r.outcome, 'verified', r.message);
  assert.deepEqual(log.slice(0, 2), ['baseline', 'model asked']);
});
