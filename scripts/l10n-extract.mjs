// Collects the user-facing strings of src/extension and src/webview (the panel translates with @vscode/l10n and
// the bundle the extension passes it) into l10n/bundle.l10n.json, the English bundle that
// VS Code's l10n uses as the key set for translations (package.json "l10n": "./l10n").
// A string counts when it is the first argument of l10n.t(…) or vscode.l10n.t(…); it must be a literal, so
// a translator can see it (a computed message is an error here, not a silent gap). The core's message table
// (src/core/verify/messages.ts: the verdict sentences, which l10n.say renders) adds its templates.
// Why not @vscode/l10n-dev's `export` (measured 2026-12 on this tree, l10n-dev 0.0.35): it recognises only
// `vscode.l10n.t` and `l10n.t` imported from '@vscode/l10n', so it found 115 of our 249 messages (the pure
// modules and the webview call through their own `l10n` wrappers, which unit tests load without VS Code); it
// took 6.8 s against 3.4 s here, and it would add 101 packages (89 MB) to the dev dependencies.
//   node scripts/l10n-extract.mjs           writes the bundle
//   node scripts/l10n-extract.mjs --check   exits 1 when the bundle is out of date
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const root = join(fileURLToPath(import.meta.url), '..', '..');
export const bundlePath = join(root, 'l10n', 'bundle.l10n.json');

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** True for `l10n.t` and `vscode.l10n.t`. */
function isL10nT(callee) {
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 't') return false;
  const owner = callee.expression;
  return (ts.isIdentifier(owner) && owner.text === 'l10n') || (ts.isPropertyAccessExpression(owner) && owner.name.text === 'l10n');
}

/** The messages of one source text; throws on an l10n.t call whose message is not a literal. */
export function messagesIn(fileName, text) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isCallExpression(node) && isL10nT(node.expression) && node.arguments.length > 0) {
      const arg = node.arguments[0];
      if (!ts.isStringLiteral(arg) && !ts.isNoSubstitutionTemplateLiteral(arg)) {
        const { line } = sf.getLineAndCharacterOfPosition(arg.getStart());
        throw new Error(`${fileName}:${line + 1}: l10n.t needs a literal message (use {0} placeholders), got ${arg.getText()}`);
      }
      found.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

export const coreTablePath = join(root, 'src', 'core', 'verify', 'messages.ts');

/**
 * The English templates of the core's message table (`export const VERDICT_MESSAGES = { id: '…', … }`): the
 * extension and the panel translate them by template (l10n.say), so each is a key of the bundle too. Every
 * entry must be a literal, like an l10n.t message.
 */
export function tableTemplates(fileName, text) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  let found;
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText(sf) === 'VERDICT_MESSAGES' && node.initializer) {
      const init = ts.isAsExpression(node.initializer) ? node.initializer.expression : node.initializer;
      if (!ts.isObjectLiteralExpression(init)) throw new Error(`${fileName}: VERDICT_MESSAGES must be an object literal`);
      found = init.properties.map((p) => {
        if (ts.isPropertyAssignment(p) && (ts.isStringLiteral(p.initializer) || ts.isNoSubstitutionTemplateLiteral(p.initializer))) return p.initializer.text;
        const { line } = sf.getLineAndCharacterOfPosition(p.getStart(sf));
        throw new Error(`${fileName}:${line + 1}: a message table entry needs a literal template, got ${p.getText(sf)}`);
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (!found) throw new Error(`${fileName}: no VERDICT_MESSAGES table`);
  return found;
}

/** The bundle for the current sources: every message mapped to itself, sorted. */
export function extractBundle(srcDirs = [join(root, 'src', 'extension'), join(root, 'src', 'webview')], tables = [coreTablePath]) {
  const all = new Set();
  for (const f of [srcDirs].flat().flatMap(tsFiles)) for (const m of messagesIn(relative(root, f), readFileSync(f, 'utf8'))) all.add(m);
  for (const f of tables) for (const m of tableTemplates(relative(root, f), readFileSync(f, 'utf8'))) all.add(m);
  return Object.fromEntries([...all].sort().map((m) => [m, m]));
}

export function bundleText(bundle) {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = bundleText(extractBundle());
  if (process.argv.includes('--check')) {
    let current = '';
    try { current = readFileSync(bundlePath, 'utf8'); } catch { /* missing counts as stale */ }
    if (current !== text) {
      console.error('l10n/bundle.l10n.json is out of date: run `npm run l10n`');
      process.exit(1);
    }
    console.log(`l10n: ${Object.keys(JSON.parse(text)).length} messages, bundle up to date`);
  } else {
    mkdirSync(join(root, 'l10n'), { recursive: true });
    writeFileSync(bundlePath, text);
    console.log(`l10n: wrote ${Object.keys(JSON.parse(text)).length} messages to ${relative(root, bundlePath)}`);
  }
}
