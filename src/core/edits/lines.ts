// Line model used by the applier: each line keeps its own terminator, so CRLF files, mixed endings and a
// missing final newline come out exactly as they went in.

export interface LineText {
  lines: string[];
  /** Terminator per line: '\n', '\r\n' or '' (only the last line, when the file has no final newline). */
  eols: string[];
}

export function splitLines(text: string): LineText {
  const lines: string[] = [];
  const eols: string[] = [];
  // indexOf, not a regex: this runs over whole files (tens of MB).
  let last = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', last)) {
    const cr = nl > last && text.charCodeAt(nl - 1) === 13;
    lines.push(text.slice(last, cr ? nl - 1 : nl));
    eols.push(cr ? '\r\n' : '\n');
    last = nl + 1;
  }
  if (last < text.length) {
    lines.push(text.slice(last));
    eols.push('');
  }
  return { lines, eols };
}

export function joinLines(t: LineText): string {
  const parts: string[] = new Array(t.lines.length * 2);
  for (let i = 0; i < t.lines.length; i++) { parts[2 * i] = t.lines[i]; parts[2 * i + 1] = t.eols[i]; }
  return parts.join('');
}

/** The file's usual line ending: what new lines get. */
export function dominantEol(t: LineText): string {
  let crlf = 0;
  let lf = 0;
  for (const e of t.eols) { if (e === '\r\n') crlf++; else if (e === '\n') lf++; }
  return crlf > lf ? '\r\n' : '\n';
}

/** A block's SEARCH or REPLACE text as lines, without terminators. */
export function blockLines(s: string): string[] {
  if (s === '') return [];
  const l = s.split(/\r?\n/);
  if (l[l.length - 1] === '') l.pop();
  return l;
}

export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}
