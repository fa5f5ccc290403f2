import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestDefault, readSettings, reloadSettings, RESTRICTED_SETTINGS, SETTINGS, workspaceSetRestrictedKeys, type SettingKey } from '../../../src/extension/settings';
import { inlineModelChoice, reasoningModelChoice } from '../../../src/extension/model/modelChoice';

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
const properties: Record<string, { type: string; scope?: string; default?: unknown; minimum?: number; enum?: string[] }> = manifest.contributes.configuration.properties;

/**
 * A stand-in for workspace.getConfiguration('qwq', folder): user values, overridden by a folder's values when
 * the read names that folder (as VS Code does for resource-scoped settings).
 */
function configuration(values: Record<string, unknown>, perFolder: Record<string, Record<string, unknown>> = {}) {
  const asked: (string | undefined)[] = [];
  return {
    asked,
    getConfiguration: (_section: string, scope?: { toString(): string }) => {
      asked.push(scope?.toString());
      const merged = { ...values, ...(scope ? perFolder[scope.toString()] : {}) };
      return { get: <T>(key: string) => merged[key] as T };
    },
  };
}
const uri = (path: string) => ({ toString: () => `file://${path}`, fsPath: path }) as any;

test('the table and package.json name the same settings, with the same scopes', () => {
  assert.deepEqual(Object.keys(SETTINGS).map((k) => `qwq.${k}`).sort(), Object.keys(properties).sort());
  for (const [key, spec] of Object.entries(SETTINGS)) {
    assert.equal(properties[`qwq.${key}`]!.scope ?? 'window', spec.scope, `qwq.${key}: scope`);
  }
});

test('every manifest default passes its validator, and a value out of range reads as that default', () => {
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    assert.deepEqual(manifestDefault(key), properties[`qwq.${key}`]!.default, `qwq.${key}`);
    const p = properties[`qwq.${key}`]!;
    if (p.minimum !== undefined) assert.equal(SETTINGS[key].validate(p.minimum - 1), undefined, `qwq.${key} refuses below its minimum`);
    for (const v of p.enum ?? []) assert.equal(SETTINGS[key].validate(v), v, `qwq.${key} accepts ${v}`);
  }
});

test('the manifest\'s restricted list is the table\'s', () => {
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.deepEqual([...restricted].sort(), [...RESTRICTED_SETTINGS].sort());
  assert.equal(properties['qwq.server.headers']!.scope, 'machine', 'headers never come from a workspace');
  assert.equal(properties['qwq.model.threads']!.scope, 'machine', 'threads describe this machine');
});

test('the reload lists: what the reasoning model and the ghost-text model each load again for', () => {
  assert.deepEqual(reloadSettings('model'), [
    'qwq.model.provider', 'qwq.model.source', 'qwq.model.contextSize', 'qwq.model.threads', 'qwq.server.url', 'qwq.server.model', 'qwq.server.headers',
    'qwq.speculative.draftModel', 'qwq.speculative.draftMinTokens', 'qwq.speculative.promptLookup',
  ]);
  assert.deepEqual(reloadSettings('inline'), ['qwq.model.threads', 'qwq.server.url', 'qwq.server.headers', 'qwq.inline.model', 'qwq.inline.serverModel']);
  // Nothing a task reads per run needs a reload.
  for (const k of ['qwq.agent.maxRounds', 'qwq.tests.command', 'qwq.inline.enabled']) assert.ok(![...reloadSettings('model'), ...reloadSettings('inline')].includes(k), k);
});

test('resource-scoped settings are read for the task\'s folder: each folder of a multi-root workspace has its own', () => {
  const source = configuration(
    { 'tests.command': 'npm test', 'agent.maxRounds': 3 },
    { 'file:///w/api': { 'tests.command': 'make check', 'tests.timeoutSeconds': 600, 'agent.maxRounds': 5, 'agent.thoughtBudget': 100 } },
  );
  const api = readSettings(source as any, uri('/w/api'));
  assert.deepEqual([api.testsCommand, api.testsTimeoutSeconds, api.maxRounds, api.thoughtBudget], ['make check', 600, 5, 100]);
  const web = readSettings(source as any, uri('/w/web'));
  assert.deepEqual([web.testsCommand, web.testsTimeoutSeconds, web.maxRounds, web.thoughtBudget], ['npm test', 120, 3, 8192]);
  assert.deepEqual(source.asked, ['file:///w/api', 'file:///w/web'], 'the folder is passed to getConfiguration');
  for (const k of ['tests.command', 'tests.timeoutSeconds', 'agent.maxRounds', 'agent.thoughtBudget'] as const) assert.equal(SETTINGS[k].scope, 'resource', k);
});

test('speculative settings are read, defaults are off', () => {
  assert.deepEqual(readSettings(configuration({}) as any).speculative, { draftModel: '', draftMinTokens: 0, promptLookup: false });
  const s = readSettings(configuration({ 'speculative.draftModel': ' /m/draft.gguf ', 'speculative.draftMinTokens': 4, 'speculative.promptLookup': true }) as any);
  assert.deepEqual(s.speculative, { draftModel: '/m/draft.gguf', draftMinTokens: 4, promptLookup: true });
});

test('out-of-range and fractional numbers fall back to the manifest defaults', () => {
  const s = readSettings(configuration({ 'model.contextSize': -3, 'speculative.draftMinTokens': -1, 'model.threads': Number.NaN, 'agent.maxRounds': 2.5, 'model.provider': 'cloud' }) as any);
  assert.equal(s.contextSize, 0);
  assert.equal(s.speculative.draftMinTokens, 0);
  assert.equal(s.threads, 0);
  assert.equal(s.maxRounds, 3);
  assert.equal(s.modelProvider, 'local');
});

test('the grouped keys are read: qwq.model.*, qwq.agent.*, qwq.server.*, qwq.inline.model', () => {
  const s = readSettings(configuration({
    'model.source': ' /m/q.gguf ', 'model.contextSize': 16384, 'model.threads': 2, 'agent.maxRounds': 5, 'agent.thoughtBudget': 100,
    'model.provider': 'server', 'server.url': 'http://h:8000/v1', 'server.model': 'qwq', 'server.headers': { 'x-a': 'b', bad: 3 },
    'inline.model': '/m/coder.gguf',
  }) as any);
  assert.equal(s.model, '/m/q.gguf');
  assert.deepEqual([s.contextSize, s.threads, s.maxRounds, s.thoughtBudget], [16384, 2, 5, 100]);
  assert.equal(s.modelProvider, 'server');
  assert.deepEqual(s.server, { url: 'http://h:8000/v1', model: 'qwq', headers: { 'x-a': 'b' } });
  assert.equal(s.inlineModel, '/m/coder.gguf');
});

test('the model choices: a server only when the provider says so, ghost text on the server when a model is named there', () => {
  const s = readSettings(configuration({ 'model.source': '/m/q.gguf', 'server.url': 'http://h/v1', 'server.model': 'qwq', 'inline.serverModel': 'coder', 'inline.model': '/m/c.gguf' }) as any);
  assert.equal(reasoningModelChoice(s, undefined).server, undefined, 'provider local: the server is not used for reasoning');
  assert.deepEqual(inlineModelChoice(s, undefined).server, { url: 'http://h/v1', model: 'coder', headers: {} });
  assert.equal(inlineModelChoice(s, undefined).model, '', 'no local inline model while the server serves it');
  assert.equal(reasoningModelChoice(s, 'blocked').blocked, 'blocked');
});

test('the manifest: the old flat keys are gone, whole numbers are integers, no key is also a group', () => {
  for (const k of ['qwq.contextSize', 'qwq.threads', 'qwq.maxRounds', 'qwq.thoughtBudget', 'qwq.model']) assert.equal(properties[k], undefined, k);
  for (const [k, p] of Object.entries(properties)) assert.notEqual(p.type, 'number', `${k} should be an integer`);
  // VS Code ignores the children of a non-object key.
  for (const k of Object.keys(properties)) assert.ok(!Object.keys(properties).some((o) => o.startsWith(`${k}.`)), `${k} is also a group`);
});

test('workspaceSetRestrictedKeys names the restricted keys a workspace or folder sets, and only those', () => {
  const values: Record<string, { workspaceValue?: unknown; workspaceFolderValue?: unknown; globalValue?: unknown }> = {
    'model.source': { workspaceValue: './evil.gguf' },
    'inline.model': { workspaceFolderValue: 'x.gguf' },
    'server.url': { globalValue: 'http://mine/v1' },
    'agent.maxRounds': { workspaceValue: 9 },
  };
  const got = workspaceSetRestrictedKeys({ inspect: (k) => values[k] ?? {} });
  assert.deepEqual(got.sort(), ['qwq.inline.model', 'qwq.model.source']);
});
