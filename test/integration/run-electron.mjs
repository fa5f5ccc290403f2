// `npm run test:electron`: the same extension-host suite as run-code-server.mjs, launched in desktop VS Code
// through @vscode/test-electron. It downloads VS Code (QWQ_VSCODE_VERSION, default "stable") into
// .vscode-test/, so it needs internet; offline, `npm test` runs the suite in code-server instead.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite, root } from './build-suite.mjs';

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const { index } = await buildSuite();
const tmp = mkdtempSync(join(tmpdir(), 'qwq-itest-electron-'));
const resultFile = join(tmp, 'result.json');
const folder = join(tmp, 'workspace');
mkdirSync(folder, { recursive: true });
writeFileSync(join(folder, 'README.md'), '# integration workspace\n');

let exitCode = 1;
try {
  exitCode = await runTests({
    version: process.env.QWQ_VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: index,
    extensionTestsEnv: { QWQ_ITEST_RESULT: resultFile },
    launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (e) {
  console.error(`test:electron: ${e?.message ?? e}`);
}
const r = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : { passed: 0, failed: 1, pending: 0 };
rmSync(tmp, { recursive: true, force: true });
console.log(`integration (electron): ${r.passed} passed, ${r.failed} failed`);
process.exit(exitCode !== 0 || r.failed > 0 || r.passed === 0 ? 1 : 0);
