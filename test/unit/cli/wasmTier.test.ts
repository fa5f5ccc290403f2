import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { useBaselineWasmCompiler } from '../../../src/cli/commands/wasmTier';

test('the baseline-compiler flag is set only on Node majors whose V8 knows it', () => {
  assert.equal(useBaselineWasmCompiler('16.20.0'), false);
  assert.equal(useBaselineWasmCompiler('26.0.0'), false);
  assert.equal(useBaselineWasmCompiler('20.20.2'), true);
});

test('on this Node, setting it prints nothing (an unknown V8 flag would print "unrecognized flag" on stderr)', () => {
  const r = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString('--liftoff-only'); console.log('set')`], { encoding: 'utf8' });
  assert.equal(r.stdout.trim(), 'set');
  assert.equal(r.stderr, '');
});
