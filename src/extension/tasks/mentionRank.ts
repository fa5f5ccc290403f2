// Ranks completion candidates for `#file:` / `#symbol:` (pure; unit-tested in test/unit/webview/cards.test.ts).

/**
 * The best `limit` matches of `query`: a name that starts with it first, then a path whose file name starts
 * with it, then any that contains it, then a subsequence match (`crtjs` finds `cart.js`); shorter before longer.
 */
export function rankMentions(candidates: readonly string[], query: string, limit: number): string[] {
  const q = query.toLowerCase();
  const scored: { value: string; score: number }[] = [];
  for (const value of candidates) {
    const v = value.toLowerCase();
    const base = v.slice(v.lastIndexOf('/') + 1);
    let score: number;
    if (q === '') score = 3;
    else if (v.startsWith(q)) score = 0;
    else if (base.startsWith(q)) score = 1;
    else if (v.includes(q)) score = 2;
    else if (isSubsequence(q, v)) score = 4;
    else continue;
    scored.push({ value, score });
  }
  scored.sort((a, b) => a.score - b.score || a.value.length - b.value.length || a.value.localeCompare(b.value));
  return scored.slice(0, limit).map((s) => s.value);
}

function isSubsequence(q: string, v: string): boolean {
  let i = 0;
  for (const ch of v) if (ch === q[i] && ++i === q.length) return true;
  return i === q.length;
}
