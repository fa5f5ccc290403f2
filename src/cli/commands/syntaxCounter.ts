// The tree-sitter syntax check for apply/verify comes from the context engine (docs/architecture.md §3). Its module
// (and web-tree-sitter) loads on the first file checked, not before: verifyPatch checks only once the baseline's
// process started. A module or grammar that fails to load degrades to "no syntax check" instead of breaking the command.
import type { SyntaxErrorCounter } from '../../core/edits';
import { loadOnce } from '../../core/util';

/** The context engine's counter; undefined (kept: no syntax check) when its module cannot load. */
const counter = loadOnce(() => import('../../core/context/syntax').then((m) => m.countSyntaxErrors, () => undefined));

export function lazySyntaxErrorCounter(): SyntaxErrorCounter {
  return async (filePath, text) => {
    const count = await counter();
    try { return await count?.(filePath, text); } catch { return undefined; }
  };
}
