// A module most runs never need (a result parser, the tsconfig reader), imported on first use.

/**
 * `load`, run once and kept for the process; a load that fails is not kept, so its caller sees the error and the
 * next call tries again.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load().catch((e: unknown) => {
    loading = undefined;
    throw e;
  }));
}
