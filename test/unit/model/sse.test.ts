import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSseData } from '../../../src/core/model/sse';

/** A body delivered in the given pieces, as a server's chunks arrive. */
function body(...pieces: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({ start(c) { for (const p of pieces) c.enqueue(new TextEncoder().encode(p)); c.close(); } });
}
async function all(b: ReadableStream<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const d of readSseData(b)) out.push(d);
  return out;
}

test('data payloads in order, split anywhere across chunks, including inside a multi-byte character', async () => {
  const text = 'data: {"a":1}\n\ndata: {"b":"é"}\n\ndata: [DONE]\n\n';
  const bytes = new TextEncoder().encode(text);
  const cut = text.indexOf('é') + 1; // inside the two bytes of é (as bytes: after its first byte)
  const parts = [bytes.slice(0, 5), bytes.slice(5, cut), bytes.slice(cut)];
  const b = new ReadableStream<Uint8Array>({ start(c) { for (const p of parts) c.enqueue(p); c.close(); } });
  assert.deepEqual(await all(b), ['{"a":1}', '{"b":"é"}', '[DONE]']);
});

test('the SSE line grammar: CRLF and bare CR line ends, comments, multi-line data, fields other than data', async () => {
  assert.deepEqual(await all(body('data: a\r\n\r\ndata: b\r\n\r\n')), ['a', 'b']);
  assert.deepEqual(await all(body('data: a\r\rdata: b\r\r\n')), ['a', 'b']);
  assert.deepEqual(await all(body(': keep-alive\n\nevent: x\nid: 1\ndata: y\n\n')), ['y']);
  assert.deepEqual(await all(body('data: one\ndata: two\n\n')), ['one\ntwo']);
});
