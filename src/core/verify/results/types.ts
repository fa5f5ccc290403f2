import type { TestCaseResult } from '../types';

/** A parser fed line by line (streams) or all at once (files); `results()` may be called at any time (after `ready()`, where there is one). */
export interface ResultCollector {
  line(line: string): void;
  results(): TestCaseResult[];
  /** Whether the runner's reporter spoke at all (so a run with no tests is told apart from one without results). */
  reported?(): boolean;
  /**
   * A collector whose parser loads on demand (lazyCollector): resolves once results() can answer, rejects when the
   * parser cannot load. Await it before results(), which throws until then.
   */
  ready?(): Promise<void>;
}

/** The global through which the runner hook hands our reporter files the record writer, once (runnerHook.ts). */
export const RESULT_WRITER_SYMBOL = 'qwq-coder.results';
