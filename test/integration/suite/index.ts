// The extension-host test entry (`extensionTestsPath`). The same module runs under code-server (offline,
// test/integration/run-code-server.mjs) and under @vscode/test-electron (test/integration/run-electron.mjs).
// It runs every bundled *.itest.js next to it with mocha (tdd UI), prints mocha's spec output through
// console.log (which both launchers forward), and writes {passed, failed, pending, failures} as JSON to the
// path in QWQ_ITEST_RESULT, so the launcher counts tests without parsing text.
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface IntegrationResult {
  passed: number;
  failed: number;
  pending: number;
  failures: string[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.QWQ_ITEST_GREP;
  if (grep) mocha.grep(grep);
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.itest.js')).sort();
  if (files.length === 0) return Promise.reject(new Error(`no *.itest.js files in ${__dirname}`));
  for (const f of files) mocha.addFile(join(__dirname, f));

  return new Promise((resolve, reject) => {
    const failures: string[] = [];
    const runner = mocha.run(() => {
      const s = runner.stats ?? { passes: 0, failures: 1, pending: 0 };
      const result: IntegrationResult = { passed: s.passes, failed: s.failures, pending: s.pending, failures };
      const out = process.env.QWQ_ITEST_RESULT;
      if (out) writeFileSync(out, JSON.stringify(result));
      if (s.passes + s.failures === 0) reject(new Error('integration: no tests ran'));
      else if (s.failures > 0) reject(new Error(`integration: ${s.failures} test(s) failed`));
      else resolve();
    });
    runner.on('fail', (t, err) => failures.push(`${t.fullTitle()}: ${err?.message ?? err}`));
  });
}
