// A temp folder that is removed when the test process exits, whatever the test's outcome: for tests that make
// many folders or hand them to code that may throw. Each tier runs with its own TMPDIR, and scripts/test.mjs
// names on the tier's line whatever is left there.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

export function scratchDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  if (made.length === 0) process.once('exit', () => { for (const m of made) rmSync(m, { recursive: true, force: true }); });
  made.push(d);
  return d;
}

/** A fresh folder holding `files` (paths relative to it; parents created), removed like scratchDir's. */
export function filesDir(prefix: string, files: Record<string, string | Buffer> = {}): string {
  const d = scratchDir(prefix);
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), data);
  }
  return d;
}
