// Huge files (50 MB): one line changes, every other byte stays. Pure, but heavy (a few seconds and about
// 1 GB of memory per run), so it lives with the component tests rather than the fast unit tier.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBlocksToBytes } from '../../../src/core/edits';

test('a 50 MB file: one line in the middle changes, every other byte is identical (UTF-8 with a BOM, and Latin-1)', () => {
  const half = 25 * 1024 * 1024;
  for (const [name, line, bom] of [['utf8', Buffer.from('const value = "ünïcödé text";\r\n'), Buffer.from('\ufeff')], ['latin1', Buffer.from('const value = "\xfcn\xefc\xf6d\xe9 text";\r\n', 'latin1'), Buffer.alloc(0)]] as const) {
    const repeat = (bytes: number) => Buffer.alloc(Math.floor(bytes / line.length) * line.length, line);
    const head = Buffer.concat([bom, repeat(half)]);
    const tail = repeat(half);
    const before = Buffer.concat([head, Buffer.from('let target = 1;\r\n'), tail]);
    const r = applyBlocksToBytes(before, [{ search: 'let target = 1;\n', replace: 'let target = 2;\n' }], { path: 'big.js', indexes: [0] });
    assert.ok(r.ok, name);
    if (!r.ok) return;
    const after = r.change.afterBytes ? Buffer.from(r.change.afterBytes) : Buffer.from(r.change.after, 'utf8');
    assert.equal(after.length, before.length, name);
    assert.ok(after.subarray(0, head.length).equals(head), name);
    assert.ok(after.subarray(after.length - tail.length).equals(tail), name);
    assert.equal(after.subarray(head.length, head.length + 17).toString(), 'let target = 2;\r\n', name);
  }
});
