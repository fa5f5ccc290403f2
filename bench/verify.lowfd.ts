// Helper for bench/verify.bench.ts (not a benchmark of its own): syncs the generated 10,000-file workspace
// into a fresh shadow, then after one change at a time, under the open-file limit of the calling shell
// (`ulimit -n 1024`), and prints the times as JSON. Any file the copy could not read makes sync() throw.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShadowWorkspace } from '../src/core/verify';

function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(join(dir, e.name)) : 1;
  return n;
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  const s = new ShadowWorkspace(dir, { isolation: 'fallback' });
  try {
    let t = performance.now();
    const first = await s.sync();
    const cold = performance.now() - t;
    const mirrored = countFiles(s.root);
    const target = join(dir, 'src/d42/f42.js');
    const original = readFileSync(target, 'utf8');
    const warm: number[] = [];
    try {
      for (let i = 0; i < 7; i++) {
        writeFileSync(target, `${original}// low-fd change ${i}\n`);
        t = performance.now();
        const st = await s.sync();
        warm.push(performance.now() - t);
        if (st.copied !== 1) throw new Error(`expected 1 copied, got ${st.copied}`);
      }
    } finally { writeFileSync(target, original); }
    console.log(JSON.stringify({ files: first.files, mirrored, cold, warm }));
  } finally { s.dispose(); }
}

void main().catch((e) => { console.error((e as Error).message); process.exit(1); });
