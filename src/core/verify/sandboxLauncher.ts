// The programs that start a test run on the host: bwrap is found once as an absolute path outside the workspace
// (core/util/hostPrograms.ts says why a PATH cannot be trusted); sandbox-exec and /bin/sh are fixed paths.
// docs/architecture.md §5, "Isolation".
import { tmpdir } from 'node:os';
import { findHostProgram, workspaceControlled } from '../util/hostPrograms';

/** The shell that reads a test command line (never a `sh` found on the run's PATH). */
export const SYSTEM_SHELL = '/bin/sh';

/** macOS's Seatbelt launcher (sandbox.ts checks that it exists). */
export const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

/** The bwrap for runs on `workspace` (undefined: none that may be trusted, which reads as "bwrap is missing"). */
export function bwrapFor(workspace?: string, shadowParent: string = tmpdir()): string | undefined {
  return findHostProgram('bwrap', workspaceControlled(workspace, shadowParent));
}
