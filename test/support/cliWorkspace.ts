// What the CLI's component tests share: the built bundle (built once if missing) and throwaway folders filled
// with given files, removed when the test process exits (scratchDir).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
export { filesDir } from './scratchDir';

export const ROOT = join(__dirname, '../..');
export const CLI = join(ROOT, 'out/cli.js');

/** Builds out/cli.js when a test tier runs without the build step (a single file run by hand). */
export function ensureCli(): void {
  if (!existsSync(CLI)) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
