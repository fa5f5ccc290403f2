// The runner hook (src/core/verify/runnerHook.ts), on a stand-in runner CLI: the runner's own process reads
// our flags; the test code it then loads sees process.argv exactly as typed; child processes and other node
// programs of the run never get the flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNNER_HOOK_ENV, RUNNER_HOOK_SOURCE } from '../../../src/core/verify';
import { scratchDir } from '../../support/scratchDir';

function setup(): { dir: string; hook: string } {
  const dir = scratchDir('qwq-hook-');
  const hook = join(dir, 'hook.cjs');
  writeFileSync(hook, RUNNER_HOOK_SOURCE);
  mkdirSync(join(dir, 'node_modules/fakerunner/bin'), { recursive: true });
  // Like jest: reads its argv synchronously at start, later loads the test file and starts a worker.
  writeFileSync(join(dir, 'node_modules/fakerunner/bin/cli.js'), `const seen = process.argv.slice(2);
console.log('runner:' + JSON.stringify(seen));
setTimeout(() => {
  require(process.cwd() + '/my.test.js');
  const child = require('child_process').spawnSync(process.execPath, ['-e', 'console.log("child:" + JSON.stringify(process.argv.slice(1)) + ":" + (process.env.NODE_OPTIONS || ""))'], { encoding: 'utf8' });
  process.stdout.write(child.stdout);
}, 20);
`);
  writeFileSync(join(dir, 'my.test.js'), "console.log('test:' + JSON.stringify(process.argv.slice(2)));\n");
  return { dir, hook };
}

function run(dir: string, hook: string, script: string, args: string[]): string {
  const env: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: `--require=${hook}`, QWQ_NODE_OPTIONS_BEFORE: '', [RUNNER_HOOK_ENV]: JSON.stringify({ script: '/fakerunner/bin/cli\\.js$', args: ['--json', '--outputFile=/r/x.json'], tail: ['--findRelatedTests', 'src/a.js'], restore: true }) };
  delete env.NODE_TEST_CONTEXT;
  return spawnSync(process.execPath, [script, ...args], { cwd: dir, env, encoding: 'utf8' }).stdout;
}

test('the runner sees our flags; the test code sees the argv as typed; children see neither flags nor hook', () => {
  const { dir, hook } = setup();
  const out = run(dir, hook, join(dir, 'node_modules/fakerunner/bin/cli.js'), ['--runInBand', 'test/']);
  assert.match(out, /^runner:\["--json","--outputFile=\/r\/x.json","--runInBand","test\/","--findRelatedTests","src\/a.js"\]$/m);
  assert.match(out, /^test:\["--runInBand","test\/"\]$/m);
  assert.match(out, /^child:\[\]:$/m, 'no hook in the child\'s NODE_OPTIONS');
});

test('any other node program of the run is left alone', () => {
  const { dir, hook } = setup();
  writeFileSync(join(dir, 'other.js'), "console.log('other:' + JSON.stringify(process.argv.slice(2)));\n");
  assert.match(run(dir, hook, join(dir, 'other.js'), ['--x']), /^other:\["--x"\]$/m);
});
