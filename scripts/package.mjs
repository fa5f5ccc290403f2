#!/usr/bin/env node
// `npm run package`: builds, then packs the extension with vsce into qwq-coder-<version>.vsix for linux-x64.
// Runtime dependencies ship inside (node-llama-cpp and its prebuilt linux-x64 CPU/Vulkan binaries,
// web-tree-sitter, the grammars, diff, ignore); .vscodeignore trims the rest. `--no-build` skips the build;
// `--if-stale` reuses the .vsix when nothing that goes into it changed (the e2e tests use this). Content
// hashes, not mtimes, decide, because every build rewrites out/ even when nothing changed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TARGET = process.env.QWQ_VSIX_TARGET ?? 'linux-x64';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
export const vsixPath = join(root, `${pkg.name}-${pkg.version}.vsix`);

const stampPath = join(root, '.qwq-cache', 'vsix-inputs.sha256');

/** A hash over the files that end up in the .vsix; node_modules is represented by npm's lockfile stamp. */
export function inputsHash() {
  const h = createHash('sha256');
  const visit = (p) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) {
      for (const n of readdirSync(p).sort()) if (!(p === join(root, 'out') && n === 'test')) visit(join(p, n));
    } else {
      h.update(p).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  for (const p of ['package.json', 'package.nls.json', '.vscodeignore', 'README.md', 'LICENSE', 'out', 'media', 'syntaxes', 'l10n', 'node_modules/.package-lock.json']) visit(join(root, p));
  return `${TARGET}:${h.digest('hex')}`;
}

export function vsixIsFresh() {
  return existsSync(vsixPath) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === inputsHash();
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}`);
}

/** Builds (unless build: false) and packages; returns the .vsix path. */
export function packageVsix({ build = true, ifStale = false, quiet = false } = {}) {
  if (build) run('npm', ['run', '--silent', 'build']);
  if (ifStale && vsixIsFresh()) {
    if (!quiet) console.log(`package: reusing ${vsixPath} (its inputs did not change)`);
    return vsixPath;
  }
  const started = Date.now();
  const hash = inputsHash();
  // README links and screenshots are relative: vsce needs a base URL for them, taken from package.json repository.
  const base = String(pkg.repository?.url ?? '').replace(/\.git$/, '');
  const urls = base ? ['--baseContentUrl', `${base}/blob/main`, '--baseImagesUrl', `${base}/raw/main`] : [];
  // Write to a temp name and rename: a concurrent reader (another test process) never sees a half-written zip.
  const tmp = `${vsixPath}.${process.pid}.tmp`;
  try {
    run(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--target', TARGET, '--out', tmp, ...urls]);
    renameSync(tmp, vsixPath);
  } finally {
    rmSync(tmp, { force: true });
  }
  mkdirSync(dirname(stampPath), { recursive: true });
  writeFileSync(stampPath, hash);
  if (!quiet) console.log(`package: ${vsixPath} (${(statSync(vsixPath).size / 1e6).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return vsixPath;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    packageVsix({ build: !process.argv.includes('--no-build'), ifStale: process.argv.includes('--if-stale') });
  } catch (e) {
    console.error(`package: ${e.message}`);
    process.exit(1);
  }
}
