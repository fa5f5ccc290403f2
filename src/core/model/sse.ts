// Server-sent events: the `data:` payloads of a fetch body (the OpenAI streaming format), parsed by
// eventsource-parser (the whole SSE line grammar: CRLF, CR or LF line ends, comments, multi-line data).
// Measured against the hand-written loop it replaced (6 MB, 50,000 chat-completion chunks in 512-byte
// pieces, median of 7): 0.71 s vs 0.51 s, about 4 µs more per event, which a model's milliseconds per token
// dwarf; the loop it replaced dropped events separated by bare CRs.
import { createParser } from 'eventsource-parser';

export async function* readSseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const ready: string[] = [];
  const parser = createParser({ onEvent: (event) => { ready.push(event.data); } });
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (ready.length) yield ready.shift()!;
  }
  parser.feed(decoder.decode());
  parser.reset({ consume: true });
  while (ready.length) yield ready.shift()!;
}
