// The CLI exits as soon as its answer is written, on a workspace large enough to start the worker pool
// (64 files or more), both on a cold index and on a restart served from the disk cache (where the pool
// used to be created, never given work, and kept the process alive).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
const cli = join(root, 'out/cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'qwq-ctx-exit-'));
const workspace = join(scratch, 'ws');
const cacheHome = join(scratch, 'cache');

before(() => {
  if (!existsSync(cli) || !existsSync(join(root, 'out/grammars'))) assert.equal(spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' }).status, 0);
  for (let d = 0; d < 20; d++) {
    mkdirSync(join(workspace, `pkg${d}`), { recursive: true });
    for (let f = 0; f < 30; f++) {
      writeFileSync(join(workspace, `pkg${d}`, `m${f}.ts`), `import { helper${(f + 1) % 30} } from './m${(f + 1) % 30}';\n\nexport class Service${d}_${f} {\n  constructor(private readonly _n: number) {}\n  run(): number {\n    return helper${(f + 1) % 30}(this._n) + ${f};\n  }\n}\n\nexport function helper${f}(n: number): number {\n  return n * ${f + 1};\n}\n`);
    }
  }
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the CLI; resolves with the time from its first output to its exit (or Infinity after `limitMs`). */
function gapAfterOutput(args: string[], limitMs: number): Promise<{ code: number | null; gapMs: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: workspace, env: { ...process.env, XDG_CACHE_HOME: cacheHome }, stdio: ['ignore', 'pipe', 'inherit'] });
    let firstOutput = 0;
    let stdout = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (firstOutput) return;
      firstOutput = Date.now();
      timer = setTimeout(() => { child.kill('SIGKILL'); }, limitMs);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      const gapMs = firstOutput ? Date.now() - firstOutput : Infinity;
      resolve({ code, gapMs: code === null ? Infinity : gapMs, stdout });
    });
  });
}

for (const run of ['a cold index (workers parse)', 'a restart from the disk cache (no parsing)']) {
  test(`context exits within 2 s of writing its answer: ${run}`, async () => {
    const r = await gapAfterOutput(['context', '--file', 'pkg3/m7.ts', '--line', '6', '--column', '5', '--budget', '800'], 2000);
    assert.equal(r.code, 0, 'killed: still alive 2 s after its output');
    assert.ok(r.gapMs < 2000, `exited ${r.gapMs} ms after its output`);
    const out = JSON.parse(r.stdout) as { snippets: { symbol: string | null }[] };
    assert.equal(out.snippets[0].symbol, 'run');
  });
}

test('repomap exits within 2 s of writing its answer', async () => {
  const r = await gapAfterOutput(['repomap', '--budget', '300'], 2000);
  assert.equal(r.code, 0, 'killed: still alive 2 s after its output');
});
