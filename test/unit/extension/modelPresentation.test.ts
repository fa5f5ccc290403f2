import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shortModelName, statusPresentation, unavailableMessage } from '../../../src/extension/model/modelPresentation';

test('the status bar names each state and points at the next step', () => {
  assert.match(statusPresentation({ kind: 'not-configured' }).text, /no model/);
  assert.equal(statusPresentation({ kind: 'not-configured' }).command, 'qwq.selectModel');
  assert.equal(statusPresentation({ kind: 'not-downloaded', model: 'hf:x' }).command, 'qwq.downloadModel');
  assert.match(statusPresentation({ kind: 'downloading', model: 'm', percent: 42.7 }).text, /downloading 42%/);
  assert.match(statusPresentation({ kind: 'loading', model: 'm' }).text, /loading/);
  assert.match(statusPresentation({ kind: 'ready', model: 'm' }).text, /ready/);
  assert.match(statusPresentation({ kind: 'busy', model: 'm', tokensPerSecond: 12.34 }).text, /12\.3 tok\/s/);
  const err = statusPresentation({ kind: 'error', message: 'the model process crashed' });
  assert.equal(err.severity, 'error');
  assert.equal(err.tooltip, 'the model process crashed');
});

test('a missing or unconfigured model gets a sentence; a usable one does not', () => {
  assert.match(unavailableMessage({ kind: 'not-configured' })!, /no model configured/);
  assert.match(unavailableMessage({ kind: 'missing-file', model: '/m/x.gguf' })!, /\/m\/x\.gguf does not exist/);
  assert.equal(unavailableMessage({ kind: 'ready', model: 'm' }), undefined);
  assert.equal(unavailableMessage({ kind: 'unloaded', model: 'm' }), undefined);
});

test('short model names', () => {
  assert.equal(shortModelName('hf:Qwen/QwQ-32B-GGUF:Q4_K_M'), 'QwQ-32B-GGUF:Q4_K_M');
  assert.equal(shortModelName('/a/b/model.gguf'), 'model.gguf');
});

test('the sample\'s demo models are named as what they are, wherever a model name is shown', () => {
  assert.equal(shortModelName('/repo/.qwq-cache/demo-models/sample-cart-fix.demo.gguf'), 'sample-cart-fix: demo model (scripted for the sample workspace)');
  assert.equal(shortModelName('/models/qwq-32b.gguf'), 'qwq-32b.gguf', 'a real model keeps its file name');
  const ready = statusPresentation({ kind: 'ready', model: '/x/sample-cart-fix.demo.gguf' });
  assert.match(ready.tooltip, /demo model \(scripted for the sample workspace\)/);
});
