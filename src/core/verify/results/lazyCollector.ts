// A collector whose parser is a package loaded on demand (tap-parser and its YAML reader are most of the verifier's
// code by size): the CLI then compiles them only for the runs that print TAP. The load starts when the collector is
// made (the runner is known, before its process spawns); lines that arrive before it finished wait, in order.
import type { TestCaseResult } from '../types';
import type { ResultCollector } from './types';

/**
 * `what` names the parser in the error. results() throws until ready() resolved, and always when the load failed:
 * a run is never read with a missing parser (no results would look like a run without tests).
 */
export function lazyCollector(what: string, load: () => Promise<ResultCollector>): ResultCollector & { ready(): Promise<void> } {
  let inner: ResultCollector | undefined;
  let failed: Error | undefined;
  const waiting: string[] = [];
  // Never rejects (a run that ends before anyone awaits it must not leave an unhandled rejection): ready() rethrows.
  const loaded = load().then(
    (c) => { for (const l of waiting) c.line(l); waiting.length = 0; inner = c; },
    (e: unknown) => { waiting.length = 0; failed = new Error(`cannot load the ${what}: ${(e as Error)?.message ?? String(e)}`); },
  );
  return {
    line(l) {
      if (inner) inner.line(l);
      else if (!failed) waiting.push(l);
    },
    results(): TestCaseResult[] {
      if (!inner) throw failed ?? new Error(`the ${what} has not loaded yet: await ready() before results()`);
      return inner.results();
    },
    reported: () => inner?.reported?.() === true,
    async ready() {
      await loaded;
      if (failed) throw failed;
    },
  };
}
