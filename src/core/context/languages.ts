// Which tree-sitter grammar parses which file, and where its .wasm and tags query live at runtime.
// Grammars come from npm packages that load in web-tree-sitter 0.27 (docs/architecture.md §3). Bundled builds find
// them in out/grammars (copied by scripts/build.mjs, shipped in the .vsix); running from source finds
// them in node_modules. Queries are ours (src/core/context/queries, copied to out/queries).
import { Parser, Language, Query } from 'web-tree-sitter';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname, extname, basename } from 'node:path';
import grammarTable from './grammars.json';

export type LanguageId =
  | 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'rust' | 'java' | 'c' | 'cpp' | 'csharp' | 'ruby' | 'php';

interface GrammarSource {
  /** npm package and the wasm file inside it. */
  pkg: string;
  file: string;
}

// grammars.json is shared with scripts/build.mjs, which copies each wasm to out/grammars/<basename>.
// C#, Ruby and PHP come from VS Code's own grammar build (no official package with a working wasm).
const grammars: Record<LanguageId, GrammarSource> = grammarTable;

const byExtension: Record<string, LanguageId> = {
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascript',
  '.py': 'python', '.pyi': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  '.c': 'c', '.h': 'c',
  '.cc': 'cpp', '.cpp': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp', '.hh': 'cpp', '.hxx': 'cpp', '.c++': 'cpp', '.h++': 'cpp',
  '.cs': 'csharp',
  '.rb': 'ruby',
  '.php': 'php',
};

export function languageForPath(filePath: string): LanguageId | undefined {
  return byExtension[extname(filePath).toLowerCase()];
}

export const supportedExtensions = Object.keys(byExtension);

// This module's directory is src/core/context from source and out/ once bundled: both hold a `queries`
// directory. (__filename, not __dirname: tsx's ESM loader sets only the former reliably.)
const here = dirname(__filename);

function grammarPath(id: LanguageId): string {
  const g = grammars[id];
  const bundled = join(here, 'grammars', basename(g.file));
  if (existsSync(bundled)) return bundled;
  return join(dirname(createRequire(__filename).resolve(`${g.pkg}/package.json`)), g.file);
}

export function queriesDir(): string {
  return join(here, 'queries');
}

let initOnce: Promise<void> | undefined;
const languages = new Map<LanguageId, Promise<Language>>();

function init(): Promise<void> {
  initOnce ??= Parser.init();
  return initOnce;
}

export async function loadLanguage(id: LanguageId): Promise<Language> {
  let p = languages.get(id);
  if (!p) {
    p = init().then(() => Language.load(readFileSync(grammarPath(id))));
    languages.set(id, p);
    p.catch(() => languages.delete(id));
  }
  return p;
}

const parsers = new Map<LanguageId, Parser>();

/** One parser per language, reused: parsing is synchronous, so sharing is safe on one thread. */
export async function parserFor(id: LanguageId): Promise<Parser> {
  const language = await loadLanguage(id);
  let parser = parsers.get(id);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(language);
    parsers.set(id, parser);
  }
  return parser;
}

/** The text of our query `<name>.scm` for a language, undefined when we ship none. A first line
 * `; inherits: a, b` prepends those languages' query of the same name (as nvim-treesitter does), so a
 * grammar that extends another (TSX over TypeScript) lists only what it adds. */
export function querySource(id: string, name: string, seen: ReadonlySet<string> = new Set()): string | undefined {
  const file = join(queriesDir(), id, `${name}.scm`);
  if (!existsSync(file) || seen.has(id)) return undefined;
  const own = readFileSync(file, 'utf8');
  const parents = /^; inherits: *(.+)$/m.exec(own.split('\n', 1)[0] ?? '')?.[1].split(',').map((p) => p.trim()).filter(Boolean) ?? [];
  const inherited = parents.map((p) => querySource(p, name, new Set([...seen, id]))).filter((t) => t !== undefined);
  return [...inherited, own].join('\n');
}

const queries = new Map<string, Promise<Query | undefined>>();

/** Our query `<name>.scm` for a language (e.g. tags, imports); undefined when we ship none. Cached for
 * the process: queries are compiled once and live as long as their language. */
export function loadQuery(id: LanguageId, name: 'tags' | 'imports' | 'scopes'): Promise<Query | undefined> {
  const key = `${id}/${name}`;
  let q = queries.get(key);
  if (!q) {
    q = loadLanguage(id).then((language) => {
      const source = querySource(id, name);
      return source === undefined ? undefined : new Query(language, source);
    });
    queries.set(key, q);
  }
  return q;
}

/** The tags and imports queries compiled as one, so a file's tree is walked by one query cursor instead of
 * two (the imports query alone cost about as much as a second full walk). Its import patterns are the ones
 * with an `@import` capture. Undefined when the language has neither query. */
export function loadAnalysisQuery(id: LanguageId): Promise<Query | undefined> {
  const key = `${id}/analysis`;
  let q = queries.get(key);
  if (!q) {
    q = loadLanguage(id).then((language) => {
      const parts = (['tags', 'imports'] as const).map((n) => querySource(id, n)).filter((t) => t !== undefined);
      return parts.length ? new Query(language, parts.join('\n')) : undefined;
    });
    queries.set(key, q);
  }
  return q;
}

/** Languages whose files can reference each other's definitions (a .ts file calls into .js, .cpp into .h). */
export function languageFamily(filePath: string): string | undefined {
  const id = languageForPath(filePath);
  if (id === 'typescript' || id === 'tsx' || id === 'javascript') return 'js';
  if (id === 'c' || id === 'cpp') return 'c';
  return id;
}
