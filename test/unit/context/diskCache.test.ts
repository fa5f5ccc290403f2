// The disk cache is read once per index, however many files ask for it at the same time (a restart used
// to read and parse the whole JSON once per file: seconds on a few hundred files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SymbolIndex } from '../../../src/core/context/symbolIndex';
import { scratchWorkspace } from './helpers';

test('a restart from the disk cache reads the cache file once and parses nothing', async (t) => {
  const ws = scratchWorkspace();
  const cacheDir = mkdtempSync(join(tmpdir(), 'qwq-ctx-cache-'));
  // 64 files or more: the build loads files concurrently (the pool path; nothing to parse, so no worker starts).
  for (let i = 0; i < 70; i++) writeFileSync(join(ws.root, `gen${i}.ts`), `export function gen${i}(): number { return ${i}; }\n`);
  try {
    const first = new SymbolIndex(ws.root, { cacheDir, workers: 0 });
    const cold = await first.build();
    first.dispose();
    assert.ok(cold.parsed > 3);
    const reads: string[] = [];
    const original = fsp.readFile;
    t.mock.method(fsp, 'readFile', function (this: unknown, ...args: Parameters<typeof fsp.readFile>) {
      if (String(args[0]).startsWith(cacheDir)) reads.push(String(args[0]));
      return original.apply(fsp, args);
    });
    const again = new SymbolIndex(ws.root, { cacheDir, workers: 2 });
    const warm = await again.build();
    again.dispose();
    assert.equal(warm.parsed, 0);
    assert.equal(warm.fromCache, cold.parsed);
    assert.equal(reads.length, 1, `the cache file was read ${reads.length} times`);
  } finally {
    ws.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
