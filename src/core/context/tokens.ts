// Token counting for budget packing. The model's own tokenizer is injected when the model is loaded;
// otherwise a calibrated estimate. Calibration (bench/context.bench.ts prints it again each run): code
// averages about 3.5 characters per token in BPE vocabularies of the Qwen2 family (~150k tokens), less for
// dense punctuation, more for long identifiers and prose; we round up so the estimate rarely undercounts.
export type TokenCounter = (text: string) => number;

export const charsPerToken = 3.5;

export const estimateTokens: TokenCounter = (text) => Math.ceil(text.length / charsPerToken);
