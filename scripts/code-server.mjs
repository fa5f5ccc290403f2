#!/usr/bin/env node
// The code-server launcher used by the integration tests, the e2e tests and `npm start` (docs/architecture.md §8).
// It runs code-server with Node 24 from .tools/, in its own process group (setsid), so that stop() can kill
// the server together with its extension host and file watchers: killing only the top process leaves them.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { mergeSettingsFile } from './settings-merge.mjs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { node24Bin, codeServerEntry, installTools } from './install-tools.mjs';

export { node24Bin, codeServerEntry, installTools };

/** Asks the kernel for a free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The launcher's own settings: no welcome page, no update checks, no telemetry, no built-in chat. */
export const LAUNCHER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  // The built-in chat and agent host only add noise and CPU load offline.
  'chat.disableAIFeatures': true,
};

/**
 * What `npm start` prints about `@qwq` in code-server: its chat view is off (above), and turned on it asks for a
 * Copilot sign-in before any participant answers, so `@qwq` lives in desktop VS Code's chat and the QwQ panel here.
 */
export const CHAT_NOTICE =
  '@qwq (VS Code chat) is not available in code-server: its chat view is off here (chat.disableAIFeatures) and needs a ' +
  'Copilot sign-in. Use the QwQ panel here, or @qwq in desktop VS Code\'s Chat view (with `code` on PATH, npm start installs it there).';

/**
 * A user-data and extensions directory (a fresh temporary one, or `dir`, kept between runs), with `settings`
 * over the launcher's defaults merged into its User and Machine settings.json before startup. A kept profile's
 * settings are merged, never replaced: the user's own values win (settings-merge.mjs).
 * `workspaceTrust: false` (the tests' default) turns trust off: no trust prompt; `npm start` keeps it on.
 */
export function makeProfile({ settings = {}, dir, workspaceTrust = false } = {}) {
  const base = dir ?? mkdtempSync(join(tmpdir(), 'qwq-cs-'));
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const ours = {
    ...(workspaceTrust ? {} : { 'security.workspace.trust.enabled': false }),
    ...LAUNCHER_SETTINGS,
    ...settings,
  };
  mergeSettingsFile(join(userDataDir, 'User', 'settings.json'), ours);
  // The web workbench is a remote window: it reads machine-scoped settings (the model file, threads: things of
  // the machine that runs the model) only from the server's own settings, never from the user's.
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  mergeSettingsFile(join(userDataDir, 'Machine', 'settings.json'), ours);
  // code-server writes a default config (with a password) into ~/.config unless it is given one.
  const config = join(base, 'config.yaml');
  writeFileSync(config, 'auth: none\n');
  return { base, userDataDir, extensionsDir, config };
}

function baseArgs(profile) {
  return ['--config', profile.config, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

/** Installs a .vsix into the profile's extensions dir (about 1 s). Throws with code-server's output on failure. */
export function installVsix(vsix, profile) {
  if (!existsSync(vsix)) throw new Error(`installVsix: ${vsix} does not exist`);
  try {
    return execFileSync(node24Bin, [codeServerEntry, ...baseArgs(profile), '--force', '--install-extension', vsix], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000,
    });
  } catch (e) {
    throw new Error(`installVsix ${vsix} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

async function waitForHealth(url, child, timeoutMs, output) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${output().slice(-3000)}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms:\n${output().slice(-3000)}`);
}

/**
 * Starts code-server. Options:
 * - settings: user settings merged over the test defaults; profile: reuse one from makeProfile();
 * - vsix: a .vsix to install first; smokeTestDriver: enables ?payload= and codeAutomationExit (docs/architecture.md §8);
 * - port (default: a free one), host (default 127.0.0.1), folder (opened by default), echo (pipe output to ours),
 * - disableWorkspaceTrust (default true), keepProfile (default false: stop() deletes a temporary profile).
 * Returns { url, port, pid, profile, output(), stop() }. stop() kills the whole process group and waits for it.
 */
export async function startCodeServer(opts = {}) {
  installTools({ quiet: true });
  const profile = opts.profile ?? makeProfile({ settings: opts.settings });
  if (opts.vsix) installVsix(opts.vsix, profile);
  const port = opts.port ?? await freePort();
  const host = opts.host ?? '127.0.0.1';
  const args = [
    codeServerEntry, ...baseArgs(profile),
    '--auth', 'none', '--bind-addr', `${host}:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override',
  ];
  if (opts.disableWorkspaceTrust !== false) args.push('--disable-workspace-trust');
  if (opts.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (opts.folder) args.push(opts.folder);

  let log = '';
  // setsid makes the server the leader of a new process group whose id is its pid.
  const child = spawn('setsid', [node24Bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env }, detached: false,
  });
  const collect = (chunk) => {
    log += chunk;
    if (log.length > 200_000) log = log.slice(-100_000);
    if (opts.echo) process.stdout.write(chunk);
  };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  const exited = new Promise((r) => child.once('exit', r));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    killGroup(child.pid, 'SIGTERM');
    const gone = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    // The group may outlive its leader (watchers); SIGKILL whatever is left.
    killGroup(child.pid, 'SIGKILL');
    if (!gone) await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    if (!opts.profile && !opts.keepProfile) rmSync(profile.base, { recursive: true, force: true });
  };
  // A test runner that exits or is signalled must not leave a server behind.
  liveGroups.add(child.pid);
  installCleanup();
  exited.then(() => liveGroups.delete(child.pid));

  const url = `http://${host}:${port}`;
  try {
    await waitForHealth(url, child, opts.timeoutMs ?? 60_000, () => log);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url, port, pid: child.pid, profile,
    output: () => log,
    stop: async () => { await stop(); liveGroups.delete(child.pid); },
  };
}

/** The remote authority the web workbench uses for local files (`vscode-remote://<authority>/<abs path>`). */
export async function remoteAuthority(url) {
  const html = await (await fetch(`${url}/`)).text();
  const m = html.match(/id="vscode-workbench-web-configuration" data-settings="([^"]*)"/);
  if (!m) throw new Error(`no workbench configuration in ${url}/`);
  const json = m[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return JSON.parse(json).remoteAuthority ?? 'remote';
}

/** The workbench URL for a folder, with an optional smoke-test-driver payload (docs/architecture.md §8). */
export function workbenchUrl(url, { folder, payload } = {}) {
  const q = new URLSearchParams();
  if (folder) q.set('folder', folder);
  if (payload) q.set('payload', JSON.stringify(payload));
  const qs = q.toString();
  return `${url}/${qs ? `?${qs}` : ''}`;
}

/** Debian's chromium, headless, with the flags docs/architecture.md §8 found to work offline as root. */
export const CHROMIUM_PATH = process.env.QWQ_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Launches chromium through playwright-core. The caller closes it (browser.close()). */
export async function launchChromium({ headless = true } = {}) {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set QWQ_CHROMIUM)`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless });
}

const liveGroups = new Set();
let cleanupInstalled = false;
/** On exit, and on SIGINT/SIGTERM/SIGHUP, SIGKILLs every server group still alive. A signal is re-raised only
 *  when nobody else handles it (start.mjs has its own graceful handler), so default signal behaviour stays. */
function installCleanup() {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const killAll = () => { for (const g of liveGroups) killGroup(g, 'SIGKILL'); liveGroups.clear(); };
  process.once('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const onSignal = () => {
      killAll();
      process.removeListener(sig, onSignal);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/** Kills a process group; a group that is already gone is fine. */
export function killGroup(pgid, signal) {
  if (!pgid) return;
  try { process.kill(-pgid, signal); } catch (e) { if (e.code !== 'ESRCH') throw e; }
}

// `node scripts/code-server.mjs [folder]`: serves a folder on a free port until Ctrl+C (a debugging aid).
// No top-level await: TypeScript tests load this module through require().
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  startCodeServer({ folder: process.argv[2] }).then((server) => {
    console.log(`code-server: ${server.url} (pgid ${server.pid}); Ctrl+C stops it`);
    const shutdown = () => server.stop().then(() => process.exit(0));
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  }, (e) => { console.error(e.message); process.exit(1); });
}
