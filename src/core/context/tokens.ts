// Token counting for budget packing. The model's own tokenizer is injected when the model is loaded
// (ContextEngine.setTokenCounter); until then, a calibrated estimate.
// Calibration (bench/context.bench.ts measures it again on every run): on effect@4.1.0's TypeScript
// sources, cl100k_base gives 3.88 characters per token and o200k_base 3.85. Qwen2's byte-level BPE
// (~151k tokens) is in the same family. We use 3.5, which over-counts by about 10%: a packed context
// then stays inside the model's real budget rather than overflowing it.
export type TokenCounter = (text: string) => number;

export const charsPerToken = 3.5;

export const estimateTokens: TokenCounter = (text) => Math.ceil(text.length / charsPerToken);
