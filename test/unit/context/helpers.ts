// A scratch copy of the fixture workspace, plus files git would not keep (ignored, node_modules, build
// output, binary), so tests see them on a fresh checkout too.
import { cpSync, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const fixtureWorkspace = join(__dirname, '../../fixtures/context/ws');
export const fixtureLanguages = join(__dirname, '../../fixtures/context/langs');

export function scratchWorkspace(): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'qwq-ctx-'));
  cpSync(fixtureWorkspace, root, { recursive: true });
  writeFileSync(join(root, 'ignored.ts'), 'export const ignored = 1;\n');
  mkdirSync(join(root, 'build'));
  writeFileSync(join(root, 'build/out.ts'), 'export const built = 1;\n');
  mkdirSync(join(root, 'node_modules/dep'), { recursive: true });
  writeFileSync(join(root, 'node_modules/dep/index.ts'), 'export const dep = 1;\n');
  mkdirSync(join(root, '.venv/lib'), { recursive: true });
  writeFileSync(join(root, '.venv/lib/site.py'), 'x = 1\n');
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
