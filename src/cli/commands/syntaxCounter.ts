// The tree-sitter syntax check for apply/verify comes from the context engine (docs/architecture.md §3). Its module
// (and web-tree-sitter) loads on the first file checked, not before: verifyPatch checks only once the baseline's
// process started. A module or grammar that fails to load degrades to "no syntax check" instead of breaking the command.
import type { SyntaxErrorCounter } from '../../core/edits';

type CountSyntaxErrors = typeof import('../../core/context/syntax')['countSyntaxErrors'];

export function lazySyntaxErrorCounter(): SyntaxErrorCounter {
  let loading: Promise<CountSyntaxErrors | undefined> | undefined;
  return async (filePath, text) => {
    loading ??= import('../../core/context/syntax').then((m) => m.countSyntaxErrors, () => undefined);
    const count = await loading;
    try { return await count?.(filePath, text); } catch { return undefined; }
  };
}
