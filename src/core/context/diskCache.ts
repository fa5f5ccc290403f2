// The index's disk cache: analyses keyed by content hash, plus (size, mtime) -> hash so an unchanged
// file is not even read on the next start. One JSON file per workspace, read lazily on first use and
// written after a build. Keyed also by a digest of our queries, so changing a query invalidates it.
import { promises as fs, readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FileAnalysis } from './fileAnalysis';
import { queriesDir } from './languages';

interface CacheFile {
  version: string;
  stats: Record<string, { size: number; mtimeMs: number; hash: string }>;
  analyses: Record<string, FileAnalysis>;
}

// Bumped when an analysis changes shape or meaning (3: top-level `require` lines are no longer definitions).
const formatVersion = 5;

function queriesDigest(): string {
  const h = createHash('sha1').update(String(formatVersion));
  try {
    const dir = queriesDir();
    for (const lang of readdirSync(dir).sort()) {
      for (const f of readdirSync(join(dir, lang)).sort()) h.update(`${lang}/${f}`).update(readFileSync(join(dir, lang, f)));
    }
  } catch { /* no queries: still a valid (empty) digest */ }
  return h.digest('hex').slice(0, 16);
}

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'qwq-coder', 'context');
}

export class DiskCache {
  private data: CacheFile | undefined;
  private readonly file: string;
  private readonly version = queriesDigest();
  private dirty = false;

  constructor(cacheDir: string, root: string) {
    this.file = join(cacheDir, `${createHash('sha1').update(root).digest('hex').slice(0, 20)}.json`);
  }

  private loading: Promise<CacheFile> | undefined;

  /** Reads the file once: a build asks for every file at the same time, and each call used to read and
   * parse the whole JSON again (seconds on a few hundred files). */
  private load(): Promise<CacheFile> {
    if (this.data) return Promise.resolve(this.data);
    this.loading ??= this.read();
    return this.loading;
  }

  private async read(): Promise<CacheFile> {
    let data: CacheFile | undefined;
    try {
      const parsed = JSON.parse(await fs.readFile(this.file, 'utf8')) as CacheFile;
      if (parsed.version === this.version) data = parsed;
    } catch { /* missing or corrupt: start empty */ }
    this.data = data ?? { version: this.version, stats: {}, analyses: {} };
    return this.data;
  }

  async hashFor(rel: string, size: number, mtimeMs: number): Promise<string | undefined> {
    const s = (await this.load()).stats[rel];
    return s && s.size === size && s.mtimeMs === mtimeMs ? s.hash : undefined;
  }

  async get(hash: string): Promise<FileAnalysis | undefined> {
    return (await this.load()).analyses[hash];
  }

  async put(rel: string, size: number, mtimeMs: number, analysis: FileAnalysis): Promise<void> {
    const d = await this.load();
    d.stats[rel] = { size, mtimeMs, hash: analysis.hash };
    d.analyses[analysis.hash] = analysis;
    this.dirty = true;
  }

  /** Writes the cache, keeping only entries for `liveFiles` (atomic rename, so a crash leaves the old one). */
  async save(liveFiles: Set<string>): Promise<void> {
    if (!this.data || !this.dirty) return;
    const stats: CacheFile['stats'] = {};
    const analyses: CacheFile['analyses'] = {};
    for (const [rel, s] of Object.entries(this.data.stats)) {
      if (!liveFiles.has(rel) || !this.data.analyses[s.hash]) continue;
      stats[rel] = s;
      analyses[s.hash] = this.data.analyses[s.hash];
    }
    this.data = { version: this.version, stats, analyses };
    await fs.mkdir(join(this.file, '..'), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(this.data));
    await fs.rename(tmp, this.file);
    this.dirty = false;
  }
}
