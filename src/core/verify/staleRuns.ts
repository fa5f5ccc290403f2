// Temp folders of a run (qwq-shadow-*, qwq-results-*) carry their owner's pid, so a folder left behind by a
// run that was killed (SIGKILL, a crash, a closed laptop) is removed by the next start of the CLI or the
// extension, and never one that a live process still uses.
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killMarked } from './processRunner';

export const OWNER_FILE = '.qwq-owner';
export const RUN_DIR_PREFIXES = ['qwq-shadow-', 'qwq-results-'];

interface Owner { pid: number; start?: string; marker?: string }

/** Run folders of this process, removed by removeOwnRunDirs() when the process must exit at once (a second signal). */
const ownDirs = new Set<string>();
export function trackRunDir(dir: string): void { ownDirs.add(dir); }
export function untrackRunDir(dir: string): void { ownDirs.delete(dir); }
export function removeOwnRunDirs(): void {
  for (const d of ownDirs) removeTree(d);
  ownDirs.clear();
}

/** The process's start time from /proc (Linux): tells a live owner from a new process that reuses its pid. */
function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Records the owner (and, for a test run, the marker its processes carry) in a run folder. */
export function writeOwnerFile(dir: string, opts: { pid?: number; marker?: string } = {}): void {
  const pid = opts.pid ?? process.pid;
  const owner: Owner = { pid, start: startTicks(pid), ...(opts.marker ? { marker: opts.marker } : {}) };
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify(owner));
}

function ownerAlive(o: Owner): boolean {
  try { process.kill(o.pid, 0); } catch (e) { if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false; }
  if (o.start === undefined) return true;
  const now = startTicks(o.pid);
  return now === undefined || now === o.start;
}

export interface SweepResult { removed: string[]; kept: number; killed: number[] }

/**
 * Removes the run folders in `parent` whose owner process is gone. A folder without an owner file (made by an
 * older version) is removed once it is a day old. Best effort: a folder that cannot be removed is left.
 */
export function sweepStaleRuns(parent = tmpdir(), opts: { maxOwnerlessAgeMs?: number } = {}): SweepResult {
  const out: SweepResult = { removed: [], kept: 0, killed: [] };
  let names: string[];
  try { names = readdirSync(parent); } catch { return out; }
  for (const name of names) {
    if (!RUN_DIR_PREFIXES.some((p) => name.startsWith(p))) continue;
    const dir = join(parent, name);
    let owner: Owner | undefined;
    try { owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as Owner; } catch { owner = undefined; }
    let stale: boolean;
    if (owner && typeof owner.pid === 'number') stale = owner.pid !== process.pid && !ownerAlive(owner);
    else {
      const st = statSync(dir, { throwIfNoEntry: false });
      stale = !!st?.isDirectory() && Date.now() - st.mtimeMs > (opts.maxOwnerlessAgeMs ?? 24 * 3600_000);
    }
    if (!stale) { out.kept++; continue; }
    // A run killed with SIGKILL outside the sandbox leaves its test processes: they carry the run's marker.
    if (owner?.marker) out.killed.push(...killMarked(owner.marker));
    if (removeTree(dir)) out.removed.push(dir);
  }
  return out;
}

/** rm -rf that also gets through folders a test made read-only. */
export function removeTree(dir: string): boolean {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    return true;
  } catch {
    try {
      makeWritable(dir);
      rmSync(dir, { recursive: true, force: true });
      return true;
    } catch {
      return false;
    }
  }
}

function makeWritable(dir: string): void {
  try { chmodSync(dir, 0o700); } catch { return; }
  let entries;
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const e of entries) if (e.isDirectory()) makeWritable(join(dir, e.name));
}
