// Writable where tools write, without touching the user's files (docs/architecture.md §5, "Isolation").
// bwrap 0.8.0 has no overlay mounts, so a node_modules is shown as a per-run scratch folder: the user's
// node_modules is bound read-only once, inside it at `.qwq-packages`, and the scratch's top level holds a link to
// each package there, plus the cache folders tools write (`.cache`, `.vite`…) as writable copies. A tool can
// create node_modules/.cache/nyc; it cannot change a package. Links, not a mount per package: bwrap takes ~5 ms
// per mount, so 450 packages cost ~2.5 s per run as mounts (bench/verify.bench.ts, start-up).
// Node resolves a package by its real path (…/node_modules/.qwq-packages/dep), whose parents still lead to the
// scratch top level, so packages find each other as before. What a run writes there is undone before the next.
import { copyFileSync, cpSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/** Where the user's node_modules is bound read-only, inside the scratch top level. */
export const PACKAGES_DIR = '.qwq-packages';

/** Cache folders tools create inside node_modules whatever the environment says: writable copies. */
export const NODE_MODULES_CACHES = new Set(['.cache', '.vite', '.vitest', '.vite-temp', '.nyc_output', '.angular', '.svelte-kit']);

/** A mount inside the sandbox, in the order given: later ones cover earlier ones. */
export interface Mount {
  src: string;
  dest: string;
  ro: boolean;
}

type Want = { type: 'link'; target: string } | { type: 'file' } | { type: 'mountPoint' };

/**
 * Makes `scratchDir` the scratch top level for the user's `userDir` (a node_modules), and returns the mounts that
 * show it at `dest`: the scratch read-write, then the user's folder read-only at `.qwq-packages` inside it. Each
 * package is a link into that folder; top-level files are copied and links recreated (pnpm's links then resolve
 * through the linked `.pnpm`). The folder is kept between runs and repaired before each: whatever a run added,
 * replaced or removed at the top level is put back (a readdir and a readlink per entry, ~2 ms for 450 packages,
 * against ~200 ms to build and remove it), and the cache folders start again from `warm` (earlier caches, see
 * runCaches.ts) or the user's.
 */
export function nodeModulesLayer(userDir: string, dest: string, scratchDir: string, warm?: string): Mount[] {
  const want = new Map<string, Want>([[PACKAGES_DIR, { type: 'mountPoint' }]]);
  let entries: Dirent[] = [];
  try { entries = readdirSync(userDir, { withFileTypes: true }); } catch { /* an unreadable folder shows empty */ }
  for (const d of entries) {
    if (d.name === PACKAGES_DIR || NODE_MODULES_CACHES.has(d.name)) continue; // caches: below, a writable copy
    if (d.isSymbolicLink()) want.set(d.name, { type: 'link', target: readlinkSync(join(userDir, d.name)) });
    else if (d.isDirectory()) want.set(d.name, { type: 'link', target: `${PACKAGES_DIR}/${d.name}` });
    else if (d.isFile()) want.set(d.name, { type: 'file' });
  }
  mkdirSync(scratchDir, { recursive: true });
  const present = new Set<string>();
  for (const h of readdirSync(scratchDir, { withFileTypes: true })) {
    const w = want.get(h.name);
    const at = join(scratchDir, h.name);
    const intact = (w?.type === 'link' && h.isSymbolicLink() && readlinkSync(at) === w.target)
      || (w?.type === 'mountPoint' && h.isDirectory() && readdirSync(at).length === 0);
    if (intact) present.add(h.name);
    else rmSync(at, { recursive: true, force: true });
  }
  for (const [n, w] of want) {
    if (present.has(n)) continue;
    const to = join(scratchDir, n);
    if (w.type === 'link') symlinkSync(w.target, to);
    else if (w.type === 'file') copyFileSync(join(userDir, n), to);
    else mkdirSync(to);
  }
  for (const c of NODE_MODULES_CACHES) {
    const src = warm && lstatSync(join(warm, c), { throwIfNoEntry: false })?.isDirectory() ? join(warm, c) : join(userDir, c);
    if (!lstatSync(src, { throwIfNoEntry: false })?.isDirectory()) continue;
    cpSync(src, join(scratchDir, c), { recursive: true, verbatimSymlinks: true });
  }
  return [{ src: scratchDir, dest, ro: false }, { src: userDir, dest: join(dest, PACKAGES_DIR), ro: true }];
}
