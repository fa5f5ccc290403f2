// `npm run demo-models` writes the sample's demo models (scripted GGUFs, real llama.cpp), and each one does the
// sample's task offline: Fix Failing Tests on the sample workspace plans, edits and ends verified by the sample's
// own tests. This is what `npm start` offers a newcomer with no model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { prepareSampleWorkspace } from '../../../scripts/sample-workspace.mjs';
import { scratchDir } from '../../support/scratchDir';
import { ROOT } from '../../support/cliWorkspace';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, signal: new AbortController().signal, cwd: process.cwd() });
  return { code, out, err };
}

test('npm run demo-models writes labelled demo models, and each fixes the sample offline (plan → edit → verified)', async () => {
  const dir = scratchDir('qwq-demo-models-');
  const r = spawnSync('npm', ['run', '--silent', 'demo-models', '--', dir], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(dir).sort(), ['sample-cart-fix.demo.gguf', 'sample-cart-repair.demo.gguf']);
  const sample = prepareSampleWorkspace(join(scratchDir('qwq-demo-sample-'), 'sample'));
  for (const [model, rounds] of [['sample-cart-fix.demo.gguf', 1], ['sample-cart-repair.demo.gguf', 2]] as const) {
    const run = await cli(['edit', '--workspace', sample, '--kind', 'fix-failing-tests', '--model', join(dir, model), '--threads', '1', '--context-size', '16384', '--json']);
    assert.equal(run.code, 0, `${model}: ${run.err}\n${run.out.slice(-2000)}`);
    const events = run.out.trim().split('\n').map((l) => JSON.parse(l));
    const result = events.at(-1);
    assert.equal(result.verdict, 'verified', model);
    assert.equal(result.rounds, rounds, `${model} takes ${rounds} round(s)`);
    assert.ok(events.some((e) => e.type === 'plan'), `${model} plans first`);
    assert.match(result.diff, /\+ {2}return sub - \(sub \* discountPercent\) \/ 100;/);
  }
});
