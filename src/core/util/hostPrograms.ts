// The programs qwq-coder starts on the host (bwrap for a test run, git for the context engine's listing) are
// found as absolute real paths, never through a PATH the workspace can control (docs/architecture.md §5,
// "Isolation"). A test run's PATH starts with the workspace's node_modules/.bin (npm-script semantics), and even
// the PATH qwq-coder was started with may name the workspace: a relative entry (`.`, `node_modules/.bin`) or an
// empty one is the current folder's, which is the workspace for git and for the CLI, and direnv adds the
// project's own folders. So a program comes only from an absolute entry outside every node_modules and the
// folders named untrusted (the workspace; the folder where shadows are made), and not through a link into them.
// Not in the core/util index: Node's fs here must not reach the browser bundles that may one day use the index.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve, sep } from 'node:path';

const inside = (p: string, root: string): boolean => p === root || p.startsWith(root === sep ? root : root + sep);

/** Pure: whether a workspace may control what lies at `p`: relative, in a node_modules folder, or inside one of `untrusted`. */
export function untrustedPath(p: string, untrusted: readonly string[]): boolean {
  if (!isAbsolute(p)) return true;
  const n = resolve(p);
  return n.split(sep).includes('node_modules') || untrusted.some((u) => isAbsolute(u) && inside(n, resolve(u)));
}

/** Pure: the folders a host program may come from, in the PATH's order. */
export function trustedSearchDirs(pathVar: string | undefined, untrusted: readonly string[]): string[] {
  // An empty entry means the current folder, like '.'.
  const dirs = (pathVar ?? '').split(delimiter).filter((d) => d !== '' && !untrustedPath(d, untrusted));
  return [...new Set(dirs.map((d) => resolve(d)))];
}

const real = (p: string): string => { try { return realpathSync(p); } catch { return resolve(p); } };

/** The untrusted folders as given and as real paths (a workspace reached through a link is still the workspace). */
const withRealPaths = (untrusted: readonly string[]): string[] => [...untrusted, ...untrusted.filter(isAbsolute).map(real)];

/**
 * The absolute real path of the first executable `name` in trustedSearchDirs, or undefined. A link from a
 * trusted folder into the workspace (or a node_modules) is skipped like the folder itself would be.
 */
export function findHostProgram(name: string, untrusted: readonly string[], pathVar: string | undefined = process.env.PATH): string | undefined {
  const roots = withRealPaths(untrusted);
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

/**
 * The PATH to hand a host program started for `untrusted` folders: only the trusted entries, so a program that is
 * a wrapper script (a `git` shim) and looks its next program up again does not find the workspace's either.
 */
export function trustedPathVar(untrusted: readonly string[], pathVar: string | undefined = process.env.PATH): string {
  return trustedSearchDirs(pathVar, withRealPaths(untrusted)).join(delimiter);
}

/** The folders a workspace controls, for host programs started on it: itself and where its shadow copies are made. */
export const workspaceControlled = (workspace: string | undefined, shadowParent: string = tmpdir()): string[] =>
  workspace ? [workspace, shadowParent] : [shadowParent];

/**
 * findHostProgram for a program started on `workspace` (looked up each time: a few stat calls, cheaper than the
 * program's start, and never stale). Undefined: none that may be trusted; the caller goes on without it as if it
 * were not installed.
 */
export const hostProgramFor = (name: string, workspace: string, pathVar: string | undefined = process.env.PATH): string | undefined =>
  findHostProgram(name, workspaceControlled(workspace), pathVar);
