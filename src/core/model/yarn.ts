// YaRN rope scaling for contexts past the model's trained length (QwQ: factor 4 over 32768, docs/architecture.md §2).
// The factor must be a float: llama.cpp rejects a metadata override of 4 as an integer, hence the nudge.

export function yarnFactor(contextSize: number, trainContextSize: number): number | undefined {
  if (!(contextSize > trainContextSize) || trainContextSize <= 0) return undefined;
  const f = contextSize / trainContextSize;
  return Number.isInteger(f) ? f + 1e-4 : f;
}

export function yarnOverride(architecture: string, contextSize: number, trainContextSize: number): Record<string, unknown> | undefined {
  const factor = yarnFactor(contextSize, trainContextSize);
  if (factor === undefined) return undefined;
  return { [architecture]: { rope: { scaling: { type: 'yarn', factor, original_context_length: trainContextSize } } } };
}

/** The context a model runs natively: Qwen2-family (QwQ, Qwen2.5) 32768, whatever the header claims. */
export function nativeContextSize(architecture: string, trainContextSize: number): number {
  return architecture.startsWith('qwen2') ? Math.min(trainContextSize, 32768) : trainContextSize;
}
