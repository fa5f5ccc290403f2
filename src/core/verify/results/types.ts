import type { TestCaseResult } from '../types';

/** A parser fed line by line (streams) or all at once (files); `results()` may be called at any time. */
export interface ResultCollector {
  line(line: string): void;
  results(): TestCaseResult[];
}

/** Long failure texts are trimmed: the model and the panel need the start of the story, not 10 MB. */
export function trimOutput(text: string, max = 4000): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max)}\n… [${t.length - max} more characters]`;
}
