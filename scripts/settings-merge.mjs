// Merging the launcher's settings into a kept profile's settings.json without losing the user's.
// `npm start` keeps its code-server profile between runs; the user changes settings there (a model, ghost text,
// rounds, workspace trust). The launcher's own keys are defaults: a key is written only when it is absent, or
// when it still holds the value the launcher wrote last time (the launcher may change its defaults). A value
// the user set, or changed, is never touched; comments and formatting survive (jsonc-parser edits the text).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { applyEdits, modify, parse } from 'jsonc-parser';

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

/** Which keys (and values) the launcher wrote last time, kept beside the settings file. */
function ledgerPath(settingsPath) {
  return `${settingsPath}.qwq-launcher.json`;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Pure: `text` (a settings.json, JSON with comments) with `ours` merged in. `previous` is what the launcher
 * wrote last time (key → value). Returns the new text and the new ledger (the keys the launcher owns now).
 */
export function mergeSettingsText(text, ours, previous = {}) {
  const errors = [];
  const current = text.trim() ? parse(text, errors, { allowTrailingComma: true }) : {};
  if (errors.length || current === null || typeof current !== 'object' || Array.isArray(current)) {
    throw new Error('settings.json is not a JSON object; fix it or move it away (nothing was changed)');
  }
  let out = text.trim() ? text : '{}\n';
  const ledger = {};
  for (const [key, value] of Object.entries(ours)) {
    const present = Object.prototype.hasOwnProperty.call(current, key);
    const stillOurs = present && Object.prototype.hasOwnProperty.call(previous, key) && same(current[key], previous[key]);
    if (present && !stillOurs) continue; // the user's value
    if (!present || !same(current[key], value)) out = applyEdits(out, modify(out, [key], value, FORMAT));
    ledger[key] = value;
  }
  return { text: out, ledger };
}

/** Merges `ours` into the settings file at `path` (created when missing); see mergeSettingsText. */
export function mergeSettingsFile(path, ours) {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  let previous = {};
  try { previous = JSON.parse(readFileSync(ledgerPath(path), 'utf8')); } catch { /* first run, or an older launcher */ }
  const merged = mergeSettingsText(text, ours, previous);
  if (merged.text !== text) writeFileSync(path, merged.text);
  writeFileSync(ledgerPath(path), `${JSON.stringify(merged.ledger, null, 2)}\n`);
  return merged;
}
