// Test output as a person wants to read it:
// - the verifier's own machine-readable reporter lines (`::qwq-test::{json}`, how node:test events reach the
//   result parser) are dropped;
// - paths are the user's own: the shadow copy's temp prefix (…/qwq-shadow-XXXX/) and the workspace root become
//   workspace-relative, so `test/cart.test.js:17:10` is a link the panel can open;
// - runner-internal stack frames (node:internal, node_modules/…) fold into one "… N runner frames" line.
// Output arrives in arbitrary chunks, so partial lines are held until their newline. Pure; unit-tested.
const MACHINE_LINE = /^::qwq-test::/;
/** A temp shadow copy's root, wherever the OS puts temp folders. */
const SHADOW_PREFIX = /(?:file:\/\/)?(?:[A-Za-z]:)?(?:[\\/][^\s\\/:()'"`]+)*[\\/]qwq-shadow-[^\s\\/:()'"`]+[\\/]/g;
const INTERNAL_FRAME = /^\s+at (?:.*[(\s])?(?:node:|internal\/|[^\s()]*node_modules[\\/])/;

export interface OutputMapping {
  /** Absolute workspace roots whose prefix is dropped (the sandbox mounts the shadow at the workspace's own path). */
  roots?: string[];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Rewrites shadow and workspace paths in a text to workspace-relative ones. */
export function mapPaths(text: string, mapping: OutputMapping = {}): string {
  let out = text.replace(SHADOW_PREFIX, '');
  for (const root of mapping.roots ?? []) {
    const r = root.replace(/[\\/]+$/, '');
    if (r.length > 1) out = out.replace(new RegExp(`(?:file://)?${escapeRe(r)}[\\\\/]`, 'g'), '');
  }
  return out;
}

/** Folds runs of runner-internal stack frames into one line. */
export function foldInternalFrames(lines: string[]): string[] {
  const out: string[] = [];
  let run = 0;
  let indent = '    ';
  const flush = () => {
    if (run > 0) out.push(`${indent}… ${run === 1 ? '1 runner frame' : `${run} runner frames`} hidden\n`);
    run = 0;
  };
  for (const l of lines) {
    if (INTERNAL_FRAME.test(l)) { if (run === 0) indent = /^\s*/.exec(l)![0]; run++; continue; }
    flush();
    out.push(l);
  }
  flush();
  return out;
}

/** A whole text (a candidate's failure output) made readable in one go. */
export function readableOutput(text: string, mapping: OutputMapping = {}): string {
  const lines = mapPaths(text, mapping).split(/(?<=\n)/).filter((l) => !MACHINE_LINE.test(l));
  return foldInternalFrames(lines).join('');
}

export class TestOutputFilter {
  private partial = '';
  /** Internal frames seen at the end of the last chunk, folded once the run of frames ends. */
  private pendingFrames: string[] = [];

  constructor(private readonly mapping: OutputMapping = {}) {}

  /** The readable part of a chunk (complete lines only). */
  push(chunk: string): string {
    const text = this.partial + chunk;
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < 0) { this.partial = text; return ''; }
    this.partial = text.slice(lastNl + 1);
    return this.readable(text.slice(0, lastNl + 1), false);
  }

  /** Whatever is left at the end of the run. */
  flush(): string {
    const rest = this.partial;
    this.partial = '';
    return this.readable(rest, true);
  }

  private readable(text: string, end: boolean): string {
    const lines = [...this.pendingFrames, ...mapPaths(text, this.mapping).split(/(?<=\n)/).filter((l) => l !== '' && !MACHINE_LINE.test(l))];
    this.pendingFrames = [];
    // Frames at the end of a chunk may continue in the next one: hold them back so a run folds into one line.
    if (!end) {
      let i = lines.length;
      while (i > 0 && INTERNAL_FRAME.test(lines[i - 1])) i--;
      this.pendingFrames = lines.splice(i);
    }
    return foldInternalFrames(lines).join('');
  }
}
