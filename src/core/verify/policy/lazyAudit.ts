// The audit parses the patch with tree-sitter (web-tree-sitter, the grammars): its module loads with the first audit,
// which runs once the first test process started (verifyChanges), so the CLI's verify compiles none of it before.
import type { auditPatch as audit } from './audit';

/** audit.ts's auditPatch, loaded on first use; a module that cannot load rejects (the verdict is then an error). */
export async function auditPatch(...args: Parameters<typeof audit>): ReturnType<typeof audit> {
  return (await import('./audit')).auditPatch(...args);
}
