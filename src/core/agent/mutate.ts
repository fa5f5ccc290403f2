// Small mutations of source code, for generate-tests: a good new test fails when the code under it changes
// behaviour. Textual, line by line, skipping comment lines; each mutation changes one operator or constant.
// Pure. Not a full mutation-testing tool: a handful of classic operators is enough to catch tautological tests.

export interface Mutation {
  description: string;
  /** 1-based line that was changed. */
  line: number;
  after: string;
}

const swaps: Array<[RegExp, string, string]> = [
  [/===/, '!==', '=== → !=='],
  [/!==/, '===', '!== → ==='],
  [/(?<![=!<>])==(?!=)/, '!=', '== → !='],
  [/!=(?!=)/, '==', '!= → =='],
  [/<=/, '<', '<= → <'],
  [/>=/, '>', '>= → >'],
  [/(?<![<=-])<(?![=<])/, '<=', '< → <='],
  [/(?<![>=-])>(?![=>])/, '>=', '> → >='],
  [/ \+ /, ' - ', '+ → -'],
  [/ - /, ' + ', '- → +'],
  [/ \* /, ' / ', '* → /'],
  [/\btrue\b/, 'false', 'true → false'],
  [/\bfalse\b/, 'true', 'false → true'],
  [/\bTrue\b/, 'False', 'True → False'],
  [/\bFalse\b/, 'True', 'False → True'],
  [/ && /, ' || ', '&& → ||'],
  [/ \|\| /, ' && ', '|| → &&'],
  [/ and /, ' or ', 'and → or'],
  [/ or /, ' and ', 'or → and'],
];

function isCodeLine(line: string): boolean {
  const t = line.trim();
  return t !== '' && !/^(\/\/|#|\*|\/\*|"""|''')/.test(t) && !/^(import|from|package|#include)\b/.test(t);
}

/**
 * Mutations of `text`, within `range` when given (the function under test), in source order, at most `max`.
 * Lines that define or import nothing but strings (e.g. a log message) are still candidates; the caller
 * runs the tests and only a killed mutation counts.
 */
export function mutations(text: string, range?: { startLine: number; endLine: number }, max = 3): Mutation[] {
  const lines = text.split('\n');
  const out: Mutation[] = [];
  const from = range ? Math.max(1, range.startLine) : 1;
  const to = range ? Math.min(lines.length, range.endLine) : lines.length;
  for (let n = from; n <= to && out.length < max; n++) {
    const line = lines[n - 1];
    if (!isCodeLine(line)) continue;
    // Skip text inside string literals: mutate only the code before the first quote on the line.
    const quote = line.search(/["'`]/);
    const code = quote >= 0 ? line.slice(0, quote) : line;
    for (const [re, to2, description] of swaps) {
      const m = re.exec(code);
      if (!m) continue;
      const mutated = line.slice(0, m.index) + to2 + line.slice(m.index + m[0].length);
      const copy = lines.slice();
      copy[n - 1] = mutated;
      out.push({ description: `line ${n}: ${description}`, line: n, after: copy.join('\n') });
      break; // one mutation per line, so the few we try are spread over the function
    }
  }
  return out;
}
