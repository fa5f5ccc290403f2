// `npm start` in code-server: the built-in chat is off, so the launcher names where `@qwq` is instead. The notice
// and the setting must not drift apart (issue: a user there could not reach @qwq and nothing said so).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_NOTICE, LAUNCHER_SETTINGS } from '../../../scripts/code-server.mjs';

test('the chat notice matches the launcher setting it explains and names where @qwq works', () => {
  assert.equal(LAUNCHER_SETTINGS['chat.disableAIFeatures'], true);
  assert.match(CHAT_NOTICE, /chat\.disableAIFeatures/);
  assert.match(CHAT_NOTICE, /@qwq/);
  assert.match(CHAT_NOTICE, /desktop VS Code/);
  assert.equal(CHAT_NOTICE.includes('\n'), false, 'one line');
});

test('npm start prints the notice on its code-server path', () => {
  const start = readFileSync(join(import.meta.dirname, '../../../scripts/start.mjs'), 'utf8');
  assert.match(start, /console\.log\(CHAT_NOTICE\)/);
});
