// Version-control folders are never edit targets. A write to `.git/config` (say, adding `core.fsmonitor`)
// runs a command on the next `git status`; hooks under `.git/hooks` run on commit. No verdict makes that
// safe, so such paths are refused wherever an edit is parsed, applied, verified or written.
//
// A path component counts as such a folder when the file system may treat it as the same name: any case
// (`.GIT` on macOS and Windows), trailing dots or spaces and NTFS stream suffixes (`.git.`, `.git::$INDEX_ALLOCATION`
// on Windows), characters HFS+ ignores (zero-width joiners and the like), and 8.3 short names (`GIT~1`).
// This is the same set of aliases git itself refuses in tree entries (see git's `is_ntfs_dotgit`/`is_hfs_dotgit`).

const VCS_DIRS = ['.git', '.hg', '.svn'];

// Code points that HFS+ ignores when comparing names (git's list in utf8.c: next_hfs_char).
const HFS_IGNORABLE = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

/** The canonical VCS folder name that `component` may stand for, or undefined. */
export function vcsFolderName(component: string): string | undefined {
  let c = component.normalize('NFC').replace(HFS_IGNORABLE, '');
  const colon = c.indexOf(':'); // NTFS alternate data stream: ".git::$INDEX_ALLOCATION" opens ".git"
  if (colon >= 0) c = c.slice(0, colon);
  c = c.replace(/[. ]+$/, '').toLowerCase();
  for (const d of VCS_DIRS) {
    if (c === d) return d;
    // 8.3 short names: "GIT~1" (and "GIT~2" … when several long names start alike).
    if (new RegExp(`^${d.slice(1)}~[1-9]$`).test(c)) return d;
  }
  return undefined;
}

/**
 * The VCS folder a relative or absolute path goes into (or is), e.g. '.git' for 'sub/.GIT/config';
 * undefined for an ordinary path. Both '/' and '\' separate components.
 */
export function vcsFolderIn(path: string): string | undefined {
  for (const part of path.split(/[\\/]+/)) {
    const d = vcsFolderName(part);
    if (d) return d;
  }
  return undefined;
}

/** The refusal message for a path inside a VCS folder, or undefined when the path is ordinary. */
export function vcsRefusal(path: string): string | undefined {
  const d = vcsFolderIn(path);
  if (!d) return undefined;
  return `refused: '${path}' is inside ${d}/, the version-control folder; edits there are never applied (they could change how ${d === '.git' ? 'git' : d === '.hg' ? 'Mercurial' : 'Subversion'} behaves). Edit the project's own files instead`;
}
