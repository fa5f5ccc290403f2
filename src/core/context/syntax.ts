// Counts syntax errors with tree-sitter's error recovery: the edits engine rejects an edit that adds any.
import { Edit, type Node, type Tree } from 'web-tree-sitter';
import { languageForPath, parserFor, type LanguageId } from './languages';
import { changedSpan, pointAt } from './textSpan';

/** The last tree parsed per file: an edit's check parses the text before, then the text after from it. */
const recent = new Map<string, { id: LanguageId; text: string; tree: Tree }>();
const RECENT_MAX = 4;

/** ERROR and MISSING nodes in `text` parsed as `filePath`'s language; undefined for an unsupported language. */
export async function countSyntaxErrors(filePath: string, text: string): Promise<number | undefined> {
  const id = languageForPath(filePath);
  if (!id) return undefined;
  const parser = await parserFor(id);
  const prev = recent.get(filePath);
  if (prev?.id === id && prev.text === text) return countErrorNodes(prev.tree.rootNode);
  // Incremental: tree-sitter reuses the unchanged subtrees of the previous parse (the same result as a full parse).
  let old: Tree | undefined;
  if (prev?.id === id) {
    old = prev.tree.copy();
    const { start, oldEnd, newEnd } = changedSpan(prev.text, text);
    old.edit(new Edit({ startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition: pointAt(prev.text, start), oldEndPosition: pointAt(prev.text, oldEnd), newEndPosition: pointAt(text, newEnd) }));
  }
  const tree = parser.parse(text, old);
  old?.delete();
  if (!tree) return undefined;
  remember(filePath, { id, text, tree });
  return countErrorNodes(tree.rootNode);
}

function remember(filePath: string, entry: { id: LanguageId; text: string; tree: Tree }): void {
  recent.get(filePath)?.tree.delete();
  recent.delete(filePath);
  recent.set(filePath, entry);
  for (const [k, v] of recent) {
    if (recent.size <= RECENT_MAX) break;
    v.tree.delete();
    recent.delete(k);
  }
}

/** Walks only subtrees that contain an error (hasError), so a clean file costs one check. */
export function countErrorNodes(root: Node): number {
  if (!root.hasError) return 0;
  let count = 0;
  const cursor = root.walk();
  try {
    let descend = true;
    for (;;) {
      const node = cursor.currentNode;
      if (descend) {
        if (node.isError) count++;
        else if (node.isMissing) count++;
      }
      // An ERROR node's children are the tokens it swallowed: count the node once, not its contents.
      if (descend && node.hasError && !node.isError && cursor.gotoFirstChild()) continue;
      if (cursor.gotoNextSibling()) { descend = true; continue; }
      if (!cursor.gotoParent()) break;
      descend = false;
      if (cursor.currentNode.equals(root)) break;
    }
  } finally {
    cursor.delete();
  }
  return count;
}
