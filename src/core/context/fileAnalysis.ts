// What the index keeps per file: its tags and imports, computed from one parse.
import { createHash } from 'node:crypto';
import type { Tree } from 'web-tree-sitter';
import type { LanguageId } from './languages';
import { parserFor } from './languages';
import { extractImports, type ImportRecord } from './imports';
import { extractTags, type Tag } from './tags';

export interface FileAnalysis {
  lang: LanguageId;
  /** sha1 of the content. */
  hash: string;
  tags: Tag[];
  imports: ImportRecord[];
}

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export async function analyzeTree(lang: LanguageId, tree: Tree, text: string, hash = contentHash(text)): Promise<FileAnalysis> {
  const [tags, imports] = await Promise.all([extractTags(lang, tree, text), extractImports(lang, tree)]);
  return { lang, hash, tags, imports };
}

/** Parses and analyzes `text`; the tree is freed before returning. */
export async function analyzeText(lang: LanguageId, text: string, hash?: string): Promise<FileAnalysis> {
  const parser = await parserFor(lang);
  const tree = parser.parse(text);
  if (!tree) return { lang, hash: hash ?? contentHash(text), tags: [], imports: [] };
  try {
    return await analyzeTree(lang, tree, text, hash);
  } finally {
    tree.delete();
  }
}
