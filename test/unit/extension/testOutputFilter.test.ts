import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapPaths, readableOutput, TestOutputFilter } from '../../../src/extension/tasks/testOutputFilter';

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

test('shadow temp paths and the workspace root become workspace-relative; internal frames fold into one line', () => {
  const raw = [
    'not ok 1 - cart total applies percent',
    '  AssertionError: expected 90, got 0.9',
    '    at TestContext.<anonymous> (/tmp/tmp.Ab12/qwq-shadow-XyZ123/test/cart.test.js:17:10)',
    '    at Test.runInAsyncScope (node:async_hooks:214:14)',
    '    at Test.run (node:internal/test_runner/test:1047:25)',
    '    at Object.<anonymous> (/home/me/shop/node_modules/mocha/lib/runner.js:9:1)',
    '    at helper (/home/me/shop/src/cart.js:4:3)',
    'file:///private/var/folders/x/qwq-shadow-q1/src/cart.js:2',
    '',
  ].join('\n');
  const out = readableOutput(raw, { roots: ['/home/me/shop'] });
  assert.equal(out, [
    'not ok 1 - cart total applies percent',
    '  AssertionError: expected 90, got 0.9',
    '    at TestContext.<anonymous> (test/cart.test.js:17:10)',
    '    … 3 runner frames hidden',
    '    at helper (src/cart.js:4:3)',
    'src/cart.js:2',
    '',
  ].join('\n'));
  // Streaming in odd chunks gives the same text: a run of frames split across chunks still folds once.
  const f = new TestOutputFilter({ roots: ['/home/me/shop'] });
  let streamed = '';
  for (let i = 0; i < raw.length; i += 37) streamed += f.push(raw.slice(i, i + 37));
  streamed += f.flush();
  assert.equal(streamed, out);
  assert.equal(mapPaths('C:\\Users\\me\\AppData\\Local\\Temp\\qwq-shadow-a1\\test\\x.test.js:3'), 'test\\x.test.js:3');
});
