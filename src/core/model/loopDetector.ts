// Detects a reasoning model stuck in a loop (QwQ's card warns greedy-ish decoding repeats forever): either
// the text's tail is periodic (the same passage over and over, short or long period) or one word n-gram keeps
// coming back. Pure: feed it text as it streams, it says when and why to stop.

export interface LoopDetectorOptions {
  /** Words per n-gram. */
  ngram?: number;
  /** An n-gram seen this many times is a loop. */
  maxNgramRepeats?: number;
  /** Periods (in characters) to test for a periodic tail. */
  minPeriod?: number;
  maxPeriod?: number;
  /** Copies of the period needed at the tail. */
  minPeriodRepeats?: number;
  /** And they must span at least this many characters (so "......" is not a loop). */
  minPeriodicSpan?: number;
}

export interface LoopVerdict { kind: 'periodic' | 'ngram'; detail: string }

const DEFAULTS: Required<LoopDetectorOptions> = { ngram: 10, maxNgramRepeats: 5, minPeriod: 1, maxPeriod: 1500, minPeriodRepeats: 4, minPeriodicSpan: 120 };

function preview(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return JSON.stringify(one.length > 60 ? `${one.slice(0, 57)}...` : one);
}

/** Length of the periodic run at the end of `text` for period p (how many trailing chars equal the ones p back). */
function periodicRun(text: string, p: number): number {
  let j = text.length - 1;
  while (j - p >= 0 && text.charCodeAt(j) === text.charCodeAt(j - p)) j--;
  return text.length - 1 - j;
}

/** The periodic tail, if any: the smallest period whose copies cover the tail enough times. */
export function findPeriodicTail(text: string, options: LoopDetectorOptions = {}): LoopVerdict | undefined {
  const o = { ...DEFAULTS, ...options };
  const maxP = Math.min(o.maxPeriod, Math.floor(text.length / o.minPeriodRepeats));
  for (let p = o.minPeriod; p <= maxP; p++) {
    const span = periodicRun(text, p) + p;
    if (span >= p * o.minPeriodRepeats && span >= o.minPeriodicSpan) {
      return { kind: 'periodic', detail: `the same ${p}-character passage repeated ${Math.floor(span / p)} times: ${preview(text.slice(text.length - p))}` };
    }
  }
  return undefined;
}

export class LoopDetector {
  private readonly o: Required<LoopDetectorOptions>;
  private text = '';
  private words: string[] = [];
  private pendingWord = '';
  private readonly counts = new Map<string, number>();
  private verdict: LoopVerdict | undefined;
  private checkedLength = 0;

  constructor(options: LoopDetectorOptions = {}) {
    this.o = { ...DEFAULTS, ...options };
  }

  get result(): LoopVerdict | undefined { return this.verdict; }

  /** Feeds streamed text; returns a verdict once a loop is seen (and keeps returning it). */
  push(chunk: string): LoopVerdict | undefined {
    if (this.verdict || chunk === '') return this.verdict;
    this.text += chunk;
    // Only the tail matters for periodicity; keep a bounded window so long thoughts stay cheap.
    const windowSize = this.o.maxPeriod * (this.o.minPeriodRepeats + 1);
    if (this.text.length > windowSize * 2) this.text = this.text.slice(-windowSize);
    this.verdict = this.pushWords(chunk);
    // Periodicity is checked every few characters: a loop is only interesting once it spans minPeriodicSpan.
    if (!this.verdict && this.text.length - this.checkedLength >= 16) {
      this.checkedLength = this.text.length;
      this.verdict = findPeriodicTail(this.text, this.o);
    }
    return this.verdict;
  }

  private pushWords(chunk: string): LoopVerdict | undefined {
    const parts = (this.pendingWord + chunk).split(/\s+/);
    this.pendingWord = parts.pop() ?? ''; // the last word may continue in the next chunk
    for (const w of parts) {
      if (!w) continue;
      this.words.push(w.toLowerCase());
      if (this.words.length > this.o.ngram) this.words.shift();
      if (this.words.length === this.o.ngram) {
        const key = this.words.join(' ');
        const n = (this.counts.get(key) ?? 0) + 1;
        this.counts.set(key, n);
        if (n >= this.o.maxNgramRepeats) return { kind: 'ngram', detail: `the phrase ${preview(key)} came back ${n} times` };
      }
    }
    return undefined;
  }
}
