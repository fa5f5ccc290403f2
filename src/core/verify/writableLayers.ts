// Writable where tools write, without touching the user's files (docs/architecture.md §5, "Isolation").
// bwrap 0.8.0 has no overlay mounts, so a node_modules is shown as a per-run scratch folder whose entries are
// the user's packages, each bound read-only, plus the cache folders tools write (`.cache`, `.vite`…) as
// writable copies. A tool can create node_modules/.cache/nyc; it cannot change a package. The scratch is
// thrown away after the run.
import { copyFileSync, cpSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Cache folders tools create inside node_modules whatever the environment says: writable copies. */
export const NODE_MODULES_CACHES = new Set(['.cache', '.vite', '.vitest', '.vite-temp', '.nyc_output', '.angular', '.svelte-kit']);

/** A mount inside the sandbox, in the order given: later ones cover earlier ones. */
export interface Mount {
  src: string;
  dest: string;
  ro: boolean;
}

/**
 * Builds the scratch top level for the user's `userDir` (a node_modules) in `scratchDir`, and returns the
 * mounts that show it at `dest`: the scratch read-write, then each package folder read-only inside it. Top-level
 * files are copied and links recreated (pnpm's links then resolve inside the bound `.pnpm`). `warm`, when
 * given, holds earlier caches to start from instead of the user's (see runCaches.ts).
 */
export function nodeModulesLayer(userDir: string, dest: string, scratchDir: string, warm?: string): Mount[] {
  mkdirSync(scratchDir, { recursive: true });
  const mounts: Mount[] = [{ src: scratchDir, dest, ro: false }];
  let names: string[];
  try { names = readdirSync(userDir); } catch { return mounts; }
  for (const n of names) {
    const from = join(userDir, n);
    const to = join(scratchDir, n);
    const st = lstatSync(from, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isSymbolicLink()) { symlinkSync(readlinkSync(from), to); continue; }
    if (st.isFile()) { copyFileSync(from, to); continue; }
    if (!st.isDirectory()) continue;
    if (NODE_MODULES_CACHES.has(n)) continue; // below: a writable copy
    mkdirSync(to);
    mounts.push({ src: from, dest: join(dest, n), ro: true });
  }
  for (const c of NODE_MODULES_CACHES) {
    const src = warm && lstatSync(join(warm, c), { throwIfNoEntry: false })?.isDirectory() ? join(warm, c) : join(userDir, c);
    if (!lstatSync(src, { throwIfNoEntry: false })?.isDirectory()) continue;
    cpSync(src, join(scratchDir, c), { recursive: true, verbatimSymlinks: true });
  }
  return mounts;
}
