// Counts syntax errors with tree-sitter's error recovery: the edits engine rejects an edit that adds any.
import type { Node } from 'web-tree-sitter';
import { languageForPath, parserFor } from './languages';

/** ERROR and MISSING nodes in `text` parsed as `filePath`'s language; undefined for an unsupported language. */
export async function countSyntaxErrors(filePath: string, text: string): Promise<number | undefined> {
  const id = languageForPath(filePath);
  if (!id) return undefined;
  const parser = await parserFor(id);
  const tree = parser.parse(text);
  if (!tree) return undefined;
  try {
    return countErrorNodes(tree.rootNode);
  } finally {
    tree.delete();
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
