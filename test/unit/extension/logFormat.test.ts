import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLogLine, logArg, logTimestamp } from '../../../src/extension/logFormat';

test('a log line reads like VS Code\'s own log channels: local timestamp, [level], message and arguments', () => {
  const d = new Date(2026, 0, 5, 7, 8, 9, 12);
  assert.equal(logTimestamp(d), '2026-01-05 07:08:09.012');
  assert.equal(formatLogLine(d, 'info', 'verify: verified', [3, { a: 1 }]), '2026-01-05 07:08:09.012 [info] verify: verified 3 {"a":1}');
  assert.equal(formatLogLine(d, 'warning', 'x', []), '2026-01-05 07:08:09.012 [warning] x');
});

test('arguments: errors keep their stack, cyclic objects do not throw', () => {
  const e = new Error('boom');
  assert.match(logArg(e), /^Error: boom\n\s+at /);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(logArg(cyclic), '[object Object]');
  assert.equal(logArg(undefined), 'undefined');
  assert.equal(logArg(null), 'null');
});
