// The manifest's keybindings and grammars: chords that neither VS Code nor common desktops already use, a `when`
// on every binding, and a log grammar that colours this extension's output channel only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bindings: Array<{ command: string; key: string; mac?: string; when?: string }> = pkg.contributes.keybindings;

// Chords taken elsewhere. ctrl+alt+<letter> is AltGr+<letter> on Windows (German: AltGr+Q is @, AltGr+E is €,
// Polish AltGr+C is ć), GNOME opens a terminal on ctrl+alt+t and X11 kills the session on ctrl+alt+backspace.
const TAKEN = [
  /^ctrl\+alt\+[a-z0-9]$/, /^ctrl\+alt\+(backspace|delete|del|left|right|up|down|enter)$/, /^cmd\+alt\+(c|i|esc|escape)$/,
  /^ctrl\+cmd\+q$/, /^cmd\+(q|w|h|m|tab|space)$/, /^ctrl\+(q|w|p|k|i|n|s|z)$/, /^alt\+(f4|tab|f|e|s|v|g|r|t|h)$/,
];
const firstPart = (chord: string) => chord.split(' ')[0]!;

test('every keybinding has a when clause and a mac variant', () => {
  assert.ok(bindings.length >= 5);
  for (const b of bindings) {
    assert.ok(b.when && b.when.trim().length > 0, `${b.command} has no when clause`);
    assert.ok(b.mac, `${b.command} has no mac key`);
  }
});

test('no binding starts with a chord taken by VS Code, AltGr layouts or the desktop', () => {
  for (const b of bindings) {
    for (const key of [b.key, b.mac!]) {
      const first = firstPart(key);
      assert.ok(!TAKEN.some((re) => re.test(first)), `${b.command}: '${key}' starts with a taken chord`);
    }
  }
  // The old chords are gone.
  assert.ok(!bindings.some((b) => ['ctrl+alt+t', 'ctrl+alt+q', 'ctrl+alt+backspace'].includes(b.key)));
});

test('bindings share one prefix and no two collide', () => {
  const prefixes = new Set(bindings.map((b) => firstPart(b.key)));
  assert.deepEqual([...prefixes], ['alt+q']);
  assert.deepEqual([...new Set(bindings.map((b) => firstPart(b.mac!)))], ['cmd+alt+q']);
  const seen = new Map<string, string>();
  for (const b of bindings) {
    assert.ok(!seen.has(b.key), `${b.key} is bound to ${seen.get(b.key)} and ${b.command}`);
    seen.set(b.key, b.command);
  }
});

test('the log grammar belongs to the extension\'s own log language and is not injected into other logs', () => {
  const grammars: Array<Record<string, unknown>> = pkg.contributes.grammars;
  for (const g of grammars) assert.equal(g.injectTo, undefined, `${g.scopeName} is injected into ${JSON.stringify(g.injectTo)}`);
  const log = grammars.find((g) => g.language === 'qwq-log');
  assert.ok(log, 'no grammar for the qwq-log language');
  assert.ok(pkg.contributes.languages.some((l: { id: string }) => l.id === 'qwq-log'));
  const grammar = JSON.parse(readFileSync(join(root, String(log.path)), 'utf8'));
  assert.equal(grammar.injectionSelector, undefined);
  assert.equal(grammar.scopeName, log.scopeName);
  assert.ok(grammar.patterns.some((p: { include?: string }) => p.include === 'text.log'), 'timestamps and levels keep the log colours');
  // The channel is created with that language.
  assert.match(readFileSync(join(root, 'src/extension/log.ts'), 'utf8'), /LOG_LANGUAGE = 'qwq-log'/);
});
