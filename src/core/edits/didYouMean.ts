// "Did you mean": the window of the file most similar to a SEARCH text that was not found, so the model
// (or the user) sees what the file really says there.

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  const t = s.trim().replace(/\s+/g, ' ');
  for (let i = 0; i < t.length - 1; i++) {
    const g = t.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** Dice coefficient on character bigrams: 1 for equal lines, 0 for nothing in common. */
function similarity(a: Map<string, number>, b: Map<string, number>, ta: string, tb: string): number {
  if (ta === tb) return 1;
  let sizeA = 0;
  let sizeB = 0;
  let common = 0;
  for (const v of a.values()) sizeA += v;
  for (const v of b.values()) sizeB += v;
  if (sizeA + sizeB === 0) return 0;
  for (const [g, v] of a) common += Math.min(v, b.get(g) ?? 0);
  return (2 * common) / (sizeA + sizeB);
}

export interface ClosestLines { startLine: number; endLine: number; lines: string[]; score: number }

/** The most similar window (1-based lines), or undefined when nothing resembles the SEARCH text. */
export function closestLines(file: string[], search: string[], minScore = 0.4): ClosestLines | undefined {
  const s = search.filter((l) => l.trim() !== '');
  if (s.length === 0 || file.length === 0) return undefined;
  const sGrams = s.map(bigrams);
  const sTrim = s.map((l) => l.trim());
  const fTrim = file.map((l) => l.trim());
  const fGrams = file.map((l) => bigrams(l));
  const n = Math.min(search.length, file.length);
  // Cap the work on huge files: compare at most ~2M line pairs.
  const step = Math.max(1, Math.floor((file.length * n) / 2_000_000));
  let best: { start: number; score: number } | undefined;
  for (let i = 0; i + n <= file.length; i += step) {
    let total = 0;
    for (let k = 0; k < Math.min(n, s.length); k++) total += similarity(fGrams[i + k], sGrams[k], fTrim[i + k], sTrim[k]);
    const score = total / s.length;
    if (!best || score > best.score) best = { start: i, score };
  }
  if (!best || best.score < minScore) return undefined;
  return { startLine: best.start + 1, endLine: best.start + n, lines: file.slice(best.start, best.start + n), score: best.score };
}
