// CPU time vs wall time of inline requests
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ContextEngine } from '../src/core/context/engine';
import { walkWorkspace } from '../src/core/context/walk';
const root = '/work/wt/speed/.bench-data/_xterm_xterm_6.0.0/package/src';
(async () => {
  const files = (await walkWorkspace(root, { include: (f: string) => f.endsWith('.ts') })) as any;
  const list = (Array.isArray(files) ? files : files.files).map((f: any) => f.abs ?? join(root, f.rel ?? f));
  const texts = list.map((f: string) => readFileSync(f, 'utf8')).sort((a: string, b: string) => b.length - a.length);
  let n = 0; const parts: string[] = [];
  for (const t of texts) { if (n >= 5000) break; parts.push(t); n += t.split('\n').length; }
  const big = parts.join('\n').split('\n').slice(0, 5000).join('\n');
  const rel = '__prof_5000.ts';
  writeFileSync(join(root, rel), big);
  const eng = new ContextEngine(root, { cacheDir: false, walk: { include: (f: string) => f.endsWith('.ts') } } as any);
  await eng.ready();
  await eng.context({ file: rel, line: 10, column: 1, budget: 512, text: big, purpose: 'inline' });
  const wall: number[] = []; const cpu: number[] = [];
  for (let line = 1; line <= 5000; line += 25) { const c = process.cpuUsage(); const t = performance.now(); await eng.context({ file: rel, line, column: 2, budget: 512, text: big, purpose: process.env.FULL ? undefined : 'inline' }); wall.push(performance.now() - t); const u = process.cpuUsage(c); cpu.push((u.user + u.system) / 1000); }
  const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1];
  console.log('wall p50', p(wall, .5).toFixed(1), 'p95', p(wall, .95).toFixed(1), '| cpu p50', p(cpu, .5).toFixed(1), 'p95', p(cpu, .95).toFixed(1));
  eng.dispose(); rmSync(join(root, rel));
})();
