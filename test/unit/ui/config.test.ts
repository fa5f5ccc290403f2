import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings } from '../../../src/extension/config';

/** A stand-in for workspace.getConfiguration('qwq'): values set by the test, defaults otherwise. */
function configuration(values: Record<string, unknown>) {
  return {
    getConfiguration: () => ({ get: <T>(key: string, dflt?: T) => (key in values ? values[key] : dflt) as T }),
  } as any;
}

test('speculative settings are read, defaults are off', () => {
  assert.deepEqual(readSettings(configuration({})).speculative, { draftModel: '', draftMinTokens: 0, promptLookup: false });
  const s = readSettings(configuration({ 'speculative.draftModel': ' /m/draft.gguf ', 'speculative.draftMinTokens': 4, 'speculative.promptLookup': true }));
  assert.deepEqual(s.speculative, { draftModel: '/m/draft.gguf', draftMinTokens: 4, promptLookup: true });
});

test('out-of-range numbers fall back to the manifest defaults', () => {
  const s = readSettings(configuration({ contextSize: 3, 'speculative.draftMinTokens': -1, threads: Number.NaN }));
  assert.equal(s.contextSize, 32768);
  assert.equal(s.speculative.draftMinTokens, 0);
  assert.equal(s.threads, 0);
});
