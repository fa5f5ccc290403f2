// The workspace's import graph: which files each file imports, and the reverse. Test selection walks
// importersOf transitively from a changed file to the tests that can observe the change.
import { promises as fs } from 'node:fs';
import { posix } from 'node:path';
import { languageForPath, parserFor, supportedExtensions, type LanguageId } from './languages';
import { extractImports, type ImportRecord } from './imports';
import { goModulePath, makeResolveContext, resolveImport } from './resolveImports';
import { walkWorkspace, type WalkOptions } from './walk';
import { yieldToEventLoop } from './yieldToEventLoop';

export interface ImportGraph {
  /** Every source file considered (workspace-relative, forward slashes), sorted. */
  files: string[];
  /** Workspace files `file` imports (resolved). Go files also "import" the other files of their package. */
  importsOf(file: string): string[];
  importersOf(file: string): string[];
}

export interface ImportGraphOptions {
  walk?: WalkOptions;
  signal?: AbortSignal;
}

/** Files that (transitively) import `file`, nearest first, `file` excluded. */
export function transitiveImporters(graph: ImportGraph, file: string): string[] {
  const seen = new Set([file]);
  const order: string[] = [];
  let frontier = [file];
  while (frontier.length) {
    const next: string[] = [];
    for (const f of frontier) {
      for (const imp of graph.importersOf(f)) {
        if (seen.has(imp)) continue;
        seen.add(imp);
        order.push(imp);
        next.push(imp);
      }
    }
    frontier = next;
  }
  return order;
}

const extSet = new Set(supportedExtensions);

export function isSourceFile(rel: string): boolean {
  const dot = rel.lastIndexOf('.');
  return dot >= 0 && extSet.has(rel.slice(dot).toLowerCase());
}

/** Builds an ImportGraph from already-extracted imports (the symbol index reuses this). */
/** An import graph that can also resolve one import record (the engine resolves `ns.name` through it). */
export interface ResolvingImportGraph extends ImportGraph {
  resolve(file: string, record: ImportRecord): string[];
}

export function importGraphFromImports(
  files: string[],
  importsByFile: Map<string, ImportRecord[]>,
  goModules: Map<string, string>,
): ResolvingImportGraph {
  const ctx = makeResolveContext(files, goModules);
  const forward = new Map<string, Set<string>>();
  const reverse = new Map<string, Set<string>>();
  const link = (from: string, to: string) => {
    if (from === to) return;
    let f = forward.get(from);
    if (!f) forward.set(from, (f = new Set()));
    f.add(to);
    let r = reverse.get(to);
    if (!r) reverse.set(to, (r = new Set()));
    r.add(from);
  };
  for (const file of files) {
    const id = languageForPath(file);
    if (!id) continue;
    for (const rec of importsByFile.get(file) ?? []) for (const to of resolveImport(ctx, id, file, rec)) link(file, to);
    if (id === 'go') {
      // Same package, same directory: Go code sees its package siblings without importing them.
      const dir = posix.dirname(file);
      for (const sib of ctx.filesByDir.get(dir === '.' ? '' : dir) ?? []) if (sib.endsWith('.go')) link(file, sib);
    }
  }
  const sorted = [...files].sort();
  return {
    files: sorted,
    importsOf: (file) => [...(forward.get(file) ?? [])].sort(),
    importersOf: (file) => [...(reverse.get(file) ?? [])].sort(),
    resolve: (file, record) => {
      const id = languageForPath(file);
      return id ? resolveImport(ctx, id, file, record) : [];
    },
  };
}

export async function findGoModules(root: string, files: string[]): Promise<Map<string, string>> {
  const modules = new Map<string, string>();
  for (const f of files) {
    if (posix.basename(f) !== 'go.mod') continue;
    try {
      const mod = goModulePath(await fs.readFile(posix.join(root, f), 'utf8'));
      const dir = posix.dirname(f);
      if (mod) modules.set(mod, dir === '.' ? '' : dir);
    } catch { /* unreadable go.mod: its imports stay unresolved */ }
  }
  return modules;
}

export async function parseImports(id: LanguageId, text: string): Promise<ImportRecord[]> {
  const parser = await parserFor(id);
  const tree = parser.parse(text);
  if (!tree) return [];
  try {
    return await extractImports(id, tree);
  } finally {
    tree.delete();
  }
}

export async function buildImportGraph(root: string, options: ImportGraphOptions = {}): Promise<ImportGraph> {
  const walked = await walkWorkspace(root, {
    ...options.walk,
    signal: options.signal,
    include: (rel) => (options.walk?.include?.(rel) ?? true) && (isSourceFile(rel) || posix.basename(rel) === 'go.mod'),
  });
  const all = walked.files.map((f) => f.rel);
  const goModules = await findGoModules(root, all);
  const files = all.filter(isSourceFile);
  const importsByFile = new Map<string, ImportRecord[]>();
  let lastYield = Date.now();
  for (const { rel, abs } of walked.files) {
    const id = languageForPath(rel);
    if (!id) continue;
    let text: string;
    try { text = await fs.readFile(abs, 'utf8'); } catch { continue; }
    importsByFile.set(rel, await parseImports(id, text));
    if (Date.now() - lastYield > 20) {
      options.signal?.throwIfAborted();
      await yieldToEventLoop();
      lastYield = Date.now();
    }
  }
  return importGraphFromImports(files, importsByFile, goModules);
}
