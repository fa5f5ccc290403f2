// Lists a workspace's source files the way a person would see them. In a git repository, git says:
// `git ls-files -co --exclude-standard` (tracked plus untracked files, minus exactly what git ignores).
// Elsewhere a walker applies the same rules: .gitignore files at every level (a deeper one can re-include
// with `!pattern` what a parent ignores), and .git/info/exclude. Dependency and build folders are
// skipped, binary and huge files left out; unreadable entries and symlink loops are survived. Async,
// yielding to the event loop between directories.
import ignore, { type Ignore } from 'ignore';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { hostProgramFor, trustedPathVar, workspaceControlled } from '../util/hostPrograms';

export const defaultSkipDirs = ['node_modules', '.venv', 'venv', 'target', '.git', '.hg', '.svn', '__pycache__', '.mypy_cache', '.pytest_cache', '.tox', '.qwq-cache'];

/** Files larger than this are not indexed (cursor context still shows a window of them). */
export const defaultMaxFileBytes = 1024 * 1024;

export interface WalkOptions {
  /** Directory names never entered. */
  skipDirs?: string[];
  maxFileBytes?: number;
  /** Only files whose name passes this filter are returned (e.g. supported source extensions). */
  include?: (relPath: string) => boolean;
  /** Stop after this many files (protects the host from a runaway walk of a huge tree). */
  maxFiles?: number;
  signal?: AbortSignal;
  /** Ask git for the listing when the root is in a git work tree (default true). */
  git?: boolean;
}

export interface WalkedFile {
  /** Workspace-relative, forward slashes. */
  rel: string;
  abs: string;
  size: number;
  /** From the same stat as `size`, so the index need not stat the file again. */
  mtimeMs: number;
}

export interface WalkResult {
  files: WalkedFile[];
  /** Files left out, with the reason (too large, binary, unreadable). */
  skipped: { rel: string; reason: 'too-large' | 'binary' | 'unreadable' }[];
}

interface IgnoreLayer { base: string; ig: Ignore }

export function toRel(root: string, abs: string): string {
  const r = relative(root, abs);
  return sep === '/' ? r : r.split(sep).join('/');
}

async function readIgnore(dir: string, name = '.gitignore'): Promise<Ignore | undefined> {
  try {
    const text = await fs.readFile(join(dir, name), 'utf8');
    return ignore().add(text);
  } catch {
    return undefined;
  }
}

/** As git decides: the deepest .gitignore with a rule for the path wins, so a nested `!keep.log`
 * re-includes what a parent's `*.log` ignores. Layers are ordered shallowest first. */
function ignored(layers: IgnoreLayer[], abs: string, isDir: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const { base, ig } = layers[i];
    const r = toRel(base, abs);
    if (r === '' || r.startsWith('..')) continue;
    const t = ig.test(isDir ? `${r}/` : r);
    if (t.unignored) return false;
    if (t.ignored) return true;
  }
  return false;
}

/**
 * Tracked and untracked files, as git lists them (relative to `root`); undefined when git cannot say. The git is
 * an absolute path outside the workspace (hostPrograms.ts: a `git` in the workspace, found through a relative or
 * node_modules PATH entry, would run on the host, outside any sandbox, on every listing), and it gets only the
 * trusted PATH entries. No git that may be trusted reads as no git: the walker lists instead.
 * `core.fsmonitor=false`: `ls-files` starts the repository's configured fsmonitor program, and .git/config is the
 * workspace's to write.
 */
function gitListing(root: string, signal?: AbortSignal): Promise<string[] | undefined> {
  const git = hostProgramFor('git', root);
  if (!git) return Promise.resolve(undefined);
  const env = { ...process.env, PATH: trustedPathVar(workspaceControlled(root)) };
  return new Promise((resolve) => {
    execFile(git, ['-c', 'core.fsmonitor=false', 'ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, env, maxBuffer: 512 * 1024 * 1024, signal, encoding: 'utf8', windowsHide: true }, (err, stdout) => {
      if (err) return resolve(undefined);
      resolve(stdout.split('\0').filter(Boolean));
    });
  });
}

/** True when the first bytes contain a NUL: the same heuristic git uses to call a file binary. */
export async function looksBinary(abs: string): Promise<boolean> {
  const handle = await fs.open(abs, 'r');
  try {
    const buf = Buffer.alloc(8000);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

export async function walkWorkspace(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  if (options.git !== false) {
    const listed = await gitListing(root, options.signal);
    options.signal?.throwIfAborted();
    // An empty listing is a folder git ignores as a whole (or an empty repository): walk it instead.
    if (listed?.length) return fromListing(root, listed, options);
  }
  return walk(root, options);
}

/** The files of git's listing, through the same filters as the walker (skipped folders, include, size, binary). */
async function fromListing(root: string, listed: string[], options: WalkOptions): Promise<WalkResult> {
  const skipDirs = new Set(options.skipDirs ?? defaultSkipDirs);
  const maxBytes = options.maxFileBytes ?? defaultMaxFileBytes;
  const maxFiles = options.maxFiles ?? 200_000;
  const files: WalkedFile[] = [];
  const skipped: WalkResult['skipped'] = [];
  const sorted = [...new Set(listed)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [i, rel] of sorted.entries()) {
    if (files.length >= maxFiles) break;
    if (i % 256 === 0) options.signal?.throwIfAborted();
    const parts = rel.split('/');
    if (parts.slice(0, -1).some((p) => skipDirs.has(p))) continue;
    if (options.include && !options.include(rel)) continue;
    const abs = join(root, ...parts);
    try {
      const st = await fs.stat(abs);
      if (!st.isFile()) continue; // a submodule, or a tracked file deleted from the work tree
      if (st.size > maxBytes) { skipped.push({ rel, reason: 'too-large' }); continue; }
      if (await looksBinary(abs)) { skipped.push({ rel, reason: 'binary' }); continue; }
      files.push({ rel, abs, size: st.size, mtimeMs: st.mtimeMs });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') skipped.push({ rel, reason: 'unreadable' });
    }
  }
  return { files, skipped };
}

async function walk(root: string, options: WalkOptions): Promise<WalkResult> {
  const skipDirs = new Set(options.skipDirs ?? defaultSkipDirs);
  const maxBytes = options.maxFileBytes ?? defaultMaxFileBytes;
  const maxFiles = options.maxFiles ?? 200_000;
  const files: WalkedFile[] = [];
  const skipped: WalkResult['skipped'] = [];
  const seenDirs = new Set<string>();
  const rootLayers: IgnoreLayer[] = [];
  // .git/info/exclude: the repository's own ignore rules, below every .gitignore in precedence.
  const exclude = await readIgnore(join(root, '.git', 'info'), 'exclude');
  if (exclude) rootLayers.push({ base: root, ig: exclude });
  const rootIgnore = await readIgnore(root);
  if (rootIgnore) rootLayers.push({ base: root, ig: rootIgnore });
  const stack: { dir: string; layers: IgnoreLayer[] }[] = [{ dir: root, layers: rootLayers }];

  while (stack.length && files.length < maxFiles) {
    options.signal?.throwIfAborted();
    const { dir, layers } = stack.pop()!;
    // Symlink loops: a directory reached twice by its real path is entered once.
    let real: string;
    try { real = await fs.realpath(dir); } catch { continue; }
    if (seenDirs.has(real)) continue;
    seenDirs.add(real);
    let entries;
    try { entries = await fs.readdir(dir, { withFileTypes: true }); } catch { continue; }
    let dirLayers = layers;
    if (dir !== root) {
      const ig = await readIgnore(dir);
      if (ig) dirLayers = [...layers, { base: dir, ig }];
    }
    // Name order, depth first: with maxFiles, the first-named files and folders are the ones kept.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const e of entries) {
      const abs = join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      let size = -1;
      let mtimeMs = 0;
      if (e.isSymbolicLink()) {
        try {
          const st = await fs.stat(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
          size = st.size;
          mtimeMs = st.mtimeMs;
        } catch { continue; } // dangling link
      }
      if (isDir) {
        if (skipDirs.has(e.name) || ignored(dirLayers, abs, true)) continue;
        subdirs.push(abs);
        continue;
      }
      if (!isFile) continue;
      const rel = toRel(root, abs);
      if (options.include && !options.include(rel)) continue;
      if (ignored(dirLayers, abs, false)) continue;
      try {
        if (size < 0) ({ size, mtimeMs } = await fs.stat(abs));
        if (size > maxBytes) { skipped.push({ rel, reason: 'too-large' }); continue; }
        if (await looksBinary(abs)) { skipped.push({ rel, reason: 'binary' }); continue; }
      } catch {
        skipped.push({ rel, reason: 'unreadable' });
        continue;
      }
      files.push({ rel, abs, size, mtimeMs });
      if (files.length >= maxFiles) break;
    }
    // The stack pops the last pushed first: push in reverse name order so the first-named folder is next.
    for (const d of subdirs.reverse()) stack.push({ dir: d, layers: dirLayers });
  }
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, skipped };
}

/** What the walker ignores at `rel` (workspace-relative): skipped folders, unsupported names are the
 * caller's filter; this answers for skip folders and .gitignore rules at every level (file watchers
 * use it to drop events for ignored paths without listing the workspace). */
export async function isIgnoredPath(root: string, rel: string, skipDirs: readonly string[] = defaultSkipDirs): Promise<boolean> {
  const parts = rel.split('/').filter(Boolean);
  if (parts.slice(0, -1).some((p) => skipDirs.includes(p))) return true;
  const layers: IgnoreLayer[] = [];
  const exclude = await readIgnore(join(root, '.git', 'info'), 'exclude');
  if (exclude) layers.push({ base: root, ig: exclude });
  let dir = root;
  for (let i = 0; i < parts.length; i++) {
    const ig = await readIgnore(dir);
    if (ig) layers.push({ base: dir, ig });
    const abs = join(dir, parts[i]);
    if (ignored(layers, abs, i < parts.length - 1)) return true;
    dir = abs;
  }
  return false;
}
