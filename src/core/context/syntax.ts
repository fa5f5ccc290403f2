// Counts syntax errors with tree-sitter's error recovery: the edits engine rejects an edit that adds any.
import type { Node } from 'web-tree-sitter';
import { languageForPath, withTree } from '../syntax';

/**
 * ERROR and MISSING nodes in `text` parsed as `filePath`'s language; undefined for an unsupported language. The tree
 * is the shared cache's (src/core/syntax): the audit of the same change reads it too, and the file's other version
 * (the text before an edit, after the text after it) reparses incrementally from it.
 */
export async function countSyntaxErrors(filePath: string, text: string): Promise<number | undefined> {
  const id = languageForPath(filePath);
  if (!id) return undefined;
  return withTree(id, text, (tree) => countErrorNodes(tree.rootNode), { path: filePath });
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
