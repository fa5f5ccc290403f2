// Runs the extension-host suite (test/integration/suite) inside code-server's real extension host, offline
// (docs/architecture.md §8): the smoke-test driver makes the web workbench honour `?payload=` (extensionDevelopmentPath,
// extensionTestsPath, extensionEnvironment) and report the host's exit code via window.codeAutomationExit.
// The host's console (mocha's spec output) arrives through window.codeAutomationLog and goes to our stdout.
// `node test/integration/run-code-server.mjs` runs it alone; scripts/test.mjs calls runIntegration().
import { mkdtempSync, readFileSync, existsSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startCodeServer, launchChromium, remoteAuthority, workbenchUrl } from '../../scripts/code-server.mjs';
import { prepareSampleWorkspace } from '../../scripts/sample-workspace.mjs';
import { buildSuite, root } from './build-suite.mjs';

// The web workbench's own console chatter, not the extension host's: kept in the log file, not on stdout.
const NOISE = /^\[(AgentHost|ChatModelSelection|AccountPolicyGate|Service Worker|reconnection-grace-time)|^Resolv(ing|ed) connection token|^Creating a socket|^Updating additional builtin|open-vsx\.org|authentication provider|^\[Extension Host\] (debugger|Debugger)/;

// The whole suite, not one test: it runs real tests and real models (the agents suite alone takes 1-2 min under load).
const RUN_TIMEOUT_MS = Number(process.env.QWQ_ITEST_TIMEOUT_MS ?? 480_000);

/** Builds the suite, runs it in code-server, and returns {passed, failed, skipped} from the suite's JSON result. */
export async function runIntegration({ log = (line) => console.log(line) } = {}) {
  const { index, files } = await buildSuite();
  log(`integration: ${files} suite file(s), code-server extension host`);
  const tmp = mkdtempSync(join(tmpdir(), 'qwq-itest-'));
  const resultFile = join(tmp, 'result.json');
  // A copy of the node sample workspace (or a generated one): tests may write to it, the fixture stays intact.
  const folder = prepareSampleWorkspace(join(tmp, 'workspace'));
  const verbose = !!process.env.QWQ_VERBOSE;
  const hostLog = [];
  let server;
  let browser;
  try {
    server = await startCodeServer({ smokeTestDriver: true });
    const authority = await remoteAuthority(server.url);
    const remote = (p) => `vscode-remote://${authority}${p}`;
    const env = { QWQ_ITEST_RESULT: resultFile, ...(process.env.QWQ_ITEST_GREP ? { QWQ_ITEST_GREP: process.env.QWQ_ITEST_GREP } : {}) };
    const payload = [
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(index)],
      ['extensionEnvironment', JSON.stringify(env)],
    ];
    browser = await launchChromium();
    const page = await browser.newPage();
    let resolveExit;
    let done = false;
    const exited = new Promise((r) => { resolveExit = r; });
    await page.exposeFunction('codeAutomationExit', (code) => { done = true; resolveExit(code); });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      hostLog.push(`[${type}] ${text}`);
      if (done || (!verbose && NOISE.test(text))) return;
      (type === 'error' ? console.error : console.log)(text);
    });
    await page.goto(workbenchUrl(server.url, { folder, payload }));
    const code = await Promise.race([
      exited,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`the extension host did not exit within ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS)),
    ]);
    if (!existsSync(resultFile)) {
      log(`integration: the suite wrote no result (extension host exit code ${code}); code-server said:\n${server.output().slice(-2000)}`);
      return { passed: 0, failed: 1, skipped: 0 };
    }
    const r = JSON.parse(readFileSync(resultFile, 'utf8'));
    for (const f of r.failures ?? []) log(`integration: FAILED ${f}`);
    // A non-zero exit with no failing test (a crash after the run) still counts as a failure.
    const failed = r.failed + (code !== 0 && r.failed === 0 ? 1 : 0);
    return { passed: r.passed, failed, skipped: r.pending ?? 0 };
  } finally {
    mkdirSync(join(root, 'test-results'), { recursive: true });
    writeFileSync(join(root, 'test-results', 'integration.log'), hostLog.join('\n') + '\n');
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await runIntegration();
  console.log(`integration: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
  process.exit(r.failed > 0 || r.passed === 0 ? 1 : 0);
}
