// Which tree-sitter grammar parses which file, and where its .wasm lives at runtime: the one grammar loader,
// shared by the context engine and the verifier's patch audit (docs/architecture.md §1, zone core/syntax).
// Grammars come from npm packages that load in web-tree-sitter 0.27 (docs/architecture.md §3). Bundled builds find
// them in out/grammars (copied by scripts/build.mjs, shipped in the .vsix); running from source finds
// them in node_modules.
import { Parser, Language } from 'web-tree-sitter';
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

// out/ once bundled (it holds grammars/). (__filename, not __dirname: tsx's ESM loader sets only the former reliably.)
const here = dirname(__filename);

function grammarPath(id: LanguageId): string {
  const g = grammars[id];
  const bundled = join(here, 'grammars', basename(g.file));
  if (existsSync(bundled)) return bundled;
  return join(dirname(createRequire(__filename).resolve(`${g.pkg}/package.json`)), g.file);
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

/** Languages whose files can reference each other's definitions (a .ts file calls into .js, .cpp into .h). */
export function languageFamily(filePath: string): string | undefined {
  const id = languageForPath(filePath);
  if (id === 'typescript' || id === 'tsx' || id === 'javascript') return 'js';
  if (id === 'c' || id === 'cpp') return 'c';
  return id;
}
