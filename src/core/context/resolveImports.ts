// Resolves an import specifier to workspace files, per language's own rules: TS/JS relative paths with
// extension and index probing, Python modules (relative, or absolute from the root, src/ or the file's
// own directory), Go packages through go.mod module paths, Rust `mod`, Java packages, C includes.
// Paths are workspace-relative with forward slashes; anything outside the workspace resolves to nothing.
import { posix } from 'node:path';
import type { LanguageId } from './languages';
import type { ImportRecord } from './imports';

export interface ResolveContext {
  /** Every workspace file (relative paths). */
  files: ReadonlySet<string>;
  /** Go: module path -> directory of its go.mod ('' for the root). */
  goModules: Map<string, string>;
  /** Files per directory, for Go packages and Java wildcards. */
  filesByDir: Map<string, string[]>;
}

export function makeResolveContext(files: Iterable<string>, goModules = new Map<string, string>()): ResolveContext {
  const set = new Set(files);
  const filesByDir = new Map<string, string[]>();
  for (const f of set) {
    const d = posix.dirname(f);
    const key = d === '.' ? '' : d;
    let list = filesByDir.get(key);
    if (!list) filesByDir.set(key, (list = []));
    list.push(f);
  }
  return { files: set, goModules, filesByDir };
}

const jsExtensions = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

function norm(p: string): string | undefined {
  const n = posix.normalize(p);
  if (n.startsWith('../') || n === '..') return undefined;
  return n === '.' ? '' : n.replace(/^\.\//, '');
}

function probeJs(ctx: ResolveContext, base: string): string | undefined {
  if (ctx.files.has(base)) return base;
  // ESM TypeScript writes './x.js' for './x.ts'.
  const stripped = base.replace(/\.(m|c)?jsx?$/, '');
  for (const b of stripped === base ? [base] : [stripped, base]) {
    for (const ext of jsExtensions) if (ctx.files.has(b + ext)) return b + ext;
  }
  for (const ext of jsExtensions) {
    const idx = base ? `${base}/index${ext}` : `index${ext}`;
    if (ctx.files.has(idx)) return idx;
  }
  return undefined;
}

/** Bare specifiers resolved per (folder, specifier): the same few are asked for on every request. */
const bareMemo = new WeakMap<ResolveContext, Map<string, string[]>>();

function resolveJs(ctx: ResolveContext, from: string, spec: string): string[] {
  if (!spec.startsWith('.') && !spec.startsWith('/')) {
    // A bare specifier may be a path from a tsconfig `baseUrl` (`common/services/Services`, `vs/base/…`):
    // tried from each folder above the importing file, nearest first. A package name matches no file.
    if (!spec.includes('/') || spec.startsWith('@')) return [];
    const dir = posix.dirname(from);
    const key = `${dir}\0${spec}`;
    const memo = bareMemo.get(ctx) ?? new Map<string, string[]>();
    bareMemo.set(ctx, memo);
    let hit = memo.get(key);
    if (!hit) {
      hit = [];
      const dirs = dir.split('/');
      for (let i = dirs.length; i >= 0 && !hit.length; i--) {
        const base = norm(posix.join(dirs.slice(0, i).join('/') || '.', spec));
        const found = base === undefined ? undefined : probeJs(ctx, base);
        if (found) hit = [found];
      }
      memo.set(key, hit);
    }
    return hit;
  }
  const base = norm(spec.startsWith('/') ? spec.slice(1) : posix.join(posix.dirname(from), spec));
  if (base === undefined) return [];
  const hit = probeJs(ctx, base);
  return hit ? [hit] : [];
}

function probePythonModule(ctx: ResolveContext, dir: string, dotted: string): string | undefined {
  const p = dotted ? posix.join(dir, ...dotted.split('.')) : dir;
  const rel = norm(p);
  if (rel === undefined) return undefined;
  for (const c of [`${rel}.py`, `${rel}.pyi`, rel ? `${rel}/__init__.py` : '__init__.py']) if (ctx.files.has(c)) return c;
  return undefined;
}

function resolvePython(ctx: ResolveContext, from: string, rec: ImportRecord): string[] {
  const spec = rec.specifier;
  const out = new Set<string>();
  const add = (dir: string, module: string): boolean => {
    const hit = probePythonModule(ctx, dir, module);
    if (hit) out.add(hit);
    // `from pkg import mod`: each imported name may itself be a submodule.
    for (const n of rec.names) {
      const sub = probePythonModule(ctx, dir, module ? `${module}.${n}` : n);
      if (sub) out.add(sub);
    }
    return hit !== undefined;
  };
  const dots = /^\.+/.exec(spec)?.[0].length ?? 0;
  if (dots > 0) {
    let dir = posix.dirname(from);
    for (let i = 1; i < dots; i++) dir = posix.dirname(dir);
    add(dir === '.' ? '' : dir, spec.slice(dots));
    return [...out];
  }
  // Import roots: the workspace, src/ and lib/, then each ancestor of the file (a project in a subfolder,
  // or pytest's rootdir-relative imports).
  const roots = ['', 'src', 'lib'];
  for (let d = posix.dirname(from); d !== '.' && d !== ''; d = posix.dirname(d)) roots.push(d);
  for (const root of roots) if (add(root, spec)) break;
  return [...out];
}

function resolveGo(ctx: ResolveContext, spec: string): string[] {
  let best: { mod: string; dir: string } | undefined;
  for (const [mod, dir] of ctx.goModules) {
    if ((spec === mod || spec.startsWith(`${mod}/`)) && (!best || mod.length > best.mod.length)) best = { mod, dir };
  }
  if (!best) return [];
  const dir = norm(posix.join(best.dir, spec.slice(best.mod.length).replace(/^\//, '')));
  if (dir === undefined) return [];
  return (ctx.filesByDir.get(dir) ?? []).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
}

function resolveRust(ctx: ResolveContext, from: string, spec: string): string[] {
  const dir = posix.dirname(from) === '.' ? '' : posix.dirname(from);
  if (spec.startsWith('mod:')) {
    const name = spec.slice(4);
    // `mod x;` in a/lib.rs, main.rs or mod.rs looks in a/; elsewhere (a/b.rs) in a/b/.
    const stem = posix.basename(from, '.rs');
    const base = ['lib', 'main', 'mod'].includes(stem) ? dir : posix.join(dir, stem);
    for (const c of [posix.join(base, `${name}.rs`), posix.join(base, name, 'mod.rs')]) if (ctx.files.has(norm(c) ?? '')) return [norm(c)!];
    return [];
  }
  // `use crate::a::b::C`: the longest module path that exists under the crate's src/.
  const parts = spec.replace(/[{].*$/, '').split('::').filter((p) => p && p !== 'self');
  if (parts[0] !== 'crate' && parts[0] !== 'super') return [];
  let srcDir = dir;
  if (parts[0] === 'super') srcDir = posix.dirname(dir);
  else {
    const i = from.lastIndexOf('src/');
    srcDir = i >= 0 ? from.slice(0, i + 3) : '';
  }
  for (let n = parts.length - 1; n >= 1; n--) {
    const p = posix.join(srcDir, ...parts.slice(1, n + 1));
    for (const c of [`${p}.rs`, `${p}/mod.rs`]) { const r = norm(c); if (r && ctx.files.has(r)) return [r]; }
  }
  return [];
}

function resolveJava(ctx: ResolveContext, spec: string): string[] {
  const wildcard = spec.endsWith('.*');
  const path = (wildcard ? spec.slice(0, -2) : spec).split('.').join('/');
  const out: string[] = [];
  if (wildcard) {
    for (const [dir, files] of ctx.filesByDir) if (dir === path || dir.endsWith(`/${path}`)) out.push(...files.filter((f) => f.endsWith('.java')));
  } else {
    const suffix = `${path}.java`;
    for (const f of ctx.files) if (f === suffix || f.endsWith(`/${suffix}`)) out.push(f);
  }
  return out;
}

function resolveInclude(ctx: ResolveContext, from: string, rec: ImportRecord): string[] {
  if (rec.system) return [];
  const dir = posix.dirname(from);
  for (const base of [dir, '', 'include', 'src']) {
    const r = norm(posix.join(base, rec.specifier));
    if (r && ctx.files.has(r)) return [r];
  }
  return [];
}

function resolveRuby(ctx: ResolveContext, from: string, spec: string): string[] {
  for (const base of [posix.dirname(from), '', 'lib']) {
    const r = norm(posix.join(base, spec.endsWith('.rb') ? spec : `${spec}.rb`));
    if (r && ctx.files.has(r)) return [r];
  }
  return [];
}

export function resolveImport(ctx: ResolveContext, id: LanguageId, from: string, rec: ImportRecord): string[] {
  switch (id) {
    case 'typescript': case 'tsx': case 'javascript': return resolveJs(ctx, from, rec.specifier);
    case 'python': return resolvePython(ctx, from, rec);
    case 'go': return resolveGo(ctx, rec.specifier);
    case 'rust': return resolveRust(ctx, from, rec.specifier);
    case 'java': return resolveJava(ctx, rec.specifier);
    case 'c': case 'cpp': return resolveInclude(ctx, from, rec);
    case 'ruby': return resolveRuby(ctx, from, rec.specifier);
    case 'php': return rec.specifier.includes('/') || rec.specifier.endsWith('.php') ? resolveInclude(ctx, from, rec) : [];
    default: return [];
  }
}

/** `module example.com/x` from a go.mod's text. */
export function goModulePath(goModText: string): string | undefined {
  return /^\s*module\s+(\S+)/m.exec(goModText)?.[1]?.replace(/^"|"$/g, '');
}
