// The agent's pure parts: task inference and validation, the edit schema's reader, prompts, mutations,
// candidate ranking and the budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferTaskKind, validateTask, TaskError, type AgentTask } from '../../../src/core/agent/task';
import { EDIT_SCHEMA, parseEditReply, normalizeEditPath } from '../../../src/core/agent/editSchema';
import { editPrompt, planPrompt, repairPrompt, trimOutput, viewFile } from '../../../src/core/agent/prompts';
import { mutations } from '../../../src/core/agent/mutate';
import { bestCandidate, changedLines, type Candidate } from '../../../src/core/agent/candidates';
import { Budget, BudgetExceeded } from '../../../src/core/agent/budget';
import { resolveOptions } from '../../../src/core/agent/agent';
import { FakeClock } from './doubles';

const task = (over: Partial<AgentTask> = {}): AgentTask => ({ id: 't', kind: 'edit-selection', instruction: 'rename x', workspace: '/w', ...over });

test('inferTaskKind reads the obvious intent from the sentence', () => {
  assert.equal(inferTaskKind('Fix the failing tests'), 'fix-failing-tests');
  assert.equal(inferTaskKind('make the tests pass'), 'fix-failing-tests');
  assert.equal(inferTaskKind('write unit tests for parseDate'), 'generate-tests');
  assert.equal(inferTaskKind('Implement the TODO in slugify'), 'implement-function');
  assert.equal(inferTaskKind('explain this function'), 'explain');
  assert.equal(inferTaskKind('rename foo to bar'), 'edit-selection');
});

test('validateTask rejects what the loop cannot act on, with a sentence', () => {
  assert.throws(() => validateTask(task({ instruction: '  ' })), /needs an instruction/);
  assert.doesNotThrow(() => validateTask(task({ kind: 'fix-failing-tests', instruction: '' })));
  assert.throws(() => validateTask(task({ file: '../x.js' })), TaskError);
  assert.throws(() => validateTask(task({ selection: { startLine: 1, endLine: 2 } })), /selection needs a file/);
  assert.throws(() => validateTask(task({ file: 'a.js', selection: { startLine: 3, endLine: 2 } })), /bad selection/);
  assert.throws(() => validateTask(task({ kind: 'nope' as never })), /unknown task kind/);
});

test('the edit schema requires path, search and replace; the reader checks what the grammar cannot', () => {
  assert.deepEqual(EDIT_SCHEMA.required, ['edits']);
  assert.deepEqual(EDIT_SCHEMA.properties.edits.items.required, ['path', 'search', 'replace']);
  const ok = parseEditReply('{"edits":[{"path":"./src/a.js","search":"x","replace":"y"},{"path":"b.js","search":"same","replace":"same"}]}');
  assert.deepEqual(ok, { ok: true, blocks: [{ path: 'src/a.js', search: 'x', replace: 'y' }] }, 'paths normalized, no-op blocks dropped');
  assert.match((parseEditReply('{"edits":[{"path":"/etc/passwd","search":"","replace":"x"}]}') as { error: string }).error, /outside the workspace/);
  assert.match((parseEditReply('{"edit":"ok"}') as { error: string }).error, /no "edits" array/);
  assert.match((parseEditReply('{"edits":[{"path":"a","search":1}]}') as { error: string }).error, /needs string/);
  assert.match((parseEditReply('{"edits":[').valueOf() as { error: string }).error, /not JSON/);
  assert.equal(normalizeEditPath('a\\b\\c.ts'), 'a/b/c.ts');
  assert.equal(normalizeEditPath('a/../../x'), undefined);
});

test('the plan prompt: the card\'s step-by-step request, a stated final-answer form, targets and tools', () => {
  const p = planPrompt({
    task: task({ kind: 'fix-failing-tests', instruction: '', file: 'src/a.js' }),
    snippets: [{ path: 'src/a.js', startLine: 1, endLine: 2, kind: 'scope', symbol: 'f', text: 'function f() {}\n' }],
    baseline: { runner: 'node:test', targets: ['f works'], output: 'expected 1, got 2' },
    tools: ['read_file', 'run_tests'],
  });
  assert.match(p, /Please reason step by step/);
  assert.match(p, /final answer as a plan/);
  assert.match(p, /- f works/);
  assert.match(p, /expected 1, got 2/);
  assert.match(p, /src\/a.js:1-2 \(scope f\)/);
  assert.match(p, /read-only tools .*read_file, run_tests/);
  assert.match(p, /not the tests/);
  assert.doesNotMatch(p, /think less|don't think|do not think|no thinking/i, 'no prompt tricks against thinking');
  const explain = planPrompt({ task: task({ kind: 'explain', instruction: 'explain f' }), snippets: [], tools: [] });
  assert.match(explain, /explanation as the final answer/);
  assert.doesNotMatch(explain, /tools/);
});

test('the edit prompt shows the JSON shape, the plan, the files, and the apply feedback', () => {
  const p = editPrompt({ task: task(), plan: 'change x', files: [{ path: 'a.js', text: 'const x = "```";\n' }], applyFeedback: 'did you mean: const x' });
  assert.match(p, /\{"edits": \[\{"path": …, "search": …, "replace": …\}\]\}/);
  assert.match(p, /Plan:\nchange x/);
  assert.match(p, /### a.js\n````\nconst x = "```";\n````/, 'the fence outgrows backticks inside');
  assert.match(p, /could not be applied:\ndid you mean: const x/);
});

test('repair prompts say what failed and that the files are unchanged', () => {
  const t = repairPrompt({ kind: 'tests', verdict: 'regressed', newlyFailing: ['a'], targetsStillFailing: ['b'], output: 'boom', diff: '-x\n+y' });
  assert.match(t, /Verdict: regressed/);
  assert.match(t, /passed before and fail now:\n- a/);
  assert.match(t, /still fail:\n- b/);
  assert.match(t, /files are unchanged/);
  assert.match(repairPrompt({ kind: 'apply', message: 'did you mean' }), /could not be applied:\ndid you mean/);
});

test('trimOutput keeps head and tail and strips colors; viewFile windows long files around the focus', () => {
  const long = Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n');
  const t = trimOutput(`\x1b[31m${long}\x1b[0m`, 500);
  assert.ok(t.length < 560);
  assert.match(t, /^line 0/);
  assert.match(t, /line 399$/);
  assert.match(t, /line\(s\) cut/);
  const v = viewFile('a', long, { startLine: 300, endLine: 300 }, 200);
  assert.match(v.text, /line 299/);
  assert.match(v.note!, /of 400/);
});

test('mutations flip one operator per code line, outside strings and comments', () => {
  const src = ['// a < b in a comment', 'if (a < b) return "x > y";', 'return ok && a === b;', 'x = "only string >"'].join('\n');
  const m = mutations(src);
  assert.deepEqual(m.map((x) => x.description), ['line 2: < → <=', 'line 3: === → !==']);
  assert.equal(m[0].after.split('\n')[1], 'if (a <= b) return "x > y";');
  assert.deepEqual(mutations(src, { startLine: 3, endLine: 3 }).map((x) => x.line), [3]);
  assert.equal(mutations('def f(x):\n    return x == 1 and True\n')[0].description, 'line 2: == → !=');
});

test('ranking: accepted first, then fewest regressions, then targets, then the smallest diff', () => {
  const base = { round: 1, index: 1, blocks: [], targetsStillFailing: [] as string[], accepted: false };
  const run = (newlyFailing: string[]) => ({ verdict: 'regressed' as const, baseline: { passed: 1, failed: 1 }, candidate: { passed: 1, failed: 1 }, newlyFailing, newlyPassing: [], flaky: [], runner: 'x', durationMs: 1, message: '' });
  const c = (id: string, over: Partial<Candidate>): Candidate => ({ ...base, id, diff: '+a\n-b\n', changes: [], ...over });
  const notApplied = c('na', { changes: undefined, applyError: 'x' });
  const twoRegressions = c('r2', { run: run(['a', 'b']) });
  const oneRegression = c('r1', { run: run(['a']), targetsStillFailing: ['t'] });
  const oneRegressionTargetsOk = c('r1t', { run: run(['a']), diff: '+a\n+b\n+c\n' });
  assert.equal(bestCandidate([notApplied, twoRegressions, oneRegression, oneRegressionTargetsOk])!.id, 'r1t');
  const small = c('s', { run: run(['a']), diff: '+a\n' });
  assert.equal(bestCandidate([oneRegressionTargetsOk, small])!.id, 's');
  assert.equal(bestCandidate([small, c('acc', { accepted: true, run: run([]), diff: '+a\n+b\n+c\n+d\n' })])!.id, 'acc');
  assert.equal(changedLines('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n'), 2);
});

test('the budget counts evaluated and generated tokens, caps calls, and throws when spent', () => {
  const clock = new FakeClock();
  const b = new Budget(100, 1000, clock);
  b.charge({ evaluatedTokens: 30, completionTokens: 40 });
  assert.equal(b.remainingTokens, 30);
  assert.equal(b.cap(500), 30);
  assert.throws(() => b.check(31), (e: unknown) => e instanceof BudgetExceeded && e.which === 'tokens');
  clock.advance(1000);
  assert.throws(() => b.check(1), (e: unknown) => e instanceof BudgetExceeded && e.which === 'time');
  assert.throws(() => new Budget(0, 1, clock), RangeError);
  assert.throws(() => resolveOptions({ maxRounds: 0 }), /maxRounds must be a positive integer/);
  assert.equal(resolveOptions({ maxRounds: undefined }).maxRounds, 3, 'undefined options keep their defaults');
});
