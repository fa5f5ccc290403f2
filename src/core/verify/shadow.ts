// The shadow workspace (docs/architecture.md §5): a mirror of the workspace in a temp dir where tests run, so
// the user's files are never touched. Unsaved editor text (overlays) goes in; a warm sync copies only files
// whose mtime/size changed and whose content hash really differs.
//
// Heavy folders (node_modules, virtualenvs) are never linked writably into the user's workspace:
// - in the sandbox, the mirror holds an empty folder where bubblewrap mounts the user's folder read-only;
// - in the fallback, they are hard-linked file by file (copied where the file system cannot link), and the
//   linked files are compared after every run, so a write that reached the user's copy fails the verdict.
// Cargo's `target` (a folder with CACHEDIR.TAG or beside Cargo.toml) is not mirrored: CARGO_TARGET_DIR points
// at a scratch folder. The copy is complete or sync() throws, naming what it could not read; FIFOs, sockets
// and devices are skipped on purpose and listed in `skipped`.
import { createHash } from 'node:crypto';
import { constants as fsc, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, type Dirent, type Stats } from 'node:fs';
import { copyFile, link, mkdir, readFile, readlink, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { IDisposable } from '../util';
import type { FileChange } from '../edits';
import { resolveInWorkspace } from '../edits';
import { changeBytes } from '../edits';
import {
  bwrapArgs, envIsolationMode, macosSandboxProfile, makeScratch, NODE_MODULES_CACHES, populateScratchHome, resolveIsolation, sandboxExecAvailable, scratchEnv,
  type IsolationKind, type IsolationMode, type Scratch,
} from './sandbox';
import { removeTree, trackRunDir, untrackRunDir, writeOwnerFile } from './staleRuns';

/** Folder names mirrored specially (see above). A virtualenv is one only when it holds pyvenv.cfg. */
export const DEFAULT_HEAVY_DIRS = ['node_modules', '.venv', 'venv'];
export const DEFAULT_IGNORED_DIRS = ['.git', '.hg', '.svn', '__pycache__', '.pytest_cache', '.mypy_cache', '.qwq-shadow'];

type Kind = 'file' | 'link' | 'heavy' | 'hlink';
/** `m`: the mirror's own copy as last written (inode:mtime:size), so a test that changed the mirror is noticed. */
interface Entry { kind: Kind; mtimeMs: number; size: number; hash: string; ino?: number; mode?: number; m?: string }

function sig(abs: string): string {
  const st = lstatSync(abs, { throwIfNoEntry: false });
  return st ? `${st.ino}:${st.mtimeMs}:${st.size}` : 'none';
}

export interface SyncStats {
  files: number; copied: number; removed: number; hashed: number; durationMs: number;
  /** Files hard-linked from the user's heavy folders (fallback). */
  linked: number;
  /** FIFOs, sockets and devices: not mirrored, on purpose. */
  skipped: string[];
}

export interface ShadowOptions {
  heavyDirs?: string[];
  ignoredDirs?: string[];
  /** Where the temp mirror is created (default: the OS temp dir). */
  parentDir?: string;
  /** 'auto' (default): the bubblewrap sandbox where it runs, else the fallback. QWQ_SANDBOX=off forces the fallback. */
  isolation?: IsolationMode;
  /** Network inside the sandbox (default true: test suites start loopback servers). */
  network?: boolean;
  /** File operations in flight during a sync (default 64): bounded, so a low open-file limit is never hit. */
  concurrency?: number;
  /**
   * Fallback only: heavy folders with at most this many files in all are copied (isolation `copy`: nothing
   * shared with the user's files); bigger ones are hard-linked and checked after each run (`checked`). Default 5000.
   */
  copyHeavyUpTo?: number;
}

/** What a test run in this shadow needs: where it sees the workspace, its environment and its command line. */
export interface RunIsolation {
  kind: IsolationKind;
  /** The workspace path the tests see: the user's path in the sandbox, the mirror otherwise. */
  viewRoot: string;
  /** Where the runner process starts (the mirror; inside the sandbox bwrap changes to the view root). */
  cwd: string;
  env: Record<string, string>;
  /** argv for the command (bwrap … sh -c command), or undefined to run `sh -c command` directly. */
  argv?: (command: string, writable: string[]) => string[];
}

export class ShadowSyncError extends Error {
  constructor(readonly failures: Array<{ path: string; code: string }>) {
    const list = failures.slice(0, 5).map((f) => `${f.path} (${f.code})`).join(', ');
    super(`the shadow copy is incomplete: ${failures.length} file(s) could not be read or written: ${list}${failures.length > 5 ? ', …' : ''}`);
  }
}

const hashOf = (data: Buffer | string): string => createHash('sha1').update(data).digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Retries an operation that ran out of file descriptors (another part of the process may hold many). */
async function fdRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'EMFILE' || code === 'ENFILE') && attempt < 200) { await sleep(Math.min(2 + attempt * 2, 50)); continue; }
      throw e;
    }
  }
}

async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => { while (next < items.length) await fn(items[next++]); };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

const live = new Map<string, ShadowWorkspace>();

export class ShadowWorkspace implements IDisposable {
  readonly source: string;
  private baseDir: string | undefined;
  private rootDir: string | undefined;
  private scratchDirs: Scratch | undefined;
  private readonly manifest = new Map<string, Entry>();
  private readonly heavyNames: Set<string>;
  private readonly ignored: Set<string>;
  private disposed = false;
  private mode: 'sandbox' | 'fallback' | undefined;
  private readonly violations = new Set<string>();
  private pythonPaths: string[] = [];
  /** Fallback: copy (true) or hard-link (false) the heavy folders' files; decided on the first sync that sees them. */
  private heavyCopy: boolean | undefined;
  /** The overlays of the last sync: withChanges syncs again with them, so a run that changed the mirror does not leak into the next. */
  private lastOverlays: ReadonlyMap<string, string> | undefined;
  /** A test run may have changed the mirror since the last sync: check the mirror's own copies (an lstat each). */
  private mirrorDirty = false;
  /** Special files the last sync skipped on purpose. */
  skipped: string[] = [];
  /** Baseline results by content hash (docs/architecture.md §5): valid as long as the mirrored content is the same. */
  readonly baselineCache = new Map<string, unknown>();

  constructor(source: string, private readonly opts: ShadowOptions = {}) {
    this.source = realpathSync(source);
    this.heavyNames = new Set(opts.heavyDirs ?? DEFAULT_HEAVY_DIRS);
    this.ignored = new Set(opts.ignoredDirs ?? DEFAULT_IGNORED_DIRS);
  }

  /** The shadow whose mirror is `root`, if one is live in this process (runTests finds its isolation this way). */
  static forRoot(root: string): ShadowWorkspace | undefined {
    return live.get(root);
  }

  /** 'sandbox' or 'fallback', decided once per shadow. */
  get isolationMode(): 'sandbox' | 'fallback' {
    this.mode ??= resolveIsolation(this.opts.isolation ?? 'auto');
    return this.mode;
  }

  /** What is reported: sandbox, copy (nothing shared with the user's folders) or checked (hard links, compared after each run). */
  get isolationKind(): IsolationKind {
    if (this.isolationMode === 'sandbox') return 'sandbox';
    for (const e of this.manifest.values()) if (e.kind === 'hlink') return 'checked';
    return 'copy';
  }

  /** The mirror's directory; created on first use. Named like the workspace, inside a qwq-shadow-* folder that records its owner. */
  get root(): string {
    if (this.disposed) throw new Error('shadow workspace is disposed');
    if (!this.rootDir) {
      const base = realpathSync(mkdtempSync(join(this.opts.parentDir ?? tmpdir(), 'qwq-shadow-')));
      writeOwnerFile(base);
      trackRunDir(base);
      this.baseDir = base;
      const name = basename(this.source);
      const root = join(base, name && !name.startsWith('.qwq-') ? name : 'workspace');
      mkdirSync(root);
      this.rootDir = root;
      live.set(root, this);
    }
    return this.rootDir;
  }

  private get scratch(): Scratch {
    if (!this.scratchDirs) {
      void this.root;
      this.scratchDirs = makeScratch(join(this.baseDir!, '.qwq-scratch'));
      if (this.isolationMode === 'sandbox') populateScratchHome(this.scratchDirs);
    }
    return this.scratchDirs;
  }

  /** Heavy (mirrored specially), build (not mirrored: cargo's target) or an ordinary folder. */
  private folderKind(abs: string, name: string): 'heavy' | 'build' | 'plain' {
    if (name === 'target' && (existsSync(join(abs, 'CACHEDIR.TAG')) || existsSync(join(dirname(abs), 'Cargo.toml')))) return 'build';
    if (!this.heavyNames.has(name)) return 'plain';
    if ((name === '.venv' || name === 'venv') && !existsSync(join(abs, 'pyvenv.cfg'))) return 'plain';
    return 'heavy';
  }

  /** Brings the mirror up to date with the workspace plus `overlays` (relative path → unsaved text). Throws ShadowSyncError when incomplete. */
  async sync(overlays: ReadonlyMap<string, string> = new Map()): Promise<SyncStats> {
    const started = Date.now();
    const root = this.root;
    this.lastOverlays = overlays;
    const checkMirror = this.mirrorDirty;
    this.mirrorDirty = false;
    const sandbox = this.isolationMode === 'sandbox';
    const stats: SyncStats = { files: 0, copied: 0, removed: 0, hashed: 0, durationMs: 0, linked: 0, skipped: [] };
    const seen = new Set<string>();
    const failures: Array<{ path: string; code: string }> = [];

    // The scan is synchronous (one lstat per file is far cheaper than a promise per file) but yields to
    // the event loop every few thousand entries, so an extension host stays responsive.
    const changed: Array<{ r: string; st: Stats; heavy: boolean }> = [];
    const heavyDirs: Array<{ r: string; st: Stats }> = [];
    const venvs: string[] = [];
    let heavyFiles = 0;
    let sinceYield = 0;
    const visit = async (rel: string, inHeavy: boolean): Promise<void> => {
      let dirents: Dirent[];
      try {
        dirents = readdirSync(join(this.source, rel), { withFileTypes: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? 'error';
        if (code !== 'ENOENT') failures.push({ path: rel || '.', code });
        return;
      }
      for (const d of dirents) {
        const r = rel ? `${rel}/${d.name}` : d.name;
        if (d.isDirectory()) {
          if (!inHeavy && this.ignored.has(d.name)) continue;
          if (!inHeavy) {
            const kind = this.folderKind(join(this.source, r), d.name);
            if (kind === 'build') continue;
            if (kind === 'heavy') {
              if (existsSync(join(this.source, r, 'pyvenv.cfg'))) venvs.push(r);
              if (sandbox) {
                const st = lstatSync(join(this.source, r), { throwIfNoEntry: false });
                if (st) { seen.add(r); heavyDirs.push({ r, st }); }
                continue;
              }
              await visit(r, true);
              continue;
            }
          }
          await visit(r, inHeavy);
          continue;
        }
        if (!d.isFile() && !d.isSymbolicLink()) {
          // A FIFO would block a reader forever and a device can be endless: never read, always named.
          stats.skipped.push(r);
          continue;
        }
        seen.add(r);
        stats.files++;
        if (inHeavy) heavyFiles++;
        if (overlays.has(r)) continue;
        const st = lstatSync(join(this.source, r), { throwIfNoEntry: false });
        if (!st) continue;
        const old = this.manifest.get(r);
        if (!old || old.mtimeMs !== st.mtimeMs || old.size !== st.size || (inHeavy && old.ino !== st.ino)) changed.push({ r, st, heavy: inHeavy });
        else if (checkMirror && old.m !== undefined && sig(join(root, r)) !== old.m) {
          // The source is as it was, but a test run changed or deleted the mirror's copy: restore it.
          this.manifest.delete(r);
          changed.push({ r, st, heavy: inHeavy });
        }
        if (++sinceYield >= 4000) { sinceYield = 0; await new Promise((res) => setImmediate(res)); }
      }
    };
    await visit('', false);
    if (heavyFiles > 0) this.heavyCopy ??= heavyFiles <= (this.opts.copyHeavyUpTo ?? 5000);
    this.skipped = stats.skipped;
    for (const { r, st } of heavyDirs) await this.mountPoint(r, st);
    for (const [r, text] of overlays) { if (!seen.has(r)) { seen.add(r); stats.files++; } await this.putText(r, text, stats); }

    await pool(changed, this.opts.concurrency ?? 64, async ({ r, st, heavy }) => {
      try {
        await fdRetry(() => this.mirrorOne(r, st, heavy, stats));
      } catch (e) {
        this.manifest.delete(r);
        failures.push({ path: r, code: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
      }
    });
    for (const r of [...this.manifest.keys()]) {
      if (seen.has(r)) continue;
      this.manifest.delete(r);
      await rm(join(root, r), { force: true, recursive: true });
      stats.removed++;
    }
    if (!sandbox) this.pythonPaths = editableSourcePaths(this.source, venvs).map((r) => join(root, r));
    stats.durationMs = Date.now() - started;
    if (failures.length) throw new ShadowSyncError(failures);
    return stats;
  }

  private async mirrorOne(r: string, st: Stats, heavy: boolean, stats: SyncStats): Promise<void> {
    const old = this.manifest.get(r);
    const src = join(this.source, r);
    const dst = join(this.root, r);
    if (st.isSymbolicLink()) {
      let target = await readlink(src);
      // Outside the sandbox the mirror lives elsewhere: an absolute link into the workspace must name the mirror.
      if (this.isolationMode === 'fallback' && isAbsolute(target) && (target === this.source || target.startsWith(this.source + sep))) {
        target = join(this.root, relative(this.source, target));
      }
      if (old?.kind !== 'link' || old.hash !== target) {
        await rm(dst, { force: true, recursive: true });
        await mkdir(dirname(dst), { recursive: true });
        await symlink(target, dst);
        stats.copied++;
      }
      this.manifest.set(r, { kind: 'link', mtimeMs: st.mtimeMs, size: st.size, hash: target, m: sig(dst) });
      return;
    }
    if (heavy) {
      await mkdir(dirname(dst), { recursive: true });
      await unlink(dst).catch(() => undefined);
      try {
        if (this.heavyCopy) throw Object.assign(new Error('copy'), { code: 'COPY' });
        await link(src, dst);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'COPY' && code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw e;
        // Another file system (or links not allowed): a real copy, nothing shared with the user's file.
        await copyFile(src, dst, fsc.COPYFILE_FICLONE);
        this.manifest.set(r, { kind: 'file', mtimeMs: st.mtimeMs, size: st.size, hash: `copy:${st.ino}:${st.mtimeMs}`, ino: st.ino, m: sig(dst) });
        stats.copied++;
        return;
      }
      // Linking changes the inode's ctime, not its mtime/size/mode: those are what the post-run check compares.
      this.manifest.set(r, { kind: 'hlink', mtimeMs: st.mtimeMs, size: st.size, hash: `ino:${st.ino}:${st.mtimeMs}:${st.size}`, ino: st.ino, mode: st.mode, m: `${st.ino}:${st.mtimeMs}:${st.size}` });
      stats.linked++;
      return;
    }
    const data = await readFile(src);
    const hash = hashOf(data);
    stats.hashed++;
    let m = old?.m;
    if (!old || old.hash !== hash || old.kind !== 'file') {
      await this.write(r, data);
      stats.copied++;
      m = sig(dst);
    }
    this.manifest.set(r, { kind: 'file', mtimeMs: st.mtimeMs, size: st.size, hash, m });
  }

  /** One hash over every mirrored path and content hash: the baseline cache key. */
  contentHash(): string {
    const h = createHash('sha1');
    for (const r of [...this.manifest.keys()].sort()) h.update(`${r}\0${this.manifest.get(r)!.hash}\n`);
    return h.digest('hex');
  }

  /** The heavy folders (node_modules, virtualenvs) the last sync saw, relative to the workspace; the baseline cache signs them. */
  heavyFolders(): string[] {
    return [...this.manifest.entries()].filter(([, e]) => e.kind === 'heavy').map(([r]) => r).sort();
  }

  /** The network the runs get (a baseline run offline is not one online): part of the baseline cache key. */
  get networkSetting(): boolean {
    return this.opts.network ?? true;
  }

  /** Whether `rel` lies in a heavy folder, which the mirror shows from the user's workspace and never edits. */
  private inHeavy(rel: string): string | undefined {
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const e = this.manifest.get(prefix);
      if (e?.kind === 'heavy') return prefix;
      if (i < parts.length && this.heavyNames.has(parts[i - 1]) && this.folderKind(join(this.source, prefix), parts[i - 1]) === 'heavy') return prefix;
    }
    return undefined;
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
      const heavy = this.inHeavy(c.path.replace(/\\/g, '/').replace(/^\.\//, ''));
      if (heavy) throw new Error(`${c.path} is inside ${heavy}, which tests see read-only from your workspace: edits there are not verified`);
    }
    // The run before this one (the baseline) may have changed the mirror: put it back first.
    if (this.lastOverlays) await this.sync(this.lastOverlays);
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

  /**
   * The isolation for one test run. `resultsDir` (ours, outside the mirror) stays writable and visible at its
   * own path; so does every path in `writable` (build caches we own, such as GOCACHE).
   */
  runIsolation(resultsDir: string, network = this.opts.network ?? true): RunIsolation {
    const root = this.root;
    const scratch = this.scratch;
    this.mirrorDirty = true;
    if (this.isolationMode === 'fallback') {
      const env: Record<string, string> = { ...scratchEnv(scratch, 'fallback') };
      // Editable installs name the user's source folders: the mirror's copies come first on the import path.
      if (this.pythonPaths.length) env.PYTHONPATH = [...this.pythonPaths, ...(process.env.PYTHONPATH ? [process.env.PYTHONPATH] : [])].join(':');
      // macOS, opted in with QWQ_SANDBOX=on: sandbox-exec denies writes outside the copy and our folders (untested here).
      const seatbelt = process.platform === 'darwin' && envIsolationMode() === 'sandbox' && sandboxExecAvailable();
      return {
        kind: this.isolationKind, viewRoot: root, cwd: root, env,
        argv: seatbelt ? (command, writable) => ['sandbox-exec', '-p', macosSandboxProfile([root, scratch.root, resultsDir, ...writable], network), 'sh', '-c', command] : undefined,
      };
    }
    const heavy = [...this.manifest.entries()].filter(([, e]) => e.kind === 'heavy').map(([r]) => r);
    const overlays: Array<{ src: string; dest: string }> = [];
    heavy.forEach((r, i) => {
      if (!r.endsWith('node_modules')) return;
      for (const c of NODE_MODULES_CACHES) {
        // A mount point must already exist: it does only if the user's node_modules has the folder.
        if (!lstatSync(join(this.source, r, c), { throwIfNoEntry: false })?.isDirectory()) continue;
        const src = join(scratch.root, 'node_modules', String(i), c);
        mkdirSync(src, { recursive: true });
        overlays.push({ src, dest: join(this.source, r, c) });
      }
    });
    return {
      kind: 'sandbox', viewRoot: this.source, cwd: root, env: scratchEnv(scratch, 'sandbox'),
      argv: (command, writable) => {
        const extra = [resultsDir, scratch.root, ...writable].map((p) => { mkdirSync(p, { recursive: true }); return { src: p, dest: p }; });
        return ['bwrap', ...bwrapArgs({ workspace: this.source, shadowRoot: root, readOnly: heavy, writable: [...overlays, ...extra], network }), 'sh', '-c', command];
      },
    };
  }

  /**
   * After a run, outside the sandbox: compares every hard-linked file with what it was when linked. A change
   * means the run wrote into the user's folder through the shared inode; the paths are kept for the verdict.
   */
  checkAfterRun(): string[] {
    if (this.isolationMode === 'sandbox') return [];
    const found: string[] = [];
    for (const [r, e] of this.manifest) {
      if (e.kind !== 'hlink') continue;
      const st = lstatSync(join(this.source, r), { throwIfNoEntry: false });
      const mirror = lstatSync(join(this.root, r), { throwIfNoEntry: false });
      const changed = !st || st.ino !== e.ino || st.size !== e.size || st.mtimeMs !== e.mtimeMs || st.mode !== e.mode;
      // The mirror's link itself may have been rewritten in place (same inode): that is the same write.
      const viaMirror = mirror !== undefined && mirror.ino === e.ino && (mirror.size !== e.size || mirror.mtimeMs !== e.mtimeMs || mirror.mode !== e.mode);
      if (changed || viaMirror) { found.push(r); this.violations.add(r); }
    }
    return found;
  }

  /** Paths in the user's folders that a run changed (fallback only), since the last call. */
  takeViolations(): string[] {
    const v = [...this.violations].sort();
    this.violations.clear();
    return v;
  }

  private async mountPoint(r: string, st: Stats): Promise<void> {
    // The heavy folder's own mtime (and npm's lock inside it) change on install: part of the baseline key.
    const lock = lstatSync(join(this.source, r, '.package-lock.json'), { throwIfNoEntry: false });
    const hash = `heavy:${st.mtimeMs}:${lock?.mtimeMs ?? 0}:${lock?.size ?? 0}`;
    const old = this.manifest.get(r);
    if (old?.kind === 'heavy' && old.hash === hash) return;
    const abs = join(this.root, r);
    if (old?.kind !== 'heavy') {
      await rm(abs, { force: true, recursive: true });
      await mkdir(abs, { recursive: true });
    }
    this.manifest.set(r, { kind: 'heavy', mtimeMs: st.mtimeMs, size: 0, hash });
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
    // Unlink first: the path may be a symlink or a hard link, and writing through it would reach the source.
    await unlink(abs).catch(() => undefined);
    await writeFile(abs, data);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.rootDir) live.delete(this.rootDir);
    // Synchronous so a disposing extension host or a CLI exit still cleans up.
    if (this.baseDir) { removeTree(this.baseDir); untrackRunDir(this.baseDir); }
    this.manifest.clear();
    this.baselineCache.clear();
  }
}

/**
 * Workspace-relative folders that the virtualenvs' editable installs put on the import path: path lines of
 * `.pth` files and the module folders in setuptools' `__editable__…finder.py` MAPPING, when inside the workspace.
 */
export function editableSourcePaths(source: string, venvs: string[]): string[] {
  const out = new Set<string>();
  const inside = (p: string): string | undefined => {
    const abs = p.trim();
    if (!isAbsolute(abs)) return undefined;
    if (abs === source) return '';
    return abs.startsWith(source + sep) ? relative(source, abs) : undefined;
  };
  for (const v of venvs) {
    const libs = ['lib', 'lib64'].flatMap((l) => {
      try { return readdirSync(join(source, v, l)).filter((n) => n.startsWith('python')).map((n) => join(source, v, l, n, 'site-packages')); } catch { return []; }
    });
    for (const sp of libs) {
      let names: string[] = [];
      try { names = readdirSync(sp); } catch { continue; }
      for (const n of names) {
        let text: string;
        try { text = readFileSync(join(sp, n), 'utf8'); } catch { continue; }
        if (n.endsWith('.pth')) {
          for (const line of text.split('\n')) {
            if (line.startsWith('import ') || line.startsWith('#')) continue;
            const r = inside(line);
            if (r !== undefined) out.add(r);
          }
        } else if (n.startsWith('__editable__') && n.endsWith('finder.py')) {
          const mapping = /MAPPING\s*(?::[^=]*)?=\s*(\{[^}]*\})/.exec(text)?.[1] ?? '';
          for (const m of mapping.matchAll(/:\s*'([^']+)'|:\s*"([^"]+)"/g)) {
            const r = inside(m[1] ?? m[2]);
            if (r !== undefined) out.add(r === '' ? '' : dirname(r) === '.' ? '' : dirname(r));
          }
        }
      }
    }
  }
  return [...out];
}
