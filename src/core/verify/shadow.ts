// The shadow workspace (docs/architecture.md §5): a mirror of the workspace in a temp dir where tests run, so
// the user's files are never touched. Unsaved editor text (overlays) goes in; a warm sync copies only files
// whose mtime/size changed and whose content hash really differs.
//
// Heavy folders (node_modules, virtualenvs) are never linked writably into the user's workspace:
// - in the sandbox, the mirror holds an empty folder where bubblewrap mounts the user's folder (a node_modules
//   as a scratch folder of read-only packages, writableLayers.ts); a heavy folder that is a link is mounted
//   from its real path;
// - in the copy (unsandboxed, on request), they are copied: nothing is shared with the user's files.
// Cargo's `target` (a folder with CACHEDIR.TAG or beside Cargo.toml) is not mirrored: CARGO_TARGET_DIR points
// at a scratch folder. The copy is complete or sync() throws, naming what it could not read or represent (a
// name that is not UTF-8); FIFOs, sockets and devices are skipped on purpose and listed in `skipped`. Every
// run starts from the candidate: what a run added, changed or deleted in the mirror is undone by the next sync.
import { createHash } from 'node:crypto';
import { constants as fsc, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, utimesSync, writeFileSync, type Dirent, type Stats } from 'node:fs';
import { copyFile, mkdir, readFile, readlink, rm, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { IDisposable } from '../util';
import type { FileChange } from '../edits/types';
import { resolveInWorkspace } from '../edits';
import { changeBytes } from '../edits';
import { bwrapArgs, envIsolationMode, macosSandboxProfile, makeScratch, resolveIsolation, sandboxExecAvailable, scratchEnv, type IsolationKind, type IsolationMode, type Scratch } from './sandbox';
import { homeNote, homeView } from './homeView';
import { envNote, withoutCredentials } from './envFilter';
import { NODE_MODULES_CACHES, nodeModulesLayer, type Mount } from './writableLayers';
import { SHARED_READ_ONLY, claimKeptView, keepRunCaches, keptCacheDir, keptViewDir, returnKeptView, seedRunCaches } from './runCaches';
import { diagnoseSandbox } from './sandboxCheck';
import { bwrapFor, SANDBOX_EXEC, SYSTEM_SHELL } from './sandboxLauncher';
import { compareSnapshots, homeSnapshot, treeSnapshot, type Snapshot } from './afterRunCheck';
import { removeTree, trackRunDir, untrackRunDir, writeOwnerFile } from './staleRuns';
import { msg, SaidError } from '../messages';

/** Folder names mirrored specially (see above). A virtualenv is one only when it holds pyvenv.cfg. */
export const DEFAULT_HEAVY_DIRS = ['node_modules', '.venv', 'venv'];
export const DEFAULT_IGNORED_DIRS = ['.git', '.hg', '.svn', '__pycache__', '.pytest_cache', '.mypy_cache', '.qwq-shadow'];

type Kind = 'file' | 'link' | 'heavy';
/**
 * `m`: the mirror's own copy as last written (inode:mtime:size), so a test that changed the mirror is noticed.
 * `src`: a heavy folder's real path (it differs from the workspace path when the folder is a link).
 */
interface Entry { kind: Kind; mtimeMs: number; size: number; hash: string; ino?: number; m?: string; src?: string }

function sig(abs: string): string {
  const st = lstatSync(abs, { throwIfNoEntry: false });
  return st ? `${st.ino}:${st.mtimeMs}:${st.size}` : 'none';
}

export interface SyncStats {
  files: number; copied: number; removed: number; hashed: number; durationMs: number;
  /** Files, links and folders a test run had added to the mirror, removed so the next run starts from the candidate. */
  pruned: number;
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
  /** The host's network inside the sandbox (default false: the run's own loopback only). */
  network?: boolean;
  /** Credential-looking environment variables the tests may see anyway (qwq.tests.env). */
  envAllow?: readonly string[];
  /** The home folder hidden in the sandbox and checked after a copy run (default: os.homedir()). */
  home?: string;
  /** Warm caches from the workspace's kept layer (runCaches.ts); default true. */
  warmCaches?: boolean;
  /** File operations in flight during a sync (default 64): bounded, so a low open-file limit is never hit. */
  concurrency?: number;
}

/** What a test run in this shadow needs: where it sees the workspace, its environment and its command line. */
export interface RunIsolation {
  kind: IsolationKind;
  /** The workspace path the tests see: the user's path in the sandbox, the mirror otherwise. */
  viewRoot: string;
  /** Where the runner process starts (the mirror; inside the sandbox bwrap changes to the view root). */
  cwd: string;
  env: Record<string, string>;
  /** argv for the command (/usr/bin/bwrap … /bin/sh -c command), or undefined to run `/bin/sh -c command` directly. */
  argv?: (command: string, writable: string[]) => string[];
  /**
   * The command starts as the first process of its own PID namespace (bwrap --unshare-pid): when it exits, the
   * kernel kills whatever it left in there, so nothing of the run can outlive it.
   */
  ownPidNamespace?: boolean;
  /** The environment the run inherits instead of process.env (credential-looking variables dropped). */
  inheritEnv: Record<string, string | undefined>;
  /** What this isolation hid or changed, in words (the run's notes). */
  notes: string[];
  /** Outside the sandbox, after the run: keeps a baseline's caches, throws the scratch away, checks the copy mode's writes. */
  afterRun(r: { completed: boolean }): void;
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
  // fn may block (small files): every 4 ms all workers wait for one turn of the event loop together.
  let since = performance.now();
  let turn: Promise<void> | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      await fn(items[next++]);
      if (!turn && performance.now() - since > 4) turn = new Promise((res) => setImmediate(() => { turn = undefined; since = performance.now(); res(); }));
      if (turn) await turn;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

const live = new Map<string, ShadowWorkspace>();

export class ShadowWorkspace implements IDisposable {
  readonly source: string;
  private baseDir: string | undefined;
  private rootDir: string | undefined;
  private scratchDirs: Scratch | undefined;
  /** The node_modules views this shadow took or built (their folder → where they wait for the next shadow). */
  private readonly viewHomes = new Map<string, string>();
  private readonly manifest = new Map<string, Entry>();
  private readonly heavyNames: Set<string>;
  private readonly ignored: Set<string>;
  private disposed = false;
  private mode: 'sandbox' | 'fallback' | undefined;
  /** The bwrap that the probe tests and every run starts, found once, never in the workspace (sandboxLauncher.ts). */
  private launcher: { bwrap: string | undefined } | undefined;
  private readonly violations = new Set<string>();
  private pythonPaths: string[] = [];
  /** A candidate's changes are in the mirror (withChanges): its run may not hand caches on. */
  private changesApplied = false;
  private runCount = 0;
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
    this.mode ??= resolveIsolation(this.opts.isolation ?? 'auto', process.env, this.bwrap);
    return this.mode;
  }

  private get bwrap(): string | undefined {
    this.launcher ??= { bwrap: bwrapFor(this.source, this.opts.parentDir) };
    return this.launcher.bwrap;
  }

  /** What is reported: sandbox, or copy (not sandboxed; nothing shared with the user's folders). */
  get isolationKind(): IsolationKind {
    return this.isolationMode === 'sandbox' ? 'sandbox' : 'copy';
  }

  /** Whether the tests get the host's network: always in the copy, in the sandbox only when turned on. */
  get networkOn(): boolean {
    return this.isolationMode === 'fallback' || (this.opts.network ?? false);
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

  /** A fresh scratch for the next run (the last run's is thrown away): nothing one run writes reaches the next. */
  private freshScratch(): Scratch {
    void this.root;
    if (this.scratchDirs) rmSync(this.scratchDirs.root, { recursive: true, force: true });
    this.scratchDirs = makeScratch(join(this.baseDir!, '.qwq-scratch', `run-${++this.runCount}`));
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
    const stats: SyncStats = { files: 0, copied: 0, removed: 0, hashed: 0, durationMs: 0, pruned: 0, skipped: [] };
    const seen = new Set<string>();
    const failures: Array<{ path: string; code: string }> = [];

    // The scan is synchronous (one lstat per file is far cheaper than a promise per file) but yields to
    // the event loop every few thousand entries, so an extension host stays responsive.
    const changed: Array<{ r: string; st: Stats; heavy: boolean }> = [];
    const heavyDirs: Array<{ r: string; st: Stats; src: string }> = [];
    const venvs: string[] = [];
    let sinceYield = 0;
    const visit = async (rel: string, inHeavy: boolean): Promise<void> => {
      let dirents: Dirent[];
      try {
        dirents = readdirSync(this.abs(rel), { withFileTypes: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? 'error';
        if (code !== 'ENOENT') failures.push({ path: rel || '.', code });
        return;
      }
      for (const d of dirents) {
        const r = rel ? `${rel}/${d.name}` : d.name;
        // A name that is not UTF-8 reads back as U+FFFD and names no file: the copy could not hold it.
        if (d.name.includes('\uFFFD') && !lstatSync(join(this.source, r), { throwIfNoEntry: false })) {
          failures.push({ path: r, code: 'a file name that is not valid UTF-8' });
          continue;
        }
        const linkedHeavy = !inHeavy && d.isSymbolicLink() && this.heavyNames.has(d.name) ? this.heavyLinkTarget(r) : undefined;
        if (linkedHeavy) {
          // A heavy folder that is a link (into /tmp, say) is shown from its real path, never followed as a link.
          if (sandbox) {
            const st = statSync(linkedHeavy);
            seen.add(r);
            heavyDirs.push({ r, st, src: linkedHeavy });
            continue;
          }
          this.heavySources.set(r, linkedHeavy);
          await visit(r, true);
          continue;
        }
        if (d.isDirectory()) {
          if (!inHeavy && this.ignored.has(d.name)) continue;
          if (!inHeavy) {
            const kind = this.folderKind(join(this.source, r), d.name);
            if (kind === 'build') continue;
            if (kind === 'heavy') {
              if (existsSync(join(this.source, r, 'pyvenv.cfg'))) venvs.push(r);
              if (sandbox) {
                const st = lstatSync(join(this.source, r), { throwIfNoEntry: false });
                if (st) { seen.add(r); heavyDirs.push({ r, st, src: join(this.source, r) }); }
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
        if (overlays.has(r)) continue;
        const st = lstatSync(this.abs(r), { throwIfNoEntry: false });
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
    this.skipped = stats.skipped;
    for (const { r, st, src } of heavyDirs) await this.mountPoint(r, st, src);
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
    if (checkMirror) stats.pruned = await this.pruneMirror();
    if (!sandbox) this.pythonPaths = editableSourcePaths(this.source, venvs).map((r) => join(root, r));
    stats.durationMs = Date.now() - started;
    if (failures.length) throw new ShadowSyncError(failures);
    return stats;
  }

  private async mirrorOne(r: string, st: Stats, heavy: boolean, stats: SyncStats): Promise<void> {
    const old = this.manifest.get(r);
    const src = this.abs(r);
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
      // The copy mode's heavy folders: a real copy (a clone where the file system can), never a hard link.
      await mkdir(dirname(dst), { recursive: true });
      await unlink(dst).catch(() => undefined);
      await copyFile(src, dst, fsc.COPYFILE_FICLONE);
      await sameTimes(dst, st);
      this.manifest.set(r, { kind: 'file', mtimeMs: st.mtimeMs, size: st.size, hash: `copy:${st.ino}:${st.mtimeMs}`, ino: st.ino, m: sig(dst) });
      stats.copied++;
      return;
    }
    // A small file: blocking calls are several times cheaper than the thread pool's round trips per call (a
    // fresh mirror of 77 files: ~15 ms async); pool() yields to the event loop every few milliseconds.
    const small = st.size <= SMALL_FILE;
    const data = small ? readFileSync(src) : await readFile(src);
    const hash = hashOf(data);
    stats.hashed++;
    const changed = !old || old.hash !== hash || old.kind !== 'file';
    if (changed) {
      if (small) this.writeSync(r, data, old === undefined); else await this.write(r, data);
      stats.copied++;
    }
    // Touched with the same content too: the mirror's copy takes the new time (caches compare it with the source's).
    const retimed = changed || old.mtimeMs !== st.mtimeMs;
    if (retimed) { if (small) sameTimesSync(dst, st); else await sameTimes(dst, st); }
    this.manifest.set(r, { kind: 'file', mtimeMs: st.mtimeMs, size: st.size, hash, m: retimed ? sig(dst) : old.m });
  }

  /** Heavy folders that are links, by workspace-relative path: their real paths (the copy mode reads them there). */
  private readonly heavySources = new Map<string, string>();

  /** The absolute source path of a workspace-relative path (inside a linked heavy folder: under its real path). */
  private abs(rel: string): string {
    for (const [h, real] of this.heavySources) if (rel === h || rel.startsWith(`${h}/`)) return join(real, rel.slice(h.length));
    return join(this.source, rel);
  }

  /** The real path of a link named like a heavy folder, when it leads to a folder (a virtualenv only with pyvenv.cfg). */
  private heavyLinkTarget(rel: string): string | undefined {
    let real: string;
    try { real = realpathSync(join(this.source, rel)); } catch { return undefined; }
    if (!statSync(real, { throwIfNoEntry: false })?.isDirectory()) return undefined;
    const name = basename(rel);
    if ((name === '.venv' || name === 'venv') && !existsSync(join(real, 'pyvenv.cfg'))) return undefined;
    return real;
  }

  /**
   * Removes from the mirror what no sync wrote (files, links and folders a test run added), so the next run
   * starts from the candidate. Heavy mount points are left alone. Returns how many entries went.
   */
  private async pruneMirror(): Promise<number> {
    const keepDirs = new Set<string>();
    for (const r of this.manifest.keys()) for (let i = r.indexOf('/'); i > 0; i = r.indexOf('/', i + 1)) keepDirs.add(r.slice(0, i));
    let pruned = 0;
    const walk = async (rel: string): Promise<void> => {
      let names: string[];
      try { names = readdirSync(join(this.root, rel)); } catch { return; }
      for (const n of names) {
        const r = rel ? `${rel}/${n}` : n;
        const e = this.manifest.get(r);
        if (e) continue;
        if (keepDirs.has(r) && lstatSync(join(this.root, r)).isDirectory()) { await walk(r); continue; }
        await rm(join(this.root, r), { recursive: true, force: true });
        pruned++;
      }
    };
    await walk('');
    return pruned;
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
    return this.networkOn;
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
    this.changesApplied = true;
    try {
      for (const c of changes) {
        if (c.deleted) { await rm(join(root, c.path), { force: true }); continue; }
        const was = await stat(join(root, c.path)).catch(() => undefined);
        await this.write(c.path, changeBytes(c)); // the exact bytes: a non-UTF-8 file's too
        if (was) await newerSecond(join(root, c.path), was.mtimeMs);
      }
      return await fn();
    } finally {
      this.changesApplied = false;
      for (const c of changes) {
        this.manifest.delete(c.path);
        await unlink(join(root, c.path)).catch(() => undefined);
      }
    }
  }

  /**
   * The isolation for one test run, decided before it starts (from the machine and the user's setting only).
   * `resultsDir` (our hook and reporters, outside the mirror) is visible read-only at its own path (results
   * come back on the result channel, never through a file); every path in `writable` is writable. Each run gets a fresh scratch (caches, TMPDIR, node_modules layers) started from the
   * workspace's kept caches; afterRun throws it away, keeping it only from a completed baseline.
   */
  runIsolation(resultsDir: string, network = this.opts.network ?? false): RunIsolation {
    const root = this.root;
    const mode = this.isolationMode;
    const scratch = this.freshScratch();
    this.mirrorDirty = true;
    const kept = this.opts.warmCaches === false ? undefined : keptCacheDir(this.source);
    const baseline = !this.changesApplied;
    // A sandboxed run reads the kept byte-code in place, read-only: nothing to copy or delete per run (hundreds of
    // .pyc files), and nothing a candidate could write there (runCaches.ts SHARED_READ_ONLY).
    const shared = kept && mode === 'sandbox' ? SHARED_READ_ONLY.filter((n) => existsSync(join(kept, 'cache', n))) : [];
    const warm = kept ? seedRunCaches(kept, scratch, shared) : { warm: false, nm: undefined };
    const { env: inheritEnv, dropped } = withoutCredentials(process.env, this.opts.envAllow);
    const notes: string[] = [];
    const nmLayers: Array<{ index: number; dir: string; caches: string[] }> = [];
    const home = this.opts.home ?? homedir();
    let before: { ws: Snapshot; home: Snapshot } | undefined;
    const afterRun = (r: { completed: boolean }): void => {
      if (before) {
        const ws = compareSnapshots(before.ws, treeSnapshot(this.source, this.ignored));
        const hm = compareSnapshots(before.home, homeSnapshot(home));
        for (const p of ws) this.violations.add(p);
        for (const p of hm) this.violations.add(join(home, p));
      }
      if (kept && baseline && r.completed) {
        for (const l of nmLayers) l.caches = [...NODE_MODULES_CACHES].filter((c) => existsSync(join(l.dir, c)));
        keepRunCaches(kept, { cache: scratch.cache, tmp: scratch.tmp, nm: nmLayers }, shared);
      }
      // Off the path to the next run (a tree on a disk can take milliseconds to remove); dispose() removes what is left.
      void rm(scratch.root, { recursive: true, force: true }).catch(() => undefined);
      if (this.scratchDirs === scratch) this.scratchDirs = undefined;
    };
    if (mode === 'fallback') {
      const env: Record<string, string> = { ...scratchEnv(scratch, 'fallback') };
      // Editable installs name the user's source folders: the mirror's copies come first on the import path.
      if (this.pythonPaths.length) env.PYTHONPATH = [...this.pythonPaths, ...(process.env.PYTHONPATH ? [process.env.PYTHONPATH] : [])].join(':');
      // macOS, opted in with QWQ_SANDBOX=on: sandbox-exec denies writes outside the copy and our folders (untested here).
      const seatbelt = process.platform === 'darwin' && envIsolationMode() === 'sandbox' && sandboxExecAvailable();
      // Not sandboxed: what a run writes into the workspace or the home folder's top level is found afterwards.
      before = { ws: treeSnapshot(this.source, this.ignored), home: homeSnapshot(home) };
      notes.push('not sandboxed (a copy, on your request): HOME, caches and TMPDIR are scratch folders, and your workspace and home folder are checked after each run, but the tests can read your files and reach the network');
      const n = envNote(dropped);
      if (n) notes.push(n);
      return {
        kind: 'copy', viewRoot: root, cwd: root, env, inheritEnv, notes, afterRun,
        argv: seatbelt ? (command, writable) => [SANDBOX_EXEC, '-p', macosSandboxProfile([root, scratch.root, ...writable], network), SYSTEM_SHELL, '-c', command] : undefined,
      };
    }
    const bwrap = this.bwrap;
    // resolveIsolation chose the sandbox only after probing this very bwrap.
    if (!bwrap) throw new Error('no bwrap for a sandboxed run');
    if (!network && !diagnoseSandbox(bwrap).isolatedNetwork) {
      const d = diagnoseSandbox(bwrap);
      throw new SaidError(msg('networkOffNotRun', d.problemSaid ?? msg('noNetworkUnshare'), d.fixSaid ?? msg('turnNetworkOn')));
    }
    const layers: Mount[] = [];
    [...this.manifest.entries()].filter(([, e]) => e.kind === 'heavy').forEach(([r, e], i) => {
      const src = e.src ?? join(this.source, r);
      const dest = join(this.source, r);
      if (!r.endsWith('node_modules')) { layers.push({ src, dest, ro: true }); return; }
      // Kept between runs and repaired before each (writableLayers.ts): cheaper than building it every time.
      const dir = join(this.baseDir!, '.qwq-scratch', 'nm', String(i));
      if (kept && !this.viewHomes.has(dir)) {
        const home = keptViewDir(kept, r);
        this.viewHomes.set(dir, home);
        if (!existsSync(dir)) claimKeptView(home, dir); // the last shadow's view, repaired below
      }
      layers.push(...nodeModulesLayer(src, dest, dir, warm.nm ? join(warm.nm, String(i)) : undefined));
      nmLayers.push({ index: i, dir, caches: [] });
    });
    const view = homeView(home, process.env);
    notes.push(`sandboxed: ${network ? 'network on' : 'network off (the tests\' own loopback works)'}; ${homeNote(view)}`);
    const n = envNote(dropped);
    if (n) notes.push(n);
    return {
      kind: 'sandbox', ownPidNamespace: true, viewRoot: this.source, cwd: root, env: scratchEnv(scratch, 'sandbox'), inheritEnv, notes, afterRun,
      argv: (command, writable) => {
        const extra = [scratch.root, ...writable];
        for (const p of extra) mkdirSync(p, { recursive: true });
        // Over the writable scratch: the kept caches a candidate reads in place (`-try`: a kept layer another
        // verify just replaced leaves the folder empty, and the run cold).
        const readOnly = shared.flatMap((n) => { mkdirSync(join(scratch.cache, n), { recursive: true }); return ['--ro-bind-try', join(kept!, 'cache', n), join(scratch.cache, n)]; });
        // Our hook and reporters: read-only (results come back on the result channel, never through a file).
        return [bwrap, ...bwrapArgs({ workspace: this.source, shadowRoot: root, home: existsSync(home) && home !== '/' ? view : undefined, layers, writable: extra, network }), ...readOnly, '--ro-bind', resultsDir, resultsDir, SYSTEM_SHELL, '-c', command];
      },
    };
  }

  /** Paths in the user's workspace or home folder that a copy-mode run changed, since the last call. */
  takeViolations(): string[] {
    const v = [...this.violations].sort();
    this.violations.clear();
    return v;
  }

  private async mountPoint(r: string, st: Stats, src: string): Promise<void> {
    // The heavy folder's own mtime (and npm's lock inside it) change on install: part of the baseline key.
    const lock = lstatSync(join(src, '.package-lock.json'), { throwIfNoEntry: false });
    const hash = `heavy:${src}:${st.mtimeMs}:${lock?.mtimeMs ?? 0}:${lock?.size ?? 0}`;
    const old = this.manifest.get(r);
    if (old?.kind === 'heavy' && old.hash === hash) return;
    const abs = join(this.root, r);
    if (old?.kind !== 'heavy') {
      await rm(abs, { force: true, recursive: true });
      await mkdir(abs, { recursive: true });
    }
    this.manifest.set(r, { kind: 'heavy', mtimeMs: st.mtimeMs, size: 0, hash, src });
  }

  private async putText(r: string, text: string, stats: SyncStats): Promise<void> {
    const hash = hashOf(text);
    const old = this.manifest.get(r);
    if (!old || old.hash !== hash) { await this.write(r, text); stats.copied++; }
    // mtime -1: the next sync without this overlay re-reads the file from disk.
    this.manifest.set(r, { kind: 'file', mtimeMs: -1, size: -1, hash });
  }

  /**
   * write(), blocking: for small files. `fresh`: the manifest never had the path (nothing to unlink, unless a run
   * put something there). The folder is made only when the write finds it missing (a run may have removed it).
   */
  private writeSync(r: string, data: Buffer, fresh: boolean): void {
    const abs = join(this.root, r);
    // Unlink first: the path may be a symlink or a hard link, and writing through it would reach the source.
    if (!fresh || lstatSync(abs, { throwIfNoEntry: false })) rmSync(abs, { force: true, recursive: true });
    try {
      writeFileSync(abs, data, { flag: 'wx' }); // O_EXCL: never through a link that appeared meanwhile
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, data, { flag: 'wx' });
    }
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
    for (const [dir, home] of this.viewHomes) if (existsSync(dir)) returnKeptView(dir, home, NODE_MODULES_CACHES);
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

/**
 * The mirror's copy keeps its source's times. Caches that trust (mtime, size) then stay valid from one shadow
 * to the next: Python's timestamp .pyc files kept from a baseline (runCaches.ts), jest's haste map. With the
 * copy's own write time, every new shadow (each CLI verify) compiled every module of the project again.
 */
async function sameTimes(path: string, st: Stats): Promise<void> {
  await utimes(path, st.atimeMs / 1000, st.mtimeMs / 1000);
}

function sameTimesSync(path: string, st: Stats): void {
  utimesSync(path, st.atimeMs / 1000, st.mtimeMs / 1000);
}

/** Files up to this size are mirrored with blocking calls (mirrorOne). */
const SMALL_FILE = 256 * 1024;

/**
 * A changed file's mtime lands in a later whole second than the file it replaced. Caches that trust (mtime,
 * size), such as Python's timestamp .pyc files kept from the baseline (runCaches.ts), would otherwise run the
 * unedited byte-code for an edit of the same size written within the second of the sync.
 */
async function newerSecond(path: string, previousMs: number): Promise<void> {
  const now = (await stat(path)).mtimeMs;
  const prev = Math.floor(previousMs / 1000);
  if (Math.floor(now / 1000) > prev) return;
  await utimes(path, new Date(), prev + 1.5);
}
