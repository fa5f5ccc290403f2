// The context engine's queries (src/core/context/queries, copied to out/queries). Grammar loading is
// src/core/syntax's (shared with the verifier's patch audit); its names are re-exported here for the engine.
import { Query } from 'web-tree-sitter';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { loadLanguage, type LanguageId } from '../syntax';

export { languageForPath, supportedExtensions, loadLanguage, parserFor, languageFamily, type LanguageId } from '../syntax';

// This module's directory is src/core/context from source and out/ once bundled: both hold a `queries`
// directory. (__filename, not __dirname: tsx's ESM loader sets only the former reliably.)
const here = dirname(__filename);

export function queriesDir(): string {
  return join(here, 'queries');
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
