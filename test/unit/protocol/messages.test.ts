// The message definitions (src/protocol/messages.ts) carry schemas, and parse()/is() read a message by its
// payload, not only by its tag. What the webview sends is an attacker's input (a compromised or stale page): each
// probe below is something such a page could post, and each must be refused with a reason that names the message
// and the field. What the extension sends is checked by its frame, cheaply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AcceptCandidateToExtension, create, dispatch, emptyPanelState, EventsToWebview, is, OpenDiffToExtension, parse, ReadyToExtension,
  SnapshotToWebview, StateToWebview, SubmitToExtension, TO_EXTENSION, TO_WEBVIEW, type MessageHandlers, type ToExtension,
} from '../../../src/protocol';

const ref = { taskId: 't1', candidateId: 'c1' };

/** What the webview's own code posts (src/webview/render.ts, card.ts, composer.ts, parts.ts), one of each. */
const VALID: ToExtension[] = [
  { type: 'ready', payload: {} },
  { type: 'runCommand', payload: { command: 'qwq.showLog' } },
  { type: 'acceptCandidate', payload: ref },
  { type: 'rejectCandidate', payload: ref },
  { type: 'openDiff', payload: { ...ref, file: 'src/a.ts' } },
  { type: 'openLocation', payload: { path: 'src/a.ts', line: 3, taskId: 't1' } },
  { type: 'cancelTask', payload: { taskId: 't1' } },
  { type: 'clearHistory', payload: {} },
  { type: 'previewCandidate', payload: ref },
  { type: 'applyUnverified', payload: ref },
  { type: 'submit', payload: { instruction: 'fix it', kind: 'explain', pills: [{ kind: 'selection', path: 'a.ts', startLine: 1, endLine: 2 }, { kind: 'symbol', symbol: 'f' }], requestId: 'r1' } },
  { type: 'followUp', payload: { taskId: 't1', candidateId: 'c1', text: 'and the tests', requestId: 'r2' } },
  { type: 'removeTask', payload: { taskId: 't1' } },
  { type: 'completeMention', payload: { requestId: 'r3', kind: 'file', query: 'src/' } },
];

test('every message the webview builds parses to itself, and every definition is covered', () => {
  for (const msg of VALID) {
    const r = parse(TO_EXTENSION, msg);
    assert.ok(r.ok, `${msg.type}: ${r.ok ? '' : r.error}`);
    assert.deepEqual(r.message, msg);
    assert.ok(TO_EXTENSION.some((d) => is(d, msg)), `is() accepts ${msg.type}`);
  }
  assert.deepEqual(new Set(VALID.map((m) => m.type)), new Set(TO_EXTENSION.map((d) => d.type)));
});

test('a hostile or stale webview: each malformed message is refused with the message and the field named', () => {
  const bad: Array<[unknown, RegExp]> = [
    [null, /unknown message type \(no string tag: none\)/],
    ['ready', /unknown message type/],
    [{ type: 'eval', payload: 'process.exit()' }, /unknown message type 'eval'/],
    [{ type: 'constructor', payload: {} }, /unknown message type 'constructor'/],
    [{ type: '__proto__', payload: {} }, /unknown message type '__proto__'/],
    [{ type: 42, payload: {} }, /no string tag: number/],
    [{ type: 'ready' }, /'ready' with an invalid payload/],
    [{ type: 'acceptCandidate', payload: { taskId: 't1' } }, /'acceptCandidate' with an invalid payload.*candidateId/],
    [{ type: 'acceptCandidate', payload: { taskId: 1, candidateId: 'c1' } }, /taskId/],
    [{ type: 'runCommand', payload: { command: 'workbench.action.terminal.new' } }, /'runCommand'.*command/],
    [{ type: 'runCommand', payload: { command: 'qwq.showLog; rm -rf ~' } }, /command/],
    [{ type: 'openLocation', payload: { path: '/etc/passwd', line: 1 } }, /'openLocation'.*path.*not workspace-relative/],
    [{ type: 'openLocation', payload: { path: 'src/../../.ssh/id_rsa', line: 1 } }, /not workspace-relative/],
    [{ type: 'openLocation', payload: { path: 'src/a.ts', line: 1.5 } }, /line/],
    [{ type: 'openLocation', payload: { path: 'src/a.ts', line: '3' } }, /line/],
    [{ type: 'openLocation', payload: { path: 'src/a.ts', line: 3, taskId: 7 } }, /taskId/],
    [{ type: 'openDiff', payload: { ...ref, file: ['a', 'b'] } }, /file/],
    [{ type: 'submit', payload: { instruction: '   ', pills: [] } }, /'submit'.*instruction.*is empty/],
    [{ type: 'submit', payload: { instruction: 'x', pills: 'all' } }, /pills/],
    [{ type: 'submit', payload: { instruction: 'x', pills: [{ kind: 'shell', path: 'a' }] } }, /pills/],
    [{ type: 'submit', payload: { instruction: 'x', pills: [{ kind: 'file', path: 3 }] } }, /pills/],
    [{ type: 'submit', payload: { instruction: 'x', kind: 'run-tests', pills: [] } }, /kind/],
    [{ type: 'followUp', payload: { taskId: 't1', text: '' } }, /text/],
    [{ type: 'completeMention', payload: { requestId: 'r', kind: 'selection', query: '' } }, /kind/],
    [{ type: 'cancelTask', payload: {} }, /taskId/],
  ];
  for (const [msg, why] of bad) {
    const r = parse(TO_EXTENSION, msg);
    assert.equal(r.ok, false, `${JSON.stringify(msg)} must be refused`);
    assert.match(r.ok ? '' : r.error, why, JSON.stringify(msg));
    assert.ok(!TO_EXTENSION.some((d) => is(d, msg)), `is() refuses ${JSON.stringify(msg)} too`);
  }
});

test('a parsed payload holds only the keys its definition names (extras from the page are dropped)', () => {
  const r = parse(TO_EXTENSION, { type: 'acceptCandidate', payload: { ...ref, force: true, __proto__: { polluted: true } }, extra: 1 });
  assert.ok(r.ok);
  assert.deepEqual(r.message, { type: 'acceptCandidate', payload: ref });
  assert.equal(Object.keys(r.message.payload).join(), 'taskId,candidateId');
});

test('is() checks the payload, not only the tag', () => {
  assert.ok(is(AcceptCandidateToExtension, create(AcceptCandidateToExtension, ref)));
  assert.ok(!is(AcceptCandidateToExtension, { type: 'acceptCandidate', payload: { taskId: 't1' } }));
  assert.ok(!is(AcceptCandidateToExtension, { type: 'acceptCandidate' }));
  assert.ok(!is(OpenDiffToExtension, create(AcceptCandidateToExtension, ref)), 'another tag');
  assert.ok(is(ReadyToExtension, create(ReadyToExtension, {})));
});

test('the webview checks the frame of what the extension sends, and keeps the payload as sent', () => {
  const snapshot = { model: { kind: 'ready' as const, model: 'm.gguf' }, trusted: true, version: '0.1.0' };
  const ok = parse(TO_WEBVIEW, create(SnapshotToWebview, snapshot));
  assert.ok(ok.ok && ok.message.payload === snapshot, 'a snapshot passes as the same object');
  const state = emptyPanelState();
  assert.ok(parse(TO_WEBVIEW, create(StateToWebview, { state })).ok);
  assert.ok(parse(TO_WEBVIEW, create(EventsToWebview, { events: [{ type: 'clear-history' }] })).ok);
  const bad: Array<[unknown, RegExp]> = [
    [{ type: 'snapshot', payload: { model: { kind: 'ready' }, version: '1' } }, /'snapshot'.*not a panel snapshot/],
    [{ type: 'snapshot', payload: { ...snapshot, l10n: { Accept: 3 } } }, /not a panel snapshot/],
    [{ type: 'state', payload: { state: { tasks: 'none' } } }, /'state'.*not a panel state/],
    [{ type: 'state', payload: {} }, /'state'/],
    [{ type: 'events', payload: { events: [{ taskId: 't1' }] } }, /'events'.*not a list of panel events/],
    [{ type: 'mentions', payload: { requestId: 'r', kind: 'file', query: '', items: [{ value: 1 }] } }, /'mentions'.*items/],
    [{ type: 'submitResult', payload: { requestId: 'r', started: 'yes' } }, /'submitResult'.*started/],
    [{ type: 'acceptCandidate', payload: ref }, /unknown message type 'acceptCandidate'/],
  ];
  for (const [msg, why] of bad) {
    const r = parse(TO_WEBVIEW, msg);
    assert.equal(r.ok, false, JSON.stringify(msg));
    assert.match(r.ok ? '' : r.error, why, JSON.stringify(msg));
  }
});

test('dispatch calls the handler of the parsed message with its payload; a missing handler does not compile', () => {
  const seen: string[] = [];
  const handlers: MessageHandlers<typeof TO_WEBVIEW, string> = {
    submitResult: (p) => `submitResult ${p.requestId} ${p.started}`,
    mentions: (p) => `mentions ${p.items.length}`,
    snapshot: (p) => `snapshot ${p.version}`,
    state: (p) => `state ${p.state.tasks.length}`,
    events: (p) => `events ${p.events.length}`,
  };
  for (const msg of [create(EventsToWebview, { events: [] }), create(StateToWebview, { state: emptyPanelState() })]) {
    const r = parse(TO_WEBVIEW, msg);
    assert.ok(r.ok);
    seen.push(dispatch(handlers, r.message));
  }
  assert.deepEqual(seen, ['events 0', 'state 0']);
  // @ts-expect-error: a table without the 'submit' handler (or any other) is a compile error.
  const partial: MessageHandlers<typeof TO_EXTENSION> = { ready: () => undefined };
  assert.ok(partial);
  // @ts-expect-error: a payload that does not match its definition does not compile either.
  assert.ok(create(SubmitToExtension, { instruction: 'x' }));
});
