// The extension's side of the panel protocol (src/extension/panel/webviewMessages.ts): a message from the webview
// is parsed whole before any action runs; an invalid one is logged with its reason and nothing happens; a valid
// one reaches exactly one action, with the same caps as before the handler table (8,000 characters of text, 20
// pills, 200 of a query, 50 completions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { receiveFromWebview, webviewHandlers, type PanelActions } from '../../../src/extension/panel/webviewMessages';
import { emptyPanelState, type PanelCommand, type ToWebview } from '../../../src/protocol';

/** Records each action call and each message posted back; `fail` makes the named action reject. */
function harness(fail?: keyof PanelActions) {
  const calls: Array<[string, ...unknown[]]> = [];
  const posted: ToWebview[] = [];
  const errors: string[] = [];
  const commands: PanelCommand[] = [];
  let flushed = 0;
  const record = <R,>(name: keyof PanelActions, result: R) => (...args: unknown[]): R => {
    calls.push([name, ...args]);
    return name === fail ? (Promise.reject(new Error(`${name} broke`)) as R) : result;
  };
  const actions: PanelActions = {
    accept: record('accept', Promise.resolve()), reject: record('reject', Promise.resolve()), openDiff: record('openDiff', Promise.resolve()),
    preview: record('preview', Promise.resolve()), applyUnverified: record('applyUnverified', Promise.resolve()),
    submit: record('submit', Promise.resolve(true)), followUp: record('followUp', Promise.resolve(false)),
    completeMention: record('completeMention', Promise.resolve(Array.from({ length: 80 }, (_, i) => ({ value: `f${i}` })))),
    removeTask: record('removeTask', undefined), openLocation: record('openLocation', Promise.resolve()),
    cancel: record('cancel', undefined), clearHistory: record('clearHistory', undefined),
  };
  const log = { error: (m: string) => { errors.push(m); } };
  const handlers = webviewHandlers({
    actions, log,
    post: (m) => { posted.push(m); },
    snapshot: () => ({ model: { kind: 'not-configured' }, trusted: true, version: '9' }),
    state: () => { flushed++; return emptyPanelState(); },
    runCommand: (c) => { commands.push(c); },
  });
  const send = async (msg: unknown): Promise<void> => {
    receiveFromWebview(msg, handlers, log);
    await new Promise((r) => setImmediate(r));
  };
  return { calls, posted, errors, commands, send, flushed: () => flushed };
}

const ref = { taskId: 't1', candidateId: 'c1' };

test('each valid message reaches its one action, as the webview sent it', async () => {
  const h = harness();
  await h.send({ type: 'acceptCandidate', payload: ref });
  await h.send({ type: 'rejectCandidate', payload: ref });
  await h.send({ type: 'openDiff', payload: { ...ref, file: 'b.ts' } });
  await h.send({ type: 'openDiff', payload: ref });
  await h.send({ type: 'previewCandidate', payload: ref });
  await h.send({ type: 'applyUnverified', payload: ref });
  await h.send({ type: 'openLocation', payload: { path: 'src/a.ts', line: 4, taskId: 't1' } });
  await h.send({ type: 'removeTask', payload: { taskId: 't1' } });
  await h.send({ type: 'cancelTask', payload: { taskId: 't2' } });
  await h.send({ type: 'clearHistory', payload: {} });
  await h.send({ type: 'runCommand', payload: { command: 'qwq.selectModel' } });
  assert.deepEqual(h.calls, [
    ['accept', ref], ['reject', ref], ['openDiff', ref, 'b.ts'], ['openDiff', ref, undefined], ['preview', ref], ['applyUnverified', ref],
    ['openLocation', 'src/a.ts', 4, 't1'], ['removeTask', 't1'], ['cancel', 't2'], ['clearHistory'],
  ]);
  assert.deepEqual(h.commands, ['qwq.selectModel']);
  assert.deepEqual(h.errors, []);
});

test('ready sends the snapshot, then the state flushed first', async () => {
  const h = harness();
  await h.send({ type: 'ready', payload: {} });
  assert.equal(h.flushed(), 1);
  assert.deepEqual(h.posted.map((m) => m.type), ['snapshot', 'state']);
});

test('submit, follow-up and completions keep their caps and answer the composer', async () => {
  const h = harness();
  const pills = Array.from({ length: 30 }, (_, i) => ({ kind: 'file' as const, path: `f${i}` }));
  await h.send({ type: 'submit', payload: { instruction: `  ${'x'.repeat(9000)}  `, pills, requestId: 'r'.repeat(150) } });
  await h.send({ type: 'submit', payload: { instruction: 'explain', kind: 'explain', pills: [] } });
  await h.send({ type: 'followUp', payload: { taskId: 't1', text: ' more ', requestId: 'f1' } });
  await h.send({ type: 'completeMention', payload: { requestId: 'm1', kind: 'symbol', query: 'q'.repeat(300) } });
  const [submit, explain, followUp, complete] = h.calls;
  assert.equal((submit![1] as string).length, 8000);
  assert.equal(submit![2], 'edit-selection');
  assert.equal((submit![3] as unknown[]).length, 20);
  assert.deepEqual(explain, ['submit', 'explain', 'explain', []]);
  assert.deepEqual(followUp, ['followUp', 't1', 'more', undefined]);
  assert.deepEqual(complete, ['completeMention', 'symbol', 'q'.repeat(200)]);
  const answers = h.posted.map((m) => (m.type === 'submitResult' ? [m.payload.requestId.length, m.payload.started] : m.type === 'mentions' ? [m.payload.requestId, m.payload.items.length, m.payload.query.length] : m.type));
  assert.deepEqual(answers, [[100, true], [2, false], ['m1', 50, 200]], 'the submit without requestId gets no answer');
});

test('an invalid message is logged with its reason and no action runs, nothing is posted back', async () => {
  const h = harness();
  for (const msg of [
    { type: 'acceptCandidate', payload: { taskId: 't1' } },
    { type: 'openLocation', payload: { path: '../secret', line: 1 } },
    { type: 'runCommand', payload: { command: 'workbench.action.terminal.new' } },
    { type: 'submit', payload: { instruction: 'x', pills: [{ kind: 'shell' }], requestId: 'r1' } },
    { type: 'shutdown', payload: {} },
    'ready',
  ]) await h.send(msg);
  assert.deepEqual(h.calls, []);
  assert.deepEqual(h.commands, []);
  assert.deepEqual(h.posted, [], 'not even a submit answer: a half-handled message would be one');
  assert.equal(h.errors.length, 6);
  assert.ok(h.errors.every((e) => e.startsWith('panel: dropped a message from the webview: ')), h.errors.join('\n'));
  assert.match(h.errors[1]!, /'openLocation' with an invalid payload: path: is not workspace-relative/);
  assert.match(h.errors[4]!, /unknown message type 'shutdown'/);
});

test('an action that fails is logged; a refused submit still answers the composer', async () => {
  const h = harness('accept');
  await h.send({ type: 'acceptCandidate', payload: ref });
  assert.deepEqual(h.errors, ['panel action failed: accept broke']);
  const s = harness('submit');
  await s.send({ type: 'submit', payload: { instruction: 'x', pills: [], requestId: 'r1' } });
  assert.deepEqual(s.errors, ['panel action failed: submit broke']);
  assert.deepEqual(s.posted, [{ type: 'submitResult', payload: { requestId: 'r1', started: false } }]);
});
