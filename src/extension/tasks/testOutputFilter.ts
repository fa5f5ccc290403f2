// Test output as a person wants to read it: the verifier's own machine-readable reporter lines
// (`::qwq-test::{json}`, how node:test events reach the result parser) are dropped. Output arrives in
// arbitrary chunks, so partial lines are held until their newline. Pure; unit-tested.
const MACHINE_LINE = /^::qwq-test::/;

export class TestOutputFilter {
  private partial = '';

  /** The readable part of a chunk (complete lines only). */
  push(chunk: string): string {
    const text = this.partial + chunk;
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < 0) { this.partial = text; return ''; }
    this.partial = text.slice(lastNl + 1);
    return keepReadable(text.slice(0, lastNl + 1));
  }

  /** Whatever is left at the end of the run. */
  flush(): string {
    const rest = this.partial;
    this.partial = '';
    return MACHINE_LINE.test(rest) ? '' : rest;
  }
}

function keepReadable(lines: string): string {
  return lines.split(/(?<=\n)/).filter((l) => !MACHINE_LINE.test(l)).join('');
}
