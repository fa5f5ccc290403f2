// A folder's every file path and text, in a stable order: tests compare two snapshots to prove nothing was written.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p); else out.push(`${p}:${readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir);
  return out.join('\n');
}
