// A qwen2 GGUF with QwQ-32B's vocabulary size (152,064 tokens, ~152k BPE merges: a ~5 MB header, as in the
// real model) and tiny random weights. The fixtures of `npm run fixtures` have ~300 tokens, so a header
// over the bounds check's 1 MiB read chunk, or the cost of reading a realistic header, never showed in them.
import { buildVocab, randomFill, TINY_SHAPE, writeQwen2Model, type Qwen2Shape } from '../../fixtures/gguf/qwen2Model';
import { GgmlType } from '../../fixtures/gguf/ggufWriter';

export const QWQ_VOCAB_SIZE = 152_064;
/** Tiny weights: the header is the point. */
export const LARGE_VOCAB_SHAPE: Qwen2Shape = { ...TINY_SHAPE, nEmbd: 32, type: GgmlType.F16, name: 'large-vocab qwen2 (random weights, test fixture)' };

/** Words ' a'…' z', ' aa'…, in order: each is one merge away from a shorter one, as BPE vocabularies are. */
function words(count: number): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const out: string[] = [];
  let frontier = [' '];
  while (out.length < count) {
    const next: string[] = [];
    for (const prefix of frontier) for (const c of letters) { next.push(prefix + c); if (out.length < count) out.push(prefix + c); }
    frontier = next;
  }
  return out;
}

/** Writes it (about 20 MB, a second); the vocabulary is exactly QWQ_VOCAB_SIZE tokens. */
export function writeLargeVocabQwen2(path: string): void {
  const base = buildVocab();
  const vocab = buildVocab({ words: words(QWQ_VOCAB_SIZE - base.tokens.length) });
  if (vocab.tokens.length !== QWQ_VOCAB_SIZE) throw new Error(`large vocab has ${vocab.tokens.length} tokens`);
  writeQwen2Model(path, LARGE_VOCAB_SHAPE, vocab, randomFill(3));
}
