// A multi-file unified diff (as unifiedDiff() writes it) back into per-file patches, and one file's patch
// applied to a text. jsdiff does the parsing and applying.
import { applyPatch, parsePatch, type StructuredPatch } from 'diff';

export interface FilePatch {
  /** Workspace-relative path, forward slashes. */
  path: string;
  created: boolean;
  deleted: boolean;
  patch: StructuredPatch;
}

function stripPrefix(name: string | undefined): string | undefined {
  if (!name || name === '/dev/null') return undefined;
  return name.replace(/^[ab]\//, '');
}

/** Splits a (multi-file) unified diff: `a/path` → `b/path`, /dev/null for new or deleted files. */
export function splitPatchByFile(diff: string): FilePatch[] {
  if (diff.trim() === '') return [];
  return parsePatch(diff).flatMap((p) => {
    const oldPath = stripPrefix(p.oldFileName);
    const newPath = stripPrefix(p.newFileName);
    const path = newPath ?? oldPath;
    if (!path) return [];
    return [{ path, created: oldPath === undefined, deleted: newPath === undefined, patch: p }];
  });
}

/** The text after the patch, or undefined when the patch does not apply to `base` (the file moved on). */
export function applyFilePatch(base: string, fp: FilePatch): string | undefined {
  if (fp.deleted) return '';
  const out = applyPatch(fp.created ? '' : base, fp.patch);
  return out === false ? undefined : out;
}
