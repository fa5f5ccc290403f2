// `npm start` keeps its code-server profile between runs: the launcher's settings are merged into the user's,
// never written over them (issue: a restart erased qwq.model.source, qwq.inline.model, qwq.agent.maxRounds and
// turned workspace trust off again).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { mergeSettingsText } from '../../../scripts/settings-merge.mjs';
import { makeProfile } from '../../../scripts/code-server.mjs';

const dir = mkdtempSync(join(tmpdir(), 'qwq-settings-merge-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const read = (path: string): Record<string, unknown> => parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

test('a restart keeps every setting the user chose, in User and Machine settings, and the launcher still adds its own', () => {
  const profileDir = join(dir, 'kept');
  const first = makeProfile({ dir: profileDir, workspaceTrust: true, settings: { 'git.openRepositoryInParentFolders': 'never' } });
  for (const scope of ['User', 'Machine']) {
    const path = join(first.userDataDir, scope, 'settings.json');
    const s = read(path);
    assert.equal(s['telemetry.telemetryLevel'], 'off');
    assert.equal('security.workspace.trust.enabled' in s, false, 'npm start leaves workspace trust on');
    // What the user does in the running workbench: a model, ghost text, rounds, trust, and a comment.
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^\{/, [
      '{',
      '  // my models',
      '  "qwq.model.source": "/models/mine.gguf",',
      '  "qwq.inline.model": "/models/small.gguf",',
      '  "qwq.agent.maxRounds": 5,',
      '  "security.workspace.trust.enabled": false,',
    ].join('\n')).replace('"telemetry.telemetryLevel": "off"', '"telemetry.telemetryLevel": "error"'));
  }
  const again = makeProfile({ dir: profileDir, workspaceTrust: true, settings: { 'git.openRepositoryInParentFolders': 'never', 'qwq.model.source': '/demo/demo.gguf' } });
  for (const scope of ['User', 'Machine']) {
    const path = join(again.userDataDir, scope, 'settings.json');
    const s = read(path);
    assert.equal(s['qwq.model.source'], '/models/mine.gguf', `${scope}: the chosen model survives a restart`);
    assert.equal(s['qwq.inline.model'], '/models/small.gguf');
    assert.equal(s['qwq.agent.maxRounds'], 5);
    assert.equal(s['security.workspace.trust.enabled'], false, 'the user\'s trust choice stays');
    assert.equal(s['telemetry.telemetryLevel'], 'error', 'a launcher key the user changed is the user\'s now');
    assert.equal(s['git.openRepositoryInParentFolders'], 'never');
    assert.match(readFileSync(path, 'utf8'), /\/\/ my models/, 'comments survive');
  }
});

test('a launcher key the user left alone follows the launcher; a key it dropped is not removed', () => {
  const ours1 = { a: 1, b: 'x' };
  const first = mergeSettingsText('', ours1);
  assert.deepEqual(parse(first.text), { a: 1, b: 'x' });
  const second = mergeSettingsText(first.text, { a: 2 }, first.ledger);
  assert.deepEqual(parse(second.text), { a: 2, b: 'x' }, 'a: still the launcher\'s value, so it follows; b: kept');
  assert.deepEqual(second.ledger, { a: 2 });
  // Without a ledger (a profile from an older launcher) every present value counts as the user's.
  assert.deepEqual(parse(mergeSettingsText('{"a": 7}', { a: 2, c: true }).text), { a: 7, c: true });
});

test('a settings.json that is not a JSON object is refused with a clear error, not overwritten', () => {
  assert.throws(() => mergeSettingsText('[1, 2]', { a: 1 }), /not a JSON object/);
  assert.throws(() => mergeSettingsText('{"a": ', { a: 1 }), /not a JSON object/);
  assert.deepEqual(parse(mergeSettingsText('{"a": 1,}', { b: 2 }).text), { a: 1, b: 2 }, 'trailing commas are fine (VS Code allows them)');
});
