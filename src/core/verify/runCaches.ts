// Warm, safe caches for test runs (docs/architecture.md §5, "Isolation"). Each run writes its caches (jest's,
// Go's build cache, Python byte-code, find-cache-dir, node_modules/.cache…) into its own scratch folder, which
// is thrown away. Only a run of the user's unedited code (a baseline) may hand its caches on: they become the
// workspace's kept layer, which later runs start from as a copy. A candidate (a model's edit) never writes
// anything a later run reads. The kept layer is per workspace (keyed by its path), kept by qwq-coder under the
// user's cache folder, never the user's own caches and never shared between workspaces.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The kept layer of a workspace. QWQ_RUN_CACHE_DIR moves the parent (tests point it at a throw-away folder). */
export function keptCacheDir(workspace: string, env: Record<string, string | undefined> = process.env): string {
  const parent = env.QWQ_RUN_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'qwq-coder', 'run-caches');
  return join(parent, createHash('sha256').update(workspace).digest('hex').slice(0, 20));
}

/** Folders of a run's scratch that make up its caches (relative to the run folder). */
const tmpCaches = (tmp: string): string[] => {
  try { return readdirSync(tmp).filter((n) => /^(jest_|vitest|ts-node-|babel|\.?cache)/.test(n)); } catch { return []; }
};

/** Copies the kept layer into a fresh run folder (`cache`, `tmp/<cache>`, `nm/<i>/<cache>`). Missing layer: cold. */
/**
 * The kept cache folders a sandboxed run reads in place, read-only, once they exist: a candidate's writes would be
 * thrown away, and a baseline's would only re-add what is there (copying in and deleting hundreds of .pyc files
 * per run cost more than the run saved). A first, cold baseline writes them.
 */
export const SHARED_READ_ONLY = ['pycache'] as const;
export function seedRunCaches(kept: string, run: { cache: string; tmp: string }, shared: readonly string[] = []): { warm: boolean; nm: string | undefined } {
  if (!existsSync(join(kept, 'ok'))) return { warm: false, nm: undefined };
  // `shared` folders of the cache are not copied: the run sees the kept ones read-only (shadow.ts).
  const skip = new Set(shared.map((n) => join(kept, 'cache', n)));
  try {
    if (existsSync(join(kept, 'cache'))) cpSync(join(kept, 'cache'), run.cache, { recursive: true, verbatimSymlinks: true, filter: (src) => !skip.has(src) });
    for (const n of tmpCaches(join(kept, 'tmp'))) cpSync(join(kept, 'tmp', n), join(run.tmp, n), { recursive: true, verbatimSymlinks: true });
    return { warm: true, nm: existsSync(join(kept, 'nm')) ? join(kept, 'nm') : undefined };
  } catch {
    return { warm: false, nm: undefined }; // replaced under us by another verify: start cold
  }
}

/** After a completed baseline run: its caches become the kept layer (moved when they can be, swapped atomically). */
export function keepRunCaches(kept: string, run: { cache: string; tmp: string; nm: Array<{ index: number; dir: string; caches: string[] }> }, shared: readonly string[] = []): void {
  const staging = `${kept}.staging-${process.pid}-${Date.now()}`;
  const move = (from: string, to: string): void => {
    mkdirSync(join(to, '..'), { recursive: true });
    try { renameSync(from, to); } catch { cpSync(from, to, { recursive: true, verbatimSymlinks: true }); }
  };
  try {
    mkdirSync(staging, { recursive: true });
    if (existsSync(run.cache)) move(run.cache, join(staging, 'cache'));
    for (const n of tmpCaches(run.tmp)) move(join(run.tmp, n), join(staging, 'tmp', n));
    for (const l of run.nm) for (const c of l.caches) if (existsSync(join(l.dir, c))) move(join(l.dir, c), join(staging, 'nm', String(l.index), c));
    // Folders the run read in place (empty mount points in its scratch): the kept ones carry over, moved, not copied.
    for (const n of shared) {
      rmSync(join(staging, 'cache', n), { recursive: true, force: true });
      if (existsSync(join(kept, 'cache', n))) move(join(kept, 'cache', n), join(staging, 'cache', n));
    }
    mkdirSync(join(staging, 'ok'));
    const old = `${kept}.old-${process.pid}-${Date.now()}`;
    try { renameSync(kept, old); } catch { /* none yet */ }
    renameSync(staging, kept);
    rmSync(old, { recursive: true, force: true });
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Forgets a workspace's kept layer, and its kept node_modules views. */
export function dropRunCaches(kept: string): void {
  rmSync(kept, { recursive: true, force: true });
  rmSync(`${kept}.layers`, { recursive: true, force: true });
}

// ---- node_modules views kept between shadows (writableLayers.ts) ----
// A view is one link per package (450 links took ~45 ms to make on an ext4 /tmp, for every new shadow: every CLI
// verify). Between shadows it waits beside the kept layer (not inside it: keepRunCaches replaces that whole). A
// shadow takes it by renaming it into its own scratch, so two shadows never share one, and nodeModulesLayer
// repairs whatever a run changed before each run, as it does between the runs of one shadow. Across file systems
// the renames fail and each shadow builds its own, as before.

/** Where the view of the workspace's node_modules at `rel` waits between shadows. */
export function keptViewDir(kept: string, rel: string): string {
  return join(`${kept}.layers`, createHash('sha256').update(rel).digest('hex').slice(0, 16));
}

/** Moves the kept view to `to` (a shadow's scratch); false when none is kept or it cannot be moved. */
export function claimKeptView(from: string, to: string): boolean {
  try {
    mkdirSync(dirname(to), { recursive: true });
    renameSync(from, to);
    return true;
  } catch {
    return false;
  }
}

/** Puts a shadow's view back for the next shadow, without the cache copies it held; false when another is kept. */
export function returnKeptView(from: string, to: string, caches: Iterable<string>): boolean {
  try {
    for (const c of caches) rmSync(join(from, c), { recursive: true, force: true });
    mkdirSync(dirname(to), { recursive: true });
    renameSync(from, to);
    return true;
  } catch {
    return false; // another shadow put its view back first: this one goes with its shadow
  }
}
