// The copy mode is not sandboxed (docs/architecture.md §5, "Isolation"): after each run we compare the user's
// workspace and the home folder's top level with how they were before it, so a test that wrote there (by an
// absolute path, through /proc/<pid>/cwd…) turns the verdict into an error that names the paths.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Path → type:mode:size:mtime:inode. */
export type Snapshot = Map<string, string>;

const stamp = (abs: string): string | undefined => {
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (!st) return undefined;
  return `${st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : 'f'}:${st.mode}:${st.isDirectory() ? 0 : st.size}:${st.isDirectory() ? 0 : st.mtimeMs}:${st.ino}`;
};

/** Every path under `root` except folders named in `skip` (.git and the like). */
export function treeSnapshot(root: string, skip: ReadonlySet<string>): Snapshot {
  const out: Snapshot = new Map();
  const walk = (rel: string): void => {
    let names: string[];
    try { names = readdirSync(join(root, rel)); } catch { return; }
    for (const n of names) {
      const r = rel ? `${rel}/${n}` : n;
      const s = stamp(join(root, r));
      if (!s) continue;
      if (s.startsWith('d') && skip.has(n)) continue;
      out.set(r, s);
      if (s.startsWith('d')) walk(r);
    }
  };
  walk('');
  return out;
}

/** The home folder's top-level entries. */
export function homeSnapshot(home: string): Snapshot {
  const out: Snapshot = new Map();
  let names: string[] = [];
  try { names = readdirSync(home); } catch { return out; }
  for (const n of names) { const s = stamp(join(home, n)); if (s) out.set(n, s); }
  return out;
}

/** Paths added, removed or changed between two snapshots. */
export function compareSnapshots(before: Snapshot, after: Snapshot): string[] {
  const changed: string[] = [];
  for (const [p, s] of after) if (before.get(p) !== s) changed.push(p);
  for (const p of before.keys()) if (!after.has(p)) changed.push(p);
  return changed.sort();
}
