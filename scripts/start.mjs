#!/usr/bin/env node
// `npm start`: builds and packages the extension, then opens it with a sample workspace (.qwq-cache/sample: a
// copy of the node fixture project without its test patches, or a generated Node project):
// - in desktop VS Code when `code` is on PATH (`code --install-extension <vsix>`, then `code <folder>`);
// - otherwise in code-server at http://127.0.0.1:8080 (installing the toolchain into .tools/ if needed, and the
//   system packages it builds against: apt-get when root on Debian, else they are named), in the foreground
//   until Ctrl+C, which stops the server's whole process group.
// Options: `--code-server` forces code-server; `--no-build` packages the current out/; `--port N` (or $QWQ_PORT), `--folder DIR`
// and `--profile DIR` (code-server's user data and extensions, default .qwq-cache/code-server) override defaults;
// `--restricted` opens the sample untrusted (Restricted Mode), in its own profile and its own copy of the sample.
//
// The profile is kept between runs and its settings are merged, never replaced (settings-merge.mjs): a model or
// anything else the user chose survives a restart. With no model configured, the sample's demo models are
// written (`npm run demo-models`) and configured: scripted GGUFs, labelled "demo model (scripted for the sample
// workspace)" everywhere, that plan, edit and pass the sample's tests offline.
// Workspace trust stays ON (no --disable-workspace-trust, no trust setting written): the sample opens in
// Restricted Mode, as any unknown folder does, with VS Code's banner and the walkthrough's "Trust the workspace"
// step; one click trusts it (VS Code remembers that). A newcomer so meets Restricted Mode where it really is,
// instead of a launcher that turned it off and hid it. `--restricted` keeps a separate untrusted copy for trying
// Restricted Mode again after the sample was trusted.
import { spawnSync } from 'node:child_process';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVsix } from './package.mjs';
import { prepareSampleWorkspace } from './sample-workspace.mjs';
import { CHAT_NOTICE, installTools, makeProfile, startCodeServer } from './code-server.mjs';
import { demoModelSettings } from './demo-models.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const port = Number(opt('--port') ?? process.env.QWQ_PORT ?? 8080);
const restricted = argv.includes('--restricted');
const folder = resolve(opt('--folder') ?? prepareSampleWorkspace(join(root, '.qwq-cache', restricted ? 'sample-restricted' : 'sample')));

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

async function main() {
  const useCode = !argv.includes('--code-server') && onPath('code');
  // code-server first: its install checks (and on Debian as root installs) the system packages it builds
  // against, so a machine that lacks them fails here, in seconds, naming them, not after the build.
  if (!useCode) installTools();
  const vsix = packageVsix({ build: !argv.includes('--no-build'), ifStale: true });

  if (useCode) {
    console.log(`start: installing ${vsix} into VS Code`);
    const install = spawnSync('code', ['--install-extension', vsix, '--force'], { stdio: 'inherit' });
    if (install.status !== 0) throw new Error(`code --install-extension exited ${install.status}`);
    spawnSync('code', [folder], { stdio: 'inherit' });
    console.log(`start: opened ${folder} in VS Code; run "QwQ: Open Reasoning Panel" from the palette, or ask @qwq in the Chat view`);
    return;
  }

  // A profile kept between runs in .qwq-cache, so a user's layout and settings survive restarts; the .vsix is reinstalled.
  const profileDir = resolve(opt('--profile') ?? join(root, '.qwq-cache', restricted ? 'code-server-restricted' : 'code-server'));
  const profile = makeProfile({
    dir: profileDir,
    workspaceTrust: true,
    settings: {
      // The sample lives inside this repository: don't offer to open the repository's own git.
      'git.openRepositoryInParentFolders': 'never',
      // Defaults only: a model the user chose wins (the merge keeps it).
      ...demoModelSettings(join(root, '.qwq-cache', 'demo-models')),
      // Restricted Mode at once, without the trust question (the banner offers to trust).
      ...(restricted ? { 'security.workspace.trust.startupPrompt': 'never' } : {}),
    },
  });
  const server = await startCodeServer({
    profile, vsix, port, folder, timeoutMs: 120_000, disableWorkspaceTrust: false,
    // The walkthrough opens on the first run although the launcher keeps VS Code's own welcome page closed.
    // Select Model… lists the demo models from here, labelled as demos.
    env: { QWQ_FIRST_RUN: '1', QWQ_DEMO_MODELS_DIR: join(root, '.qwq-cache', 'demo-models') },
  }).catch((e) => {
    throw new Error(`${e.message}\n(is port ${port} in use? try --port N)`);
  });
  console.log(`\nQwQ Coder is running in code-server: ${server.url}/?folder=${encodeURIComponent(folder)}`);
  console.log(`Workspace: ${folder} (code-server process group ${server.pid})`);
  if (restricted) console.log('Restricted Mode: the sample is not trusted, so no test runs until you trust it.');
  console.log(CHAT_NOTICE);
  // The banner's last line: test/e2e/npmStart.ts reads the banner up to it.
  console.log('Open the URL in a browser, then the QwQ icon in the activity bar. Ctrl+C stops the server.');
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstart: stopping code-server');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
  // Stay in the foreground: a pending timer keeps the event loop alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

main().catch((e) => {
  console.error(`start: ${e.message}`);
  process.exit(1);
});
