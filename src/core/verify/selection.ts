// Related-test selection (docs/architecture.md §5): the tests that can observe a change. From the import graph (the
// context engine's), walking importers transitively from each changed file; or the runner's own
// --findRelatedTests / `vitest related`; Go selects packages.
import { posix } from 'node:path';
import type { TestCommand } from './detect';
import type { Selection } from './invocation';

/** The slice of the context engine's ImportGraph we use. */
export interface ImportGraphLike {
  files: string[];
  importersOf(file: string): string[];
}

export type BuildImportGraph = (root: string) => Promise<ImportGraphLike>;

export function isTestFile(rel: string): boolean {
  const base = posix.basename(rel);
  return /\.(test|spec)\.[cm]?[jt]sx?$/.test(base)
    || /^test_.*\.py$|_test\.py$/.test(base)
    || /_test\.go$/.test(base)
    || (/(^|\/)(test|tests|__tests__)\//.test(rel) && /\.([cm]?[jt]sx?|py)$/.test(base) && !/^(conftest|__init__)\.py$/.test(base) && !/(^|\/)(fixtures?|helpers?|utils?)\//.test(rel));
}

/** Test files that import a changed file (transitively), plus changed files that are tests themselves. */
export function relatedTestFiles(graph: ImportGraphLike, changed: string[]): string[] {
  const seen = new Set<string>(changed);
  let frontier = [...changed];
  while (frontier.length) {
    const next: string[] = [];
    for (const f of frontier) for (const imp of graph.importersOf(f)) if (!seen.has(imp)) { seen.add(imp); next.push(imp); }
    frontier = next;
  }
  return [...seen].filter(isTestFile).sort();
}

function goPackage(rel: string): string {
  const d = posix.dirname(rel);
  return d === '.' ? '.' : `./${d}`;
}

/**
 * The selection for `tests` ('related' or 'all'); `undefined` means no test covers the change.
 * `graph` is only consulted for runners without their own related mode.
 */
export async function selectTests(cmd: TestCommand, tests: 'related' | 'all', changed: string[], graph: () => Promise<ImportGraphLike>): Promise<Selection | undefined> {
  if (tests === 'all') return { kind: 'all' };
  switch (cmd.runner) {
    case 'jest':
    case 'vitest':
      return { kind: 'related', changed };
    case 'cargo':
    case 'script':
      return { kind: 'all' }; // no way to select: running everything is the honest fallback
    case 'go': {
      const files = relatedTestFiles(await graph(), changed.filter((f) => f.endsWith('.go')));
      const pkgs = [...new Set(files.map(goPackage))].sort();
      return pkgs.length ? { kind: 'packages', packages: pkgs } : undefined;
    }
    default: {
      const files = relatedTestFiles(await graph(), changed);
      return files.length ? { kind: 'files', files } : undefined;
    }
  }
}

/** The selection restricted to what exists before the change (a new test file has no baseline). */
export function existingOnly(sel: Selection, exists: (rel: string) => boolean): Selection {
  if (sel.kind === 'files') return { kind: 'files', files: sel.files.filter(exists) };
  if (sel.kind === 'related') return { kind: 'related', changed: sel.changed.filter(exists) };
  return sel;
}
