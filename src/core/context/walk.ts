// Lists a workspace's source files the way a person would see them: .gitignore respected (nested ones
// too), dependency and build folders skipped, binary and huge files left out, and robust to unreadable
// entries and symlink loops. Async, yielding to the event loop between directories.
import ignore, { type Ignore } from 'ignore';
import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';

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

async function readIgnore(dir: string): Promise<Ignore | undefined> {
  try {
    const text = await fs.readFile(join(dir, '.gitignore'), 'utf8');
    return ignore().add(text);
  } catch {
    return undefined;
  }
}

function ignored(layers: IgnoreLayer[], abs: string, isDir: boolean): boolean {
  for (const { base, ig } of layers) {
    const r = toRel(base, abs);
    if (r === '' || r.startsWith('..')) continue;
    if (ig.ignores(isDir ? `${r}/` : r)) return true;
  }
  return false;
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
  const skipDirs = new Set(options.skipDirs ?? defaultSkipDirs);
  const maxBytes = options.maxFileBytes ?? defaultMaxFileBytes;
  const maxFiles = options.maxFiles ?? 200_000;
  const files: WalkedFile[] = [];
  const skipped: WalkResult['skipped'] = [];
  const seenDirs = new Set<string>();
  const rootIgnore = await readIgnore(root);
  const stack: { dir: string; layers: IgnoreLayer[] }[] = [{ dir: root, layers: rootIgnore ? [{ base: root, ig: rootIgnore }] : [] }];

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
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0)); // popped in name order
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
    for (const d of subdirs.reverse()) stack.push({ dir: d, layers: dirLayers });
  }
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, skipped };
}
