// The tree-sitter syntax check for apply/verify comes from the context engine (docs/architecture.md §3). Loaded lazily so
// a grammar that fails to load degrades to "no syntax check" instead of breaking the command.
import type { SyntaxErrorCounter } from '../../core/edits';

export async function loadSyntaxErrorCounter(): Promise<SyntaxErrorCounter | undefined> {
  try {
    const { countSyntaxErrors } = await import('../../core/context');
    return async (filePath, text) => {
      try { return await countSyntaxErrors(filePath, text); } catch { return undefined; }
    };
  } catch {
    return undefined;
  }
}
