import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSettings, RESTRICTED_KEYS, workspaceSetRestrictedKeys } from '../../../src/extension/config';

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
const properties: Record<string, { type: string; scope?: string; default?: unknown; minimum?: number }> = manifest.contributes.configuration.properties;

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

test('out-of-range and fractional numbers fall back to the manifest defaults', () => {
  const s = readSettings(configuration({ 'model.contextSize': -3, 'speculative.draftMinTokens': -1, 'model.threads': Number.NaN, 'agent.maxRounds': 2.5 }));
  assert.equal(s.contextSize, 0);
  assert.equal(s.speculative.draftMinTokens, 0);
  assert.equal(s.threads, 0);
  assert.equal(s.maxRounds, 3);
});

test('the grouped keys are read: qwq.model.*, qwq.agent.*, qwq.server.*, qwq.inline.model', () => {
  const s = readSettings(configuration({
    'model.source': ' /m/q.gguf ', 'model.contextSize': 16384, 'model.threads': 2, 'agent.maxRounds': 5, 'agent.thoughtBudget': 100,
    'model.provider': 'server', 'server.url': 'http://h:8000/v1', 'server.model': 'qwq', 'server.headers': { 'x-a': 'b', bad: 3 },
    'inline.model': '/m/coder.gguf',
  }));
  assert.equal(s.model, '/m/q.gguf');
  assert.deepEqual([s.contextSize, s.threads, s.maxRounds, s.thoughtBudget], [16384, 2, 5, 100]);
  assert.equal(s.modelProvider, 'server');
  assert.deepEqual(s.server, { url: 'http://h:8000/v1', model: 'qwq', headers: { 'x-a': 'b' } });
  assert.equal(s.inlineModel, '/m/coder.gguf');
});

test('the manifest: every key read exists, the old flat keys are gone, whole numbers are integers', () => {
  for (const k of ['qwq.contextSize', 'qwq.threads', 'qwq.maxRounds', 'qwq.thoughtBudget', 'qwq.model']) assert.equal(properties[k], undefined, k);
  for (const k of ['qwq.model.source', 'qwq.model.contextSize', 'qwq.model.threads', 'qwq.agent.maxRounds', 'qwq.agent.thoughtBudget', 'qwq.inline.model', 'qwq.server.url']) assert.ok(properties[k], k);
  for (const [k, p] of Object.entries(properties)) assert.notEqual(p.type, 'number', `${k} should be an integer`);
  // No key is both a value and a parent of other keys (VS Code ignores the children of a non-object).
  for (const k of Object.keys(properties)) assert.ok(!Object.keys(properties).some((o) => o.startsWith(`${k}.`)), `${k} is also a group`);
});

test('every setting that names a model, a server or a command is restricted, with a scope no wider than needed', () => {
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.deepEqual([...restricted].sort(), RESTRICTED_KEYS.map((k) => `qwq.${k}`).sort());
  for (const k of restricted) {
    assert.ok(properties[k], `${k} is declared`);
    assert.ok(['machine', 'machine-overridable', 'resource', 'application'].includes(properties[k]!.scope ?? ''), `${k} has a scope`);
  }
  assert.equal(properties['qwq.server.headers']!.scope, 'machine', 'headers never come from a workspace');
  assert.equal(properties['qwq.model.threads']!.scope, 'machine', 'threads describe this machine');
});

test('workspaceSetRestrictedKeys names the restricted keys a workspace or folder sets, and only those', () => {
  const values: Record<string, { workspaceValue?: unknown; workspaceFolderValue?: unknown; globalValue?: unknown }> = {
    'model.source': { workspaceValue: './evil.gguf' },
    'inline.model': { workspaceFolderValue: 'x.gguf' },
    'server.url': { globalValue: 'http://mine/v1' },
  };
  const got = workspaceSetRestrictedKeys({ inspect: (k) => values[k] ?? {} });
  assert.deepEqual(got, ['qwq.model.source', 'qwq.inline.model']);
});
