#!/usr/bin/env node
// `npm run bench [model|context|verify …]`: runs bench/<name>.bench.ts files. Each benchmark measures its
// own baseline in the same run and prints ratios against it (never absolute timing assertions in tests).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const all = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const names = wanted.length ? wanted : all;
for (const n of names) if (!all.includes(n)) { console.error(`no benchmark '${n}' (have: ${all.join(', ')})`); process.exit(2); }
if (spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
if (spawnSync('npm', ['run', '--silent', 'fixtures'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
let failed = 0;
for (const n of names) {
  console.log(`\n=== bench: ${n} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', `${n}.bench.ts`)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
