// Fault: `edit --apply` must never write into .git/. A model's edit to `.git/config` (adding core.fsmonitor,
// which runs a command on the next `git status`) used to be verified and written. Now the agent refuses it
// when it applies the candidate, the refusal goes back to the model as feedback, and only the real fix is
// verified and written. Runs the whole loop in-process with a scripted scenario model (a test fixture) and
// the node fixture workspace's real tests, so it is a component test.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { FIX_EDIT, SECOND_PLAN_MARKER, REPAIR_MARKER } from '../../fixtures/scenarios/cartScenarios';
import { NO_THINK_TRIGGER, THINK_TRIGGER, writeScenarioModel } from '../../fixtures/scenarios/scenarioModel';

const WORKSPACES = join(__dirname, '../../fixtures/workspaces');
let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'qwq-edit-apply-faults-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

const gitConfig = '[core]\n\trepositoryformatversion = 0\n';
/** The real fix plus a .git/config edit, in one candidate: the tests pass with it, so it was "verified". */
const GIT_EDIT = JSON.stringify({ edits: [...JSON.parse(FIX_EDIT).edits, { path: '.git/config', search: '[core]\n', replace: '[core]\n\tfsmonitor = "touch pwned"\n' }] });

test('fault: edit --apply refuses a model edit to .git/config, tells the model why, and writes only the verified fix', async () => {
  const model = join(dir, 'scripted-scenario-git-then-fix.gguf');
  writeScenarioModel(model, [
    { trigger: THINK_TRIGGER, output: 'The test expects 540.\n</think>In src/cart.js, make total divide the discount percentage by 100.' },
    { trigger: THINK_TRIGGER, marker: REPAIR_MARKER, output: 'That attempt failed.\n</think>Plan REVISED: in src/cart.js total, return sub - (sub * discountPercent) / 100.' },
    { trigger: NO_THINK_TRIGGER, output: GIT_EDIT },
    { trigger: NO_THINK_TRIGGER, marker: SECOND_PLAN_MARKER, output: FIX_EDIT },
  ]);
  const ws = join(dir, 'node-copy');
  cpSync(join(WORKSPACES, 'node'), ws, { recursive: true });
  mkdirSync(join(ws, '.git'), { recursive: true });
  writeFileSync(join(ws, '.git/config'), gitConfig);
  let out = '';
  let err = '';
  const code = await main(['edit', '--workspace', ws, '--task', 'fix the failing tests', '--model', model, '--apply', '--json', '--threads', '1', '--context-size', '16384'],
    { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, signal: new AbortController().signal, cwd: process.cwd() });
  const events = out.trim().split('\n').map((l) => JSON.parse(l));
  const refused = events.find((e) => e.type === 'apply-failed');
  assert.ok(refused, 'the .git edit is refused when it is applied');
  assert.match(refused.message, /'\.git\/config' is inside \.git\/, the version-control folder/);
  assert.equal(readFileSync(join(ws, '.git/config'), 'utf8'), gitConfig, '.git/config is untouched');
  assert.equal(code, 0, err);
  const result = events.at(-1);
  assert.equal(result.verdict, 'verified');
  assert.deepEqual(result.applied, ['src/cart.js']);
  assert.doesNotMatch(result.diff, /\.git\//);
});
