// The last few trees parsed, shared by every reader of a changed file: verify's syntax check and its audit read
// the same edited text, and a text parsed once serves both (a full parse of a 700-line file costs 10-40 ms,
// on the thread that also feeds the baseline's test process). The cache owns its trees and frees those it drops.
import { Edit, type Tree } from 'web-tree-sitter';
import { parserFor, type LanguageId } from './languages';
import { changedSpan, pointAt } from './textSpan';

/** `fresh`: parsed from scratch. An incremental reparse of damaged text can recover from errors with another tree
 * than a fresh parse would (the same error count, test/unit/syntax/treeCache.test.ts): a reader whose answer
 * depends on the tree's shape asks for a fresh one. */
interface Entry { id: LanguageId; text: string; tree: Tree; fresh: boolean }

// A tree depends only on its language and text, so the key is those two: the syntax check names a file by its
// absolute path and the audit by its workspace-relative one, and they still share. The path only says which
// tree a new version of the file is reparsed from (incremental: tree-sitter reuses the unchanged subtrees).
const entries: Entry[] = []; // least recently used first
const lastByPath = new Map<string, Entry>();
const MAX_TREES = 8;

/** How many parses the cache made (full or incremental) and how many reads it served from a kept tree. */
export interface ParseStats { full: number; incremental: number; reused: number }
const stats: ParseStats = { full: 0, incremental: 0, reused: 0 };

export function parseStats(): ParseStats {
  return { ...stats };
}

export interface TreeRequest {
  /** The file the text is a version of: its next version reparses from this one (tree-sitter reuses the unchanged subtrees). */
  path?: string;
  /** A tree parsed from scratch (what the audit reads), never an incremental reparse. */
  fresh?: boolean;
}

/**
 * Calls `read` with the tree of `text` in language `id`, parsed once however many readers ask (undefined when the
 * parser gives up). `read` runs synchronously and must not keep the tree or its nodes: the cache may free them
 * later (take tree.copy() to keep one).
 */
export async function withTree<R>(id: LanguageId, text: string, read: (tree: Tree) => R, req: TreeRequest = {}): Promise<R | undefined> {
  const parser = await parserFor(id);
  // From here on nothing awaits: no other reader can evict or free the tree before `read` returns.
  const at = entries.findIndex((e) => e.id === id && e.text === text);
  let entry = at === -1 ? undefined : entries.splice(at, 1)[0];
  if (entry && (entry.fresh || !req.fresh)) {
    stats.reused++;
  } else {
    const base = req.fresh || req.path === undefined ? undefined : lastByPath.get(req.path);
    let old: Tree | undefined;
    if (base && base.id === id && entries.includes(base)) {
      old = base.tree.copy();
      const { start, oldEnd, newEnd } = changedSpan(base.text, text);
      old.edit(new Edit({ startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition: pointAt(base.text, start), oldEndPosition: pointAt(base.text, oldEnd), newEndPosition: pointAt(text, newEnd) }));
    }
    let tree: Tree | null;
    try {
      tree = parser.parse(text, old);
    } finally {
      old?.delete();
    }
    if (!tree) {
      if (entry) entries.push(entry);
      return undefined;
    }
    if (old) stats.incremental++;
    else stats.full++;
    if (entry) drop(entry); // an incremental tree, replaced by the fresh one asked for
    entry = { id, text, tree, fresh: !old };
    while (entries.length >= MAX_TREES) drop(entries.shift()!);
  }
  entries.push(entry);
  if (req.path !== undefined) lastByPath.set(req.path, entry);
  return read(entry.tree);
}

function drop(e: Entry): void {
  e.tree.delete();
  for (const [path, at] of lastByPath) if (at === e) lastByPath.delete(path);
}

/** Frees every kept tree and zeroes the counts (tests). */
export function clearTreeCache(): void {
  for (const e of entries.splice(0)) e.tree.delete();
  lastByPath.clear();
  Object.assign(stats, { full: 0, incremental: 0, reused: 0 });
}
