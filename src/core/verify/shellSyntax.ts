// The shell grammar of a test command, read and written through shell-quote. Two directions, two trusts:
// - out: a file name, test id or package we put on a command line is one literal argument (shellArg), so a
//   name like `$(touch x)`, a backtick, `;` or a newline is never shell syntax (docs/architecture.md §5).
// - in: the user's own script (package.json, a setting) is split into steps and words as sh reads it:
//   quotes, backslashes, `$( … )` and comments are the library's to decide, never a hand-written scanner's.
import { parse, quote, type ParseEntry } from 'shell-quote';

/** One literal argument for sh. */
export function shellArg(s: string): string {
  return quote([s]);
}

/** `$NAME` stays `$NAME` (not the parser's own environment, where it would vanish). */
const keepVariables = (name: string): { env: string } => ({ env: name });

function entries(text: string): ParseEntry[] {
  return parse(text, keepVariables as unknown as Record<string, string>);
}

const opOf = (e: ParseEntry): string | undefined => (typeof e === 'object' && 'op' in e ? e.op : undefined);

/** How many `&&` and `;` separate top-level commands (not those inside `( … )` or `$( … )`). */
function topLevelSeparators(text: string): number {
  let depth = 0;
  let n = 0;
  for (const e of entries(text)) {
    const op = opOf(e);
    if (op === '(') depth++;
    else if (op === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (op === '&&' || op === ';')) n++;
  }
  return n;
}

/**
 * A shell command's simple steps, split on top-level `&&` and `;`, each kept as the user wrote it. Pipes and
 * `||` stay inside a step. A candidate `&&`/`;` in the text is a separator when blanking it removes one of the
 * parser's top-level separators; inside quotes, after a backslash, in a comment or a subshell it removes none.
 */
export function splitSteps(script: string): string[] {
  const total = topLevelSeparators(script);
  const cuts: Array<[number, number]> = [];
  if (total > 0) {
    for (const m of script.matchAll(/&&|;/g)) {
      const at = m.index;
      const blanked = script.slice(0, at) + ' '.repeat(m[0].length) + script.slice(at + m[0].length);
      if (topLevelSeparators(blanked) === total - 1) cuts.push([at, at + m[0].length]);
      if (cuts.length === total) break;
    }
  }
  const out: string[] = [];
  let from = 0;
  for (const [start, end] of cuts) { out.push(script.slice(from, start)); from = end; }
  out.push(script.slice(from));
  return out.map((s) => s.trim()).filter(Boolean);
}

/** A word as sh would see it, before expansion: quotes removed, `$NAME` and globs as written. */
function wordText(e: ParseEntry): string | undefined {
  if (typeof e === 'string') return e;
  if ('env' in e) return `$${e.env as string}`;
  if ('op' in e && e.op === 'glob') return e.pattern;
  return undefined;
}

/** The words of a simple step (quotes removed); operators and comments end it. */
export function shellWords(step: string): string[] {
  const out: string[] = [];
  for (const e of entries(step)) {
    const w = wordText(e);
    if (w === undefined && opOf(e) !== '(') break;
    if (w !== undefined) out.push(w);
  }
  return out;
}
