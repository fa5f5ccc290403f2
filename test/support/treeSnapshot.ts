// Two ways to prove a test wrote nothing into a folder: a readable snapshot of every file path and text, in a
// stable order (its diff says what changed), and a hash of every path, mode, content and link target (byte-identical).
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
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

/** Every path, type, mode, content and link target under `dir`: equal hashes mean a byte-identical tree. */
export function treeHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (rel: string): void => {
    for (const n of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${n}` : n;
      const st = lstatSync(join(dir, r));
      h.update(`${r}\0${st.mode}\0`);
      if (st.isSymbolicLink()) h.update(`link:${readlinkSync(join(dir, r))}\n`);
      else if (st.isDirectory()) { h.update('dir\n'); walk(r); }
      else if (st.isFile()) h.update(readFileSync(join(dir, r))).update('\n');
      else h.update('special\n');
    }
  };
  walk('');
  return h.digest('hex');
}
