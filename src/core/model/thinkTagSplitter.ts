// Splits streamed content that carries `<think>…</think>` inline (servers without a reasoning parser) into
// thought and answer chunks. Tags may arrive cut across chunks, so a possible tag prefix is held back.
import type { StreamChunk } from './types';

const OPEN = '<think>';
const CLOSE = '</think>';

export class ThinkTagSplitter {
  private mode: 'thought' | 'answer';
  private held = '';
  private sawOpen = false;
  thought = '';
  answer = '';

  /** `startInThought`: the prompt already opened `<think>` (QwQ's template), so text starts as thought. */
  constructor(startInThought = false) {
    this.mode = startInThought ? 'thought' : 'answer';
  }

  push(text: string): StreamChunk[] {
    const out: StreamChunk[] = [];
    let s = this.held + text;
    this.held = '';
    for (;;) {
      // The template opened `<think>` but the server echoes it anyway (Ollama with QwQ): drop the echo.
      if (this.mode === 'thought' && !this.sawOpen && this.thought.trim() === '' && s.trimStart().startsWith(OPEN)) {
        s = s.trimStart().slice(OPEN.length);
        this.sawOpen = true;
        continue;
      }
      const tag = this.mode === 'thought' ? CLOSE : OPEN;
      const at = s.indexOf(tag);
      if (at >= 0) {
        this.emit(out, s.slice(0, at));
        s = s.slice(at + tag.length);
        if (this.mode === 'answer') { this.sawOpen = true; this.mode = 'thought'; } else this.mode = 'answer';
        continue;
      }
      // `</think>` with no `<think>` before it: what came before was thought after all (an opened template).
      if (this.mode === 'answer' && !this.sawOpen && this.thought === '') {
        const close = s.indexOf(CLOSE);
        if (close >= 0) {
          this.thought = (this.answer + s.slice(0, close));
          this.answer = '';
          s = s.slice(close + CLOSE.length);
          continue;
        }
      }
      // Hold back a tail that could be the start of a tag.
      let keep = 0;
      for (let k = Math.min(CLOSE.length - 1, s.length); k > 0; k--) {
        const tail = s.slice(s.length - k);
        if (OPEN.startsWith(tail) || CLOSE.startsWith(tail)) { keep = k; break; }
      }
      this.emit(out, s.slice(0, s.length - keep));
      this.held = s.slice(s.length - keep);
      return out;
    }
  }

  /** The server parses reasoning itself (a reasoning_content field): content is the answer from now on. */
  reasoningSeparated(): void {
    if (this.mode === 'thought' && !this.sawOpen && this.thought === '') this.mode = 'answer';
  }

  /** Flushes the held-back tail at the end of the stream. */
  end(): StreamChunk[] {
    const out: StreamChunk[] = [];
    this.emit(out, this.held);
    this.held = '';
    return out;
  }

  private emit(out: StreamChunk[], text: string): void {
    if (!text) return;
    if (this.mode === 'thought') this.thought += text; else this.answer += text;
    out.push({ kind: this.mode, text });
  }
}
