// Real projects for the verify bench (issue 24): packages whose npm tarballs ship their own test suites, fetched
// with `npm pack` into .bench-data/ (git-ignored) and installed once; nothing of them is vendored. Each set-up
// says what was added to the tarball to run its suite, and why (a config its repository has and its tarball
// leaves out; dev tools of the author's that only lint or upload coverage).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BENCH_DATA = join(__dirname, '../.bench-data');

export interface RealProject {
  /** Row label: the runner set-up. */
  kind: 'jest' | 'mocha+nyc' | 'tsc pretest' | 'pytest';
  /** name@version as published. */
  pkg: string;
  /** Folder inside the unpacked tarball that is the workspace ('' = its root). */
  sub?: string;
  /** Written over the unpacked tarball (relative to the workspace). */
  files?: Record<string, string>;
  /** package.json fields replaced (scripts, devDependencies): the runner set-up. */
  manifest?: Record<string, unknown>;
  /** What the user types. */
  byHand: string;
  /** A change to a library file that keeps every test green (the edit being verified). */
  edit: { path: string; search: string; replace: string };
  /** Why the set-up differs from the tarball, in a few words (printed with the row). */
  note: string;
}

/** A comment added inside a library function: every test still passes, but the judged source changed. */
const comment = (path: string, search: string): RealProject['edit'] => ({ path, search, replace: `${search}${path.endsWith('.py') ? '  # edited' : ' /* edited */'}` });

const LIMITER_BABEL = "module.exports = { presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript'] };\n";
const LIMITER_DEPS = { jest: '29.7.0', 'babel-jest': '29.7.0', '@babel/core': '7.26.0', '@babel/preset-env': '7.26.0', '@babel/preset-typescript': '7.26.0', typescript: '5.9.3', '@types/jest': '29.5.14', 'just-performance': '4.3.0' };

export const REAL_PROJECTS: RealProject[] = [
  {
    kind: 'jest', pkg: 'limiter@2.1.0', byHand: 'npm test',
    // Its repository's babel config (preset-env + preset-typescript) is not in the tarball; jest 29 for its 26.
    files: { 'babel.config.js': LIMITER_BABEL },
    manifest: { devDependencies: LIMITER_DEPS },
    edit: comment('src/TokenBucket.ts', 'this.content = 0;'),
    note: '`jest src` over its TypeScript tests (babel-jest), babel config added',
  },
  {
    kind: 'mocha+nyc', pkg: 'json-schema-traverse@0.4.1', byHand: 'npm test',
    // Its own script (`npm run eslint && nyc npm run test-spec`); coveralls and pre-commit left out.
    manifest: { devDependencies: { eslint: '3.19.0', mocha: '3.5.3', nyc: '11.9.0' } },
    edit: comment('index.js', 'var post = cb.post || function() {};'),
    note: 'its own script: eslint, then nyc around `npm run test-spec` (mocha 3 -R spec)',
  },
  {
    kind: 'tsc pretest', pkg: 'limiter@2.1.0', byHand: 'npm test',
    // Its real build (`ttsc -p tsconfig.cjs.json`, plain tsc here; the tsconfig is not in the tarball) as a
    // pretest, then jest over the compiled tests, as the published dist/cjs holds them.
    files: { 'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist/cjs', module: 'commonjs', target: 'es2019', declaration: true, sourceMap: true, strict: true, esModuleInterop: true, types: ['jest', 'node'], skipLibCheck: true }, include: ['src'] }, null, 2) },
    manifest: { scripts: { pretest: 'tsc -p tsconfig.json', test: 'jest dist/cjs' }, devDependencies: { ...LIMITER_DEPS, '@types/node': '20.17.10' } },
    edit: comment('src/TokenBucket.ts', 'this.content = 0;'),
    note: 'its tsc build as `pretest`, then `jest dist/cjs` (tsconfig added)',
  },
  {
    kind: 'pytest', pkg: 'node-gyp@12.4.0', sub: 'gyp', byHand: 'python3 -m pytest',
    // gyp-next's own suite (unittest tests, run with pytest as its pyproject says), shipped in node-gyp's tarball.
    edit: comment('pylib/gyp/common.py', '    if not path:'),
    note: "gyp-next's pytest suite as node-gyp ships it (`gyp/`)",
  },
];

/** Unpacks and installs one project under .bench-data/projects (once per set-up); returns the workspace. */
export function ensureRealProject(p: RealProject): string {
  const slug = `${p.pkg.replace(/[@/]/g, '-').replace(/^-/, '')}-${p.kind.replace(/\W+/g, '-')}`;
  const dir = join(BENCH_DATA, 'projects', slug);
  const ws = p.sub ? join(dir, p.sub) : dir;
  const marker = join(dir, '.qwq-bench-installed.json');
  // The set-up only: a change of the edit or the words reuses the install.
  const want = JSON.stringify({ pkg: p.pkg, sub: p.sub, files: p.files, manifest: p.manifest });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want) return ws;
  const tarballs = join(BENCH_DATA, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  const tgz = join(tarballs, `${p.pkg.replace(/^@/, '').replace(/[@/]/g, '-')}.tgz`);
  if (!existsSync(tgz)) {
    const name = execFileSync('npm', ['pack', p.pkg, '--pack-destination', tarballs, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop()!;
    if (join(tarballs, name) !== tgz) execFileSync('mv', [join(tarballs, name), tgz]);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['xzf', tgz, '-C', dir, '--strip-components=1']);
  for (const [rel, text] of Object.entries(p.files ?? {})) writeFileSync(join(ws, rel), text);
  if (p.manifest) {
    const pkgPath = join(ws, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as Record<string, unknown>;
    for (const [k, v] of Object.entries(p.manifest)) pkg[k] = k === 'scripts' ? { ...(pkg.scripts as object), ...(v as object) } : v;
    writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  if (existsSync(join(ws, 'package.json')) && p.kind !== 'pytest') {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: ws, stdio: 'inherit' });
  }
  // A marker ends a complete set-up.
  writeFileSync(marker, want);
  return ws;
}

if (require.main === module) for (const p of REAL_PROJECTS) console.log(p.kind, ensureRealProject(p));
