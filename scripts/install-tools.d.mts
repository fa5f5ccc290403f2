// Types for scripts/install-tools.mjs, so TypeScript tests can import it.
export const TOOLS_DIR: string;
export const NODE24_VERSION: string;
export const CODE_SERVER_VERSION: string;
export const STAMP: string;
export const node24Dir: string;
export const node24Bin: string;
export const codeServerEntry: string;
export function toolPaths(dir?: string): { node24Dir: string; node24Bin: string; codeServerEntry: string; stamp: string };
export function toolsProblem(dir?: string, opts?: { runNode?: boolean }): string | undefined;
export function installTools(opts?: {
  quiet?: boolean;
  dir?: string;
  install?: (staging: string) => void;
  systemDeps?: () => unknown;
  runNode?: boolean;
}): string;
