// Lint. The layer rule comes first: docs/architecture.md §1 explains the zones and why.
// `qwq/layers` resolves every relative import (static, dynamic, `export … from`, `import('…')` types, require)
// to the file it names, finds the zone of both ends, and reports an arrow the table below does not allow.
// Bare module names are checked only where a zone forbids them ('vscode', Node built-ins in the browser).
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { messages } from './scripts/lint/messages.mjs';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * The zones, most specific first, and what each may import besides its own files. A file outside every zone
 * (tests, scripts, bench) may import anything; an import that resolves outside every zone (package.json,
 * a test fixture) is allowed.
 */
export const ZONES = [
  // hostPrograms is an entry of its own: it needs Node's fs, and the index stays free of Node.
  { name: 'core/util', dir: 'src/core/util', may: [], entries: ['index', 'types', 'hostPrograms'] },
  // The core's sentences the UI shows (one table of id → English template): pure, imports nothing, and the panel's
  // browser bundle loads it through the protocol, so no Node and no package.
  { name: 'core/messages', dir: 'src/core/messages', may: [], browser: true, packages: [] },
  { name: 'core/edits', dir: 'src/core/edits', may: ['core/util'] },
  { name: 'core/syntax', dir: 'src/core/syntax', may: ['core/util'] },
  // isVerified (policy/verified.ts) is an entry of its own: the webview's bundle calls it, and the index would pull
  // the verifier's Node code into a browser bundle.
  // staleRuns is one too: the CLI's process sweeps and removes run folders at every start without loading the verifier.
  { name: 'core/verify', dir: 'src/core/verify', may: ['core/util', 'core/messages', 'core/edits', 'core/syntax'], entries: ['index', 'types', 'policy/verified', 'staleRuns'] },
  // walk, syntax and importGraph are entries too: the verifier's callers (the CLI's verify, verifyPatch) list files, check
  // syntax and build the import graph without loading the engine (symbol index, tags, member resolution).
  { name: 'core/context', dir: 'src/core/context', may: ['core/util', 'core/syntax'], entries: ['index', 'types', 'walk', 'syntax', 'importGraph'] },
  { name: 'core/model', dir: 'src/core/model', may: ['core/util'] },
  // The agent's event types are its types entry (events.ts): the protocol names them.
  // verifyPatch is an entry as well: the CLI's verify loads it without the agent loop, the model and the tool schemas.
  { name: 'core/agent', dir: 'src/core/agent', may: ['core/util', 'core/messages', 'core/edits', 'core/syntax', 'core/verify', 'core/context', 'core/model'], entries: ['index', 'events', 'verifyPatch'] },
  // Shared by the extension and the webview's browser bundle: no Node, and of the packages only valibot (schemas).
  { name: 'protocol', dir: 'src/protocol', may: ['core/*'], browser: true, packages: ['valibot'] },
  // A browser bundle: of the packages, only those written for the browser.
  { name: 'webview', dir: 'src/webview', may: ['protocol'], browser: true, packages: ['@vscode/l10n', 'lit-html'] },
  { name: 'cli', dir: 'src/cli', may: ['core/*', 'protocol'] },
  { name: 'extension', dir: 'src/extension', may: ['core/*', 'protocol'], vscode: true },
];
const CORE_ZONES = ZONES.filter((z) => z.name.startsWith('core/')).map((z) => z.name);

function zoneOf(file) {
  const rel = relative(root, file).split(sep).join('/');
  return ZONES.find((z) => rel === z.dir || rel.startsWith(`${z.dir}/`));
}

/**
 * What a zone offers to others: its index, and its types.ts (type definitions only), so a consumer that only
 * names types does not pull the zone's code into its type program (the webview's stays free of Node).
 */
const DEFAULT_ENTRIES = ['index', 'types'];

/** Whether `target` (an absolute path without extension, as imported) is its zone's entry: the folder or its index. */
function isZoneEntry(zone, target) {
  const rel = relative(root, target).split(sep).join('/').replace(/\.(ts|js|mjs)$/, '');
  return rel === zone.dir || (zone.entries ?? DEFAULT_ENTRIES).some((e) => rel === `${zone.dir}/${e}`);
}

/** The package a bare import names: `@scope/name` or `name` (subpaths dropped). */
function packageOf(source) {
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function allowed(from, to) {
  if (from.name === to.name) return true;
  return from.may.some((m) => m === to.name || (m === 'core/*' && CORE_ZONES.includes(to.name)));
}

const NODE_BUILTINS = new Set(builtinModules);

const layers = {
  meta: {
    type: 'problem',
    fixable: 'code',
    docs: { description: 'Imports follow the layer arrows of docs/architecture.md §1.' },
    schema: [],
    messages: {
      upward: "{{from}} must not import {{to}} ('{{source}}'): only {{allowed}}. See docs/architecture.md §1.",
      deep: "{{from}} imports '{{source}}', a file inside {{to}}: import {{to}} through its index (or its types file), which is what the zone offers to others. See docs/architecture.md §1.",
      package: "{{from}} runs in the browser and may import only the packages {{allowed}}, not '{{source}}'. See docs/architecture.md §1.",
      noZone: "{{file}} is in no zone: every file under src/ belongs to one of {{zones}}. See docs/architecture.md §1.",
      vscode: "{{from}} must not import 'vscode': the VS Code API belongs in src/extension, so this code runs under node:test and the CLI. See docs/architecture.md §1.",
      node: "{{from}} runs in the browser and must not import the Node built-in '{{source}}'. See docs/architecture.md §1.",
    },
  },
  create(context) {
    const file = context.filename;
    const from = zoneOf(file);
    if (!from) {
      const rel = relative(root, file).split(sep).join('/');
      if (!rel.startsWith('src/')) return {};
      return { Program: (node) => context.report({ node, messageId: 'noZone', data: { file: rel, zones: ZONES.map((z) => z.dir).join(', ') } }) };
    }
    /** The import path of `to`'s index as seen from this file (`../../core/util`). */
    const entryPath = (to) => {
      const rel = relative(dirname(file), join(root, to.dir)).split(sep).join('/');
      return rel.startsWith('.') ? rel : `./${rel}`;
    };
    const check = (node, source, literal) => {
      if (typeof source !== 'string') return;
      if (!source.startsWith('.')) {
        if (source === 'vscode' && !from.vscode) context.report({ node, messageId: 'vscode', data: { from: from.dir } });
        else if (from.browser && (source.startsWith('node:') || NODE_BUILTINS.has(source.split('/')[0]))) context.report({ node, messageId: 'node', data: { from: from.dir, source } });
        else if (from.packages && !from.packages.includes(packageOf(source))) context.report({ node, messageId: 'package', data: { from: from.dir, source, allowed: from.packages.join(', ') } });
        return;
      }
      const target = resolve(dirname(file), source);
      const to = zoneOf(target);
      if (!to || to.name === from.name) return;
      if (allowed(from, to)) {
        if (isZoneEntry(to, target)) return;
        // The fix points the import at the index; if the index does not export the names yet, the type check says so.
        const fix = literal ? (fixer) => fixer.replaceText(literal, `'${entryPath(to)}'`) : undefined;
        context.report({ node, messageId: 'deep', data: { from: from.dir, to: to.dir, source }, fix });
        return;
      }
      const list = [from.name, ...from.may].map((m) => (m === 'core/*' ? 'src/core' : ZONES.find((z) => z.name === m)?.dir ?? m));
      context.report({ node, messageId: 'upward', data: { from: from.dir, to: to.dir, source, allowed: list.join(', ') } });
    };
    const literal = (n) => (n && n.type === 'Literal' ? n.value : n && n.type === 'TemplateLiteral' && n.expressions.length === 0 ? n.quasis[0].value.cooked : undefined);
    return {
      ImportDeclaration: (n) => check(n, n.source.value, n.source),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value, n.source),
      ExportAllDeclaration: (n) => check(n, n.source.value, n.source),
      ImportExpression: (n) => check(n, literal(n.source)),
      TSImportType: (n) => check(n, literal(n.argument?.literal ?? n.argument)),
      TSExternalModuleReference: (n) => check(n, literal(n.expression)),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments.length === 1) check(n, literal(n.arguments[0]));
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['out/**', 'media/**', 'node_modules/**', '.tools/**', '.tools.*/**', 'test-results/**', 'test/fixtures/workspaces/**', 'test/fixtures/generated/**', 'test/fixtures/context/langs/**', '.bench-data/**', '.qwq-cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx', 'src/**/*.mts', 'src/**/*.js', 'src/**/*.mjs'],
    plugins: { qwq: { rules: { layers, messages } } },
    rules: { 'qwq/layers': 'error', 'qwq/messages': 'error' },
  },
  {
    // The adapter stays a set of small functions: wiring that grows past a screen belongs in a feature module.
    files: ['src/extension/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
);
