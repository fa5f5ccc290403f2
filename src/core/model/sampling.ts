// QwQ-32B's sampling from its model card (docs/architecture.md §2). node-llama-cpp's defaults (greedy, repeat penalty on)
// make QwQ loop forever, so every call states every knob.
import type { SamplingOptions } from './types';
import { definedOnly } from '../util';

export const QWQ_SAMPLING: Required<Omit<SamplingOptions, 'seed' | 'asciiOnly'>> = {
  temperature: 0.6,
  topP: 0.95,
  topK: 40,
  minP: 0,
  presencePenalty: 0,
};

/** The node-llama-cpp prompt options for a sampling choice (repeat penalty off; presence penalty optional). */
export function toLlamaSampling(s: SamplingOptions = {}): Record<string, unknown> {
  const m = { ...QWQ_SAMPLING, ...definedOnly(s) };
  return {
    temperature: m.temperature,
    topP: m.topP,
    topK: m.topK,
    minP: m.minP,
    ...(s.seed !== undefined ? { seed: s.seed } : {}),
    repeatPenalty: m.presencePenalty > 0 ? { presencePenalty: m.presencePenalty, frequencyPenalty: 0, penalty: 1 } : false,
  };
}
