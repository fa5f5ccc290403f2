// `qwq-coder edit` in-process through the CLI's main(), on the real runtime with scripted scenario models and
// the fixture workspaces' real tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { writeWorkspaceScenario } from '../../fixtures/scenarios/workspaceScenarios';
import { writeScenario } from '../../fixtures/scenarios/cartScenarios';
import { writeTinyQwen2 } from '../../fixtures/gguf';

const WORKSPACES = join(__dirname, '../../fixtures/workspaces');
let dir: string;

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, signal: new AbortController().signal, cwd: process.cwd() });
  return { code, out, err };
}

const common = ['--threads', '1', '--context-size', '16384'];

before(() => { dir = mkdtempSync(join(tmpdir(), 'qwq-cli-edit-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

test('edit: usage errors exit 2 with a one-line message', async () => {
  const ws = join(WORKSPACES, 'node');
  const noTask = await cli(['edit', '--workspace', ws, '--kind', 'edit-selection']);
  assert.equal(noTask.code, 2);
  assert.match(noTask.err, /missing --task/);
  const badKind = await cli(['edit', '--workspace', ws, '--task', 'x', '--kind', 'refactor']);
  assert.equal(badKind.code, 2);
  assert.match(badKind.err, /--kind must be one of/);
  const outside = await cli(['edit', '--workspace', ws, '--task', 'x', '--file', '/etc/passwd']);
  assert.equal(outside.code, 2);
  const lines = await cli(['edit', '--workspace', ws, '--task', 'x', '--file', join(ws, 'src/cart.js'), '--lines', '5-2']);
  assert.equal(lines.code, 2);
  assert.match(lines.err, /bad selection/);
  assert.equal(noTask.err.trim().split('\n').length, 1);
});

test('edit --json on the go fixture with a scripted model: JSON lines, a verified diff, exit 0', async () => {
  const model = writeWorkspaceScenario(dir, 'go');
  const r = await cli(['edit', '--workspace', join(WORKSPACES, 'go'), '--task', 'fix the failing tests', '--model', model, '--json', ...common]);
  assert.equal(r.code, 0, r.err);
  const events = r.out.trim().split('\n').map((l) => JSON.parse(l));
  const result = events.at(-1);
  assert.equal(result.type, 'result');
  assert.equal(result.verdict, 'verified');
  assert.match(result.diff, /\+\tm := xs\[0\]/);
  assert.ok(events.some((e) => e.type === 'baseline' && e.runner === 'go'));
  assert.equal(r.err, '');
});

test('edit with the random tiny model: no verified edit, exit 1, one line on stderr, nothing written', async () => {
  const model = join(dir, 'tiny-qwen2.gguf');
  writeTinyQwen2(model);
  const ws = join(dir, 'python-copy');
  cpSync(join(WORKSPACES, 'python'), ws, { recursive: true });
  const before = readFileSync(join(ws, 'shop/orders.py'), 'utf8');
  const r = await cli(['edit', '--workspace', ws, '--task', 'fix the failing tests', '--model', model, '--max-rounds', '1', '--thought-budget', '32', '--apply', ...common]);
  assert.equal(r.code, 1);
  assert.match(r.err, /^qwq-coder: no verified edit/);
  assert.equal(r.err.trim().split('\n').length, 1);
  assert.match(r.out, /\[plan round 1\]/);
  assert.equal(readFileSync(join(ws, 'shop/orders.py'), 'utf8'), before, '--apply writes nothing unverified');
});

test('edit --apply writes the verified edit; without it the workspace is untouched', async () => {
  const model = writeScenario(dir, 'fix');
  const ws = join(dir, 'node-copy');
  cpSync(join(WORKSPACES, 'node'), ws, { recursive: true });
  const original = readFileSync(join(ws, 'src/cart.js'), 'utf8');
  const dry = await cli(['edit', '--workspace', ws, '--task', 'fix the failing tests', '--model', model, ...common]);
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /VERIFIED diff/);
  assert.match(dry.out, /not written: run again with --apply to write this verified diff/, 'the dry run says how to write the diff');
  assert.equal(readFileSync(join(ws, 'src/cart.js'), 'utf8'), original);
  const applied = await cli(['edit', '--workspace', ws, '--task', 'fix the failing tests', '--model', model, '--apply', ...common]);
  assert.equal(applied.code, 0, applied.err);
  assert.match(applied.out, /applied to src\/cart.js/);
  assert.match(readFileSync(join(ws, 'src/cart.js'), 'utf8'), /return sub - \(sub \* discountPercent\) \/ 100;/);
});
