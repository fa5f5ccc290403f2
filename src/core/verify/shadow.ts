// The shadow workspace (DESIGN §6.1): a mirror of the workspace in a temp dir where tests run, so the
// user's files are never touched. Unsaved editor text (overlays) goes in; heavy folders are symlinked;
// a warm sync copies only files whose mtime/size changed and whose content hash really differs.
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, realpathSync, rmSync, type Dirent } from 'node:fs';
import { mkdir, readFile, readlink, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { IDisposable } from '../util/lifecycle';
import type { FileChange } from '../edits/types';
import { resolveInWorkspace } from '../edits/workspacePaths';
import { changeBytes } from '../edits/fileText';

export const DEFAULT_HEAVY_DIRS = ['node_modules', '.venv', 'venv', 'target'];
export const DEFAULT_IGNORED_DIRS = ['.git', '.hg', '.svn', '__pycache__', '.pytest_cache', '.mypy_cache', '.qwq-shadow'];

interface Entry { kind: 'file' | 'link' | 'heavy'; mtimeMs: number; size: number; hash: string }

export interface SyncStats { files: number; copied: number; removed: number; hashed: number; durationMs: number }

export interface ShadowOptions {
  heavyDirs?: string[];
  ignoredDirs?: string[];
  /** Where the temp mirror is created (default: the OS temp dir). */
  parentDir?: string;
}

const hashOf = (data: Buffer | string): string => createHash('sha1').update(data).digest('hex');

export class ShadowWorkspace implements IDisposable {
  readonly source: string;
  private rootDir: string | undefined;
  private readonly manifest = new Map<string, Entry>();
  private readonly heavy: Set<string>;
  private readonly ignored: Set<string>;
  private disposed = false;
  /** Baseline results by content hash (DESIGN §6.2): valid as long as the mirrored content is the same. */
  readonly baselineCache = new Map<string, unknown>();

  constructor(source: string, private readonly opts: ShadowOptions = {}) {
    this.source = realpathSync(source);
    this.heavy = new Set(opts.heavyDirs ?? DEFAULT_HEAVY_DIRS);
    this.ignored = new Set(opts.ignoredDirs ?? DEFAULT_IGNORED_DIRS);
  }

  /** The mirror's directory; created on first use. */
  get root(): string {
    if (this.disposed) throw new Error('shadow workspace is disposed');
    this.rootDir ??= realpathSync(mkdtempSync(join(this.opts.parentDir ?? tmpdir(), 'qwq-shadow-')));
    return this.rootDir;
  }

  /** Brings the mirror up to date with the workspace plus `overlays` (relative path → unsaved text). */
  async sync(overlays: ReadonlyMap<string, string> = new Map()): Promise<SyncStats> {
    const started = Date.now();
    const root = this.root;
    const stats: SyncStats = { files: 0, copied: 0, removed: 0, hashed: 0, durationMs: 0 };
    const seen = new Set<string>();

    // The scan is synchronous (one lstat per file is far cheaper than a promise per file) but yields to
    // the event loop every few thousand entries, so an extension host stays responsive.
    const changed: Array<{ r: string; mtimeMs: number; size: number; link: boolean }> = [];
    const heavyDirs: string[] = [];
    let sinceYield = 0;
    const visit = async (rel: string): Promise<void> => {
      let dirents: Dirent[];
      try { dirents = readdirSync(join(this.source, rel), { withFileTypes: true }); } catch { return; }
      for (const d of dirents) {
        const r = rel ? `${rel}/${d.name}` : d.name;
        if (d.isDirectory()) {
          if (this.ignored.has(d.name)) continue;
          if (this.heavy.has(d.name)) { seen.add(r); heavyDirs.push(r); continue; }
          await visit(r);
          continue;
        }
        if (!d.isFile() && !d.isSymbolicLink()) continue;
        seen.add(r);
        stats.files++;
        if (overlays.has(r)) continue;
        const st = lstatSync(join(this.source, r), { throwIfNoEntry: false });
        if (!st) continue;
        const old = this.manifest.get(r);
        if (!old || old.mtimeMs !== st.mtimeMs || old.size !== st.size) changed.push({ r, mtimeMs: st.mtimeMs, size: st.size, link: st.isSymbolicLink() });
        if (++sinceYield >= 4000) { sinceYield = 0; await new Promise((res) => setImmediate(res)); }
      }
    };
    await visit('');
    for (const r of heavyDirs) await this.linkHeavy(r);
    for (const [r, text] of overlays) { if (!seen.has(r)) { seen.add(r); stats.files++; } await this.putText(r, text, stats); }
    await Promise.all(changed.map(async ({ r, mtimeMs, size, link }) => {
      const old = this.manifest.get(r);
      if (link) {
        const target = await readlink(join(this.source, r));
        if (old?.kind !== 'link' || old.hash !== target) {
          await rm(join(root, r), { force: true, recursive: true });
          await mkdir(dirname(join(root, r)), { recursive: true });
          await symlink(target, join(root, r));
          stats.copied++;
        }
        this.manifest.set(r, { kind: 'link', mtimeMs, size, hash: target });
        return;
      }
      const data = await readFile(join(this.source, r)).catch(() => undefined);
      if (data === undefined) return;
      const hash = hashOf(data);
      stats.hashed++;
      if (!old || old.hash !== hash || old.kind !== 'file') {
        await this.write(r, data);
        stats.copied++;
      }
      this.manifest.set(r, { kind: 'file', mtimeMs, size, hash });
    }));
    for (const r of [...this.manifest.keys()]) {
      if (seen.has(r)) continue;
      this.manifest.delete(r);
      await rm(join(root, r), { force: true, recursive: true });
      stats.removed++;
    }
    stats.durationMs = Date.now() - started;
    return stats;
  }

  /** One hash over every mirrored path and content hash: the baseline cache key. */
  contentHash(): string {
    const h = createHash('sha1');
    for (const r of [...this.manifest.keys()].sort()) h.update(`${r}\0${this.manifest.get(r)!.hash}\n`);
    return h.digest('hex');
  }

  /**
   * Writes `changes` into the mirror, runs `fn`, then puts the mirror back: the changed paths are dropped
   * from the manifest so the next sync restores them from the workspace.
   */
  async withChanges<T>(changes: FileChange[], fn: () => Promise<T>): Promise<T> {
    const root = this.root;
    // Changes come from callers (the agent): a path that leaves the mirror would write the real disk.
    for (const c of changes) {
      const check = resolveInWorkspace(root, c.path);
      if (!check.ok) throw new Error(check.message);
    }
    try {
      for (const c of changes) {
        if (c.deleted) await rm(join(root, c.path), { force: true });
        else await this.write(c.path, changeBytes(c)); // the exact bytes: a non-UTF-8 file's too
      }
      return await fn();
    } finally {
      for (const c of changes) {
        this.manifest.delete(c.path);
        await unlink(join(root, c.path)).catch(() => undefined);
      }
    }
  }

  private async putText(r: string, text: string, stats: SyncStats): Promise<void> {
    const hash = hashOf(text);
    const old = this.manifest.get(r);
    if (!old || old.hash !== hash) { await this.write(r, text); stats.copied++; }
    // mtime -1: the next sync without this overlay re-reads the file from disk.
    this.manifest.set(r, { kind: 'file', mtimeMs: -1, size: -1, hash });
  }

  private async write(r: string, data: Buffer | string): Promise<void> {
    const abs = join(this.root, r);
    await mkdir(dirname(abs), { recursive: true });
    // Unlink first: the path may be a symlink we created, and writing through it would reach the source.
    await unlink(abs).catch(() => undefined);
    await writeFile(abs, data);
  }

  private async linkHeavy(r: string): Promise<void> {
    if (this.manifest.get(r)?.kind === 'heavy') return;
    const abs = join(this.root, r);
    await mkdir(dirname(abs), { recursive: true });
    await rm(abs, { force: true, recursive: true });
    await symlink(join(this.source, r), abs, 'dir');
    this.manifest.set(r, { kind: 'heavy', mtimeMs: 0, size: 0, hash: `link:${r}` });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.rootDir) {
      // Synchronous so a disposing extension host or a CLI exit still cleans up.
      rmSync(this.rootDir, { recursive: true, force: true });
    }
    this.manifest.clear();
    this.baselineCache.clear();
  }
}
