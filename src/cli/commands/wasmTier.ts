// Which of V8's WebAssembly compilers a short command uses (tree-sitter is WebAssembly: web-tree-sitter).
import { setFlagsFromString } from 'node:v8';

/** The Node majors whose V8 has --liftoff-only (an unknown flag would print "unrecognized flag" on stderr). */
const HAS_LIFTOFF_ONLY = (major: number): boolean => major >= 18 && major <= 25;

/**
 * For a process that parses only a patch's few files (verify --tests all, apply): WebAssembly stays on V8's
 * baseline compiler (Liftoff). Its optimizing tier recompiles the grammar's largest functions once they run hot,
 * on other threads: ~130 ms of CPU in a verify of one edit to a 725-line Python file (node-gyp), which ran beside
 * the baseline's test process and slowed it, and never paid back in a process this short. Long work keeps the
 * default: building the import graph for --tests related (xterm: 10–20 % slower on Liftoff alone), the MCP server.
 * Call before anything is parsed: it applies to modules compiled afterwards.
 */
export function useBaselineWasmCompiler(nodeVersion = process.versions.node): boolean {
  if (!HAS_LIFTOFF_ONLY(Number(nodeVersion.split('.')[0]))) return false;
  setFlagsFromString('--liftoff-only');
  return true;
}
