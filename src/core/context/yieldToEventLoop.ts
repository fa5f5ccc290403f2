// Long loops (indexing 10,000 files) yield between chunks so the extension host keeps responding.
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
