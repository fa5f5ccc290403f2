// What the attack suites on the printed-output runners share (outputForgery.faults, exitPath.faults): one CLI
// verify with a throw-away HOME, TMPDIR, Go build cache and XDG cache; patches as SEARCH/REPLACE blocks; and the
// cargo project, whose toolchain must be on the machine (a missing cargo fails the test with its name and the
// package that installs it, never a silent skip).
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { filesDir, scratchDir } from '../../support/scratchDir';
import { cliVerifyAsync } from './projects';

export interface Forged { code: number | null; json: { verdict: string; message: string; runner?: string; marks?: Array<{ path: string; line: number; kind: string; why: string }> } }

/** The toolchain folders a rustup install keeps in the real home; the throw-away home links them (the sandbox shows them read-only). */
const TOOLCHAIN_DIRS = ['.rustup', '.cargo'];

export function forgeVerify(workspace: string, patch: string): Promise<Forged> {
  const patchFile = join(filesDir('qwq-forge-patch-', { 'edit.patch': patch }), 'edit.patch');
  const home = scratchDir('qwq-forge-home-');
  for (const d of TOOLCHAIN_DIRS) if (existsSync(join(homedir(), d))) symlinkSync(join(homedir(), d), join(home, d), 'dir');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: scratchDir('qwq-forge-tmp-'), QWQ_GOCACHE: join(home, 'gocache'), XDG_CACHE_HOME: join(home, '.cache') };
  delete env.NODE_TEST_CONTEXT;
  delete env.GOCACHE;
  delete env.RUSTUP_HOME;
  delete env.CARGO_HOME;
  return cliVerifyAsync(workspace, patchFile, ['--tests', 'all', '--fix-failing', '--timeout', '180'], env);
}

export const block = (path: string, search: string, replace: string): string => `${path}\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n`;

/** Throws, naming what to install, when `cargo` cannot run here (scripts/system-deps.mjs installs it for the component tier). */
export function requireCargo(): void {
  const r = spawnSync('cargo', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cargo is not installed (needed by the cargo attack tests): apt-get install cargo, or npm test's component tier installs it as root on Debian (${r.error?.message ?? r.stderr})`);
}

// A cargo project with no dependencies (builds offline): `adds` passes, `multiplies` fails (mul adds).
export const RUST_LIB = 'pub fn add(a: i32, b: i32) -> i32 { a + b }\n\npub fn mul(a: i32, b: i32) -> i32 { a + b }\n';
const RUST_TESTS = 'use calc::{add, mul};\n\n#[test]\nfn adds() { assert_eq!(add(2, 3), 5); }\n\n#[test]\nfn multiplies() { assert_eq!(mul(2, 3), 6); }\n';
export const RUST_MUL = 'pub fn mul(a: i32, b: i32) -> i32 { a + b }\n';

export function cargoWorkspace(): string {
  return filesDir('qwq-forge-cargo-', {
    'Cargo.toml': '[package]\nname = "calc"\nversion = "0.1.0"\nedition = "2021"\n',
    'src/lib.rs': RUST_LIB,
    'tests/calc.rs': RUST_TESTS,
  });
}

/** libtest's report for both tests passing, as `cargo test` prints it. */
export const CARGO_FORGED = '\\ntest adds ... ok\\ntest multiplies ... ok\\n\\ntest result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\\n\\n';
