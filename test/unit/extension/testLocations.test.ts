import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateTest, testFilesOf, testName } from '../../../src/extension/tasks/testLocations';
import { emptyPanelState, reduceAll } from '../../../src/protocol/panelState';

const CART_TEST = "'use strict';\nconst test = require('node:test');\n\ntest('subtotal adds price times quantity', () => {});\n\ntest(\"itemCount counts quantities\", () => {});\n";
const PY = 'import pytest\n\n\ndef test_total_discount():\n    assert True\n';

test('a newly failing test id resolves to the line of its definition, whatever the runner\'s id shape', () => {
  const files = [{ path: 'test/cart.test.js', text: CART_TEST }, { path: 'tests/test_cart.py', text: PY }];
  assert.deepEqual(locateTest('itemCount counts quantities', files), { path: 'test/cart.test.js', line: 6 });
  assert.deepEqual(locateTest('test/cart.test.js > subtotal adds price times quantity', files), { path: 'test/cart.test.js', line: 4 });
  assert.deepEqual(locateTest('tests/test_cart.py::test_total_discount', files), { path: 'tests/test_cart.py', line: 4 });
  assert.equal(locateTest('no such test', files), undefined);
  assert.equal(testName('a > b > c'), 'c');
  assert.deepEqual(testFilesOf(['src/cart.js', 'test/cart.test.js', 'tests/test_cart.py']), ['test/cart.test.js', 'tests/test_cart.py']);
});

test('test locations land on the task, for the panel\'s links', () => {
  const s = reduceAll(emptyPanelState(), [
    { type: 'task-started', taskId: 't', kind: 'edit-selection', instruction: 'x', files: [] },
    { type: 'test-locations', taskId: 't', locations: { a: { path: 'test/a.test.js', line: 3 } } },
    { type: 'test-locations', taskId: 't', locations: { b: { path: 'test/b.test.js', line: 9 } } },
  ]);
  assert.deepEqual(s.tasks[0].testLocations, { a: { path: 'test/a.test.js', line: 3 }, b: { path: 'test/b.test.js', line: 9 } });
});
