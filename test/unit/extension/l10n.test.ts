import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatMessage, l10n } from '../../../src/extension/l10n';
import { statusPresentation, unavailableMessage } from '../../../src/extension/model/modelPresentation';
// @ts-expect-error: a plain .mjs script without types
import { bundlePath, bundleText, extractBundle, messagesIn } from '../../../scripts/l10n-extract.mjs';

test('formatMessage fills {n} placeholders and leaves unknown ones', () => {
  assert.equal(formatMessage('{0} of {1}, {0} again, {2}', 'a', 3), 'a of 3, a again, {2}');
});

test('l10n.t goes through the installed translator (vscode.l10n.t in the extension host)', () => {
  l10n.use((m, ...a) => `[de] ${formatMessage(m, ...a)}`);
  try {
    assert.equal(statusPresentation({ kind: 'missing-file', model: '/m.gguf' }).text, '$(warning) [de] QwQ: model file missing');
    assert.equal(unavailableMessage({ kind: 'downloading', model: 'm', percent: 41.7 }), '[de] The model m is still downloading (41%).');
  } finally {
    l10n.use(formatMessage);
  }
  assert.equal(statusPresentation({ kind: 'ready', model: 'm' }).text, '$(hubot) QwQ: ready');
});

test('the extractor finds l10n.t and vscode.l10n.t literals and rejects computed messages', () => {
  assert.deepEqual(messagesIn('a.ts', "l10n.t('One {0}', x); vscode.l10n.t(`Two`); other.t('no'); log.info('no');"), ['One {0}', 'Two']);
  assert.throws(() => messagesIn('b.ts', 'l10n.t(`Hi ${name}`);'), /b\.ts:1: l10n\.t needs a literal message/);
});

test('l10n/bundle.l10n.json is up to date with src/extension (run `npm run l10n`)', () => {
  const bundle = extractBundle() as Record<string, string>;
  assert.ok(bundle['The model file {0} does not exist. Download QwQ-32B, or select another GGUF file (setting qwq.model).']);
  assert.ok(bundle['Manage Workspace Trust']);
  assert.equal(readFileSync(bundlePath, 'utf8'), bundleText(bundle));
});
