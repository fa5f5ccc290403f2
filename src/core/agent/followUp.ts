// A follow-up refines an earlier candidate: the agent reads the candidate's texts instead of the user's (an
// overlay), and the new candidate's diff is rebuilt against the user's own text, so the review and the
// verdict cover both edits together.
import { applyFilePatch, splitPatchByFile, unifiedDiff } from '../edits';
import type { WorkspaceFiles } from './ports';

/**
 * Files as the agent sees them in a follow-up: the overlay's texts where it has them. The underlying files are
 * read anyway, so whatever records reads (what Accept checks against) records the user's own text.
 */
export function withOverlay(files: WorkspaceFiles, overlay: ReadonlyMap<string, string>): WorkspaceFiles {
  return {
    root: files.root,
    list: (signal) => files.list(signal),
    read: async (relPath) => {
      const own = await files.read(relPath);
      const o = overlay.get(relPath);
      return o === undefined ? own : o;
    },
  };
}

/**
 * A follow-up's candidate diff (overlay → result) as a diff from the user's text (`userText`, what was read) to
 * the same result. Files the earlier candidate changed and this one left alone still differ from the user's
 * text, so they are part of it. Returns the diff unchanged when it does not apply to the overlay.
 */
export function diffAgainstUser(diff: string, userText: (path: string) => string | undefined, overlay: ReadonlyMap<string, string>): string {
  const changes: { path: string; before: string | undefined; after: string }[] = [];
  for (const fp of splitPatchByFile(diff)) {
    const user = userText(fp.path);
    const after = applyFilePatch(overlay.get(fp.path) ?? user ?? '', fp);
    if (after === undefined) return diff;
    changes.push({ path: fp.path, before: fp.created && user === undefined ? undefined : user ?? '', after });
  }
  for (const [path, text] of overlay) {
    if (changes.some((ch) => ch.path === path)) continue;
    changes.push({ path, before: userText(path), after: text });
  }
  return unifiedDiff(changes.filter((ch) => ch.before !== ch.after));
}
