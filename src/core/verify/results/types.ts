import type { TestCaseResult } from '../types';

/** A parser fed line by line (streams) or all at once (files); `results()` may be called at any time. */
export interface ResultCollector {
  line(line: string): void;
  results(): TestCaseResult[];
  /** Whether the runner's reporter spoke at all (so a run with no tests is told apart from one without results). */
  reported?(): boolean;
}
