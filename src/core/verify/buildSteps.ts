// Build steps in a test script (`pretest: tsc`, `tsc && mocha`, `npm run build && jest`): the tests then load
// compiled output, which the import graph cannot tie to the source, and the build costs a run of its own.
// Related selection falls back to every test when a test loads that output (selection.ts); the candidate
// skips the build when the edit touches none of its inputs (docs/architecture.md §5).
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { loadOnce } from '../util';
import { splitSteps, type TestCommand } from './detect';
import { tokens } from './runnerOptions';

const BUILD_TOOL = /^(?:(?:\S*\/)?(?:tsc|tsup|babel|rollup|webpack|esbuild|swc|ncc|microbundle|unbuild|vite\s+build|tsx\s+scripts?\/build\S*)|(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(?:build|compile|prepare|prebuild|build:\S+))(?:\s|$)/;

/** The step without env assignments and `npx`/`cross-env` wrappers, as typed. */
function program(step: string): string {
  return step.replace(/^(?:[A-Za-z_]\w*=\S*\s+)*/, '').replace(/^(?:npx|cross-env|env)\s+(?:-\S+\s+)*(?:[A-Za-z_]\w*=\S*\s+)*/, '').trim();
}

export function isBuildStep(step: string): boolean {
  return BUILD_TOOL.test(program(step));
}

/** The steps that run before the test runner, with their index in the script's steps. */
export function stepsBeforeRunner(cmd: TestCommand): Array<{ index: number; step: string }> {
  if (cmd.script) return cmd.script.steps.slice(0, Math.max(0, cmd.script.runnerIndex)).map((step, index) => ({ index, step }));
  return (cmd.prefix ? splitSteps(cmd.prefix) : []).map((step, index) => ({ index, step }));
}

/** The build steps before the runner. */
export function buildStepsOf(cmd: TestCommand): Array<{ index: number; step: string }> {
  return stepsBeforeRunner(cmd).filter((s) => isBuildStep(s.step));
}

const json5 = loadOnce(() => import('json5').then((m) => m.default, (e: unknown) => {
  throw new Error(`cannot load the tsconfig reader (json5): ${(e as Error)?.message ?? String(e)}`);
}));

/**
 * tsconfig files are JSON with comments and trailing commas: json5 reads them, loaded only when a build step has a
 * tsconfig to read. An unreadable or malformed file reads as none; a json5 that cannot load throws.
 */
async function readJsonc(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { return undefined; }
  const JSON5 = await json5();
  try {
    const v = JSON5.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch { return undefined; }
}

const norm = (p: string): string => posix.normalize(p.replace(/\\/g, '/').replace(/^\.\//, '')).replace(/\/$/, '');

/** A tsconfig's compilerOptions.outDir/rootDir/include, following one `extends` of a relative file. */
async function tsconfigOf(root: string, file: string): Promise<{ outDir?: string; include?: string[]; rootDir?: string }> {
  const j = await readJsonc(join(root, file));
  if (!j) return {};
  const base = typeof j.extends === 'string' && j.extends.startsWith('.') ? await tsconfigOf(root, posix.join(posix.dirname(file), j.extends.endsWith('.json') ? j.extends : `${j.extends}.json`)) : {};
  const co = (j.compilerOptions ?? {}) as Record<string, unknown>;
  const dir = posix.dirname(file);
  const rel = (p: unknown): string | undefined => (typeof p === 'string' ? norm(posix.join(dir, p)) : undefined);
  return {
    outDir: rel(co.outDir) ?? base.outDir,
    rootDir: rel(co.rootDir) ?? base.rootDir,
    include: Array.isArray(j.include) ? (j.include as string[]).map((p) => norm(posix.join(dir, p))) : base.include,
  };
}

/** The tsconfig files a build step compiles with (`tsc -p x`, `tsc --project x`, else tsconfig.json). */
function tsconfigsOf(root: string, step: string): string[] {
  const t = tokens(program(step)).map((x) => x.replace(/^['"]|['"]$/g, ''));
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) {
    if ((t[i] === '-p' || t[i] === '--project' || t[i] === '-b' || t[i] === '--build') && t[i + 1] && !t[i + 1].startsWith('-')) {
      const p = norm(t[i + 1]);
      out.push(p.endsWith('.json') ? p : `${p}/tsconfig.json`);
    }
  }
  if (out.length === 0 && existsSync(join(root, 'tsconfig.json'))) out.push('tsconfig.json');
  return out.filter((f) => existsSync(join(root, f)));
}

/** Folders the build steps write (tsconfig outDir, `--outDir`/`--out-dir`/`-d`/`-o` arguments), relative to the root. */
export async function buildOutputDirs(root: string, cmd: TestCommand): Promise<string[]> {
  const dirs = new Set<string>();
  for (const { step } of buildStepsOf(cmd)) {
    const t = tokens(program(step)).map((x) => x.replace(/^['"]|['"]$/g, ''));
    for (let i = 0; i < t.length; i++) {
      const m = /^--(?:outDir|out-dir|outdir)=(.+)$/.exec(t[i]);
      if (m) dirs.add(norm(m[1]));
      else if (['--outDir', '--out-dir', '--outdir', '-d', '-o', '--outfile', '--out-file'].includes(t[i]) && t[i + 1]) dirs.add(norm(t[i + 1]));
    }
    if (/^(?:\S*\/)?tsc(\s|$)/.test(program(step))) for (const f of tsconfigsOf(root, step)) { const o = (await tsconfigOf(root, f)).outDir; if (o) dirs.add(o); }
  }
  // A named script (`npm run build`): its own words, once.
  const scripts = cmd.script?.scripts ?? {};
  for (const { step } of buildStepsOf(cmd)) {
    const m = /^(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(\S+)/.exec(program(step));
    const inner = m && scripts[m[1]];
    if (inner) for (const d of await buildOutputDirs(root, { runner: cmd.runner, prefix: inner, base: cmd.base, source: cmd.source })) dirs.add(d);
  }
  return [...dirs].filter((d) => d && d !== '.' && !d.startsWith('..'));
}

/**
 * Whether a change to `rel` can change what the build steps produce. Conservative: every file is an input
 * except test files the build does not compile and documentation; a tsc build's inputs are its tsconfig's
 * `include` (or rootDir) plus the tsconfig and package files. `undefined` when the script has no build step.
 */
export async function buildInputMatcher(root: string, cmd: TestCommand): Promise<((rel: string) => boolean) | undefined> {
  const steps = buildStepsOf(cmd);
  if (steps.length === 0) return undefined;
  const configs = /(^|\/)(package\.json|tsconfig[^/]*\.json|babel\.config\.\w+|\.babelrc(\.\w+)?|rollup\.config\.\w+|webpack\.config\.\w+|vite\.config\.\w+|tsup\.config\.\w+|esbuild\.\w+|\.swcrc|[^/]*lock[^/]*)$/;
  const docs = /\.(md|markdown|txt|rst)$|(^|\/)(LICENSE|CHANGELOG|AUTHORS)[^/]*$/i;
  // Only plain tsc builds have inputs we can read; any other tool (or a script we do not open) takes every file.
  const onlyTsc = steps.every((s) => /^(?:\S*\/)?tsc(\s|$)/.test(program(s.step)));
  const roots: string[] = [];
  if (onlyTsc) {
    for (const s of steps) for (const f of tsconfigsOf(root, s.step)) {
      const c = await tsconfigOf(root, f);
      if (c.include) roots.push(...c.include.map((p) => p.replace(/\/?\*\*.*$|\/\*[^/]*$/, '')));
      else if (c.rootDir) roots.push(c.rootDir);
      else { roots.length = 0; break; }
    }
  }
  const underRoots = (rel: string): boolean => roots.some((r) => r === '' || r === '.' || rel === r || rel.startsWith(`${r}/`));
  // tsc also compiles what included files import from outside `include`: any non-test source file counts.
  const source = /\.[cm]?[jt]sx?$|\.json$/;
  const testPath = /(^|\/)(test|tests|__tests__|spec)\/|\.(test|spec)\.[cm]?[jt]sx?$/;
  return (rel) => {
    const r = norm(rel);
    if (configs.test(r)) return true;
    if (docs.test(r)) return false;
    if (onlyTsc && roots.length) return underRoots(r) || (source.test(r) && !testPath.test(r));
    return true;
  };
}
