import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestOutputFilter } from '../../../src/extension/tasks/testOutputFilter';

test('reporter lines are dropped even when split across chunks; readable lines pass in order', () => {
  const f = new TestOutputFilter();
  let out = '';
  out += f.push('✔ adds (1ms)\n::qwq-te');
  out += f.push('st::{"type":"test:pass"}\n✖ tot');
  out += f.push('al fails\n');
  out += f.push('tail without newline');
  out += f.flush();
  assert.equal(out, '✔ adds (1ms)\n✖ total fails\ntail without newline');
});

test('a trailing reporter line without newline is dropped at flush', () => {
  const f = new TestOutputFilter();
  assert.equal(f.push('::qwq-test::{}'), '');
  assert.equal(f.flush(), '');
});
