// The programs that start a test run on the host (bwrap; sandbox-exec and /bin/sh are fixed paths) are found
// once, as absolute paths, and never through the run's PATH: that one starts with the workspace's
// node_modules/.bin (npm-script semantics), and a dependency's bin named `bwrap` would run outside the sandbox
// (docs/architecture.md §5, "Isolation"). Even the PATH qwq-coder was started with may name the workspace: a
// relative entry (`.`, `node_modules/.bin`) is the current folder's, and direnv adds the project's own folders.
// So a launcher comes only from an absolute entry outside every node_modules, the workspace and the folder where
// shadows are made.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve, sep } from 'node:path';

/** The shell that reads a test command line (never a `sh` found on the run's PATH). */
export const SYSTEM_SHELL = '/bin/sh';

/** macOS's Seatbelt launcher (sandbox.ts checks that it exists). */
export const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

const inside = (p: string, root: string): boolean => p === root || p.startsWith(root === sep ? root : root + sep);

/** Pure: whether a workspace may control what lies at `p`: relative, in a node_modules folder, or inside one of `untrusted`. */
export function untrustedPath(p: string, untrusted: readonly string[]): boolean {
  if (!isAbsolute(p)) return true;
  const n = resolve(p);
  return n.split(sep).includes('node_modules') || untrusted.some((u) => isAbsolute(u) && inside(n, resolve(u)));
}

/** Pure: the folders a launcher may come from, in the PATH's order. */
export function trustedSearchDirs(pathVar: string | undefined, untrusted: readonly string[]): string[] {
  // An empty entry means the current folder, like '.'.
  const dirs = (pathVar ?? '').split(delimiter).filter((d) => d !== '' && !untrustedPath(d, untrusted));
  return [...new Set(dirs.map((d) => resolve(d)))];
}

const real = (p: string): string => { try { return realpathSync(p); } catch { return resolve(p); } };

/**
 * The absolute real path of the first executable `name` in trustedSearchDirs, or undefined. A link from a
 * trusted folder into the workspace (or a node_modules) is skipped like the folder itself would be.
 */
export function findLauncher(name: string, untrusted: readonly string[], pathVar: string | undefined = process.env.PATH): string | undefined {
  const roots = [...untrusted, ...untrusted.filter(isAbsolute).map(real)];
  for (const dir of trustedSearchDirs(pathVar, roots)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      const target = realpathSync(file);
      if (statSync(target).isFile() && !untrustedPath(target, roots)) return target;
    } catch { /* not here */ }
  }
  return undefined;
}

/** The bwrap for runs on `workspace` (undefined: none that may be trusted, which reads as "bwrap is missing"). */
export function bwrapFor(workspace?: string, shadowParent: string = tmpdir()): string | undefined {
  return findLauncher('bwrap', workspace ? [workspace, shadowParent] : [shadowParent]);
}
