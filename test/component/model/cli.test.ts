// The model CLI commands, run as the user runs them: `node out/cli.js …` (built first if needed), checking
// output and the exit codes of DESIGN §7 (0 ok, 1 handled failure with one line on stderr, 2 usage).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { writeScriptedModel, thinkThenAnswerScript } from '../../fixtures/gguf/scriptedModel';
import { writeTinyQwen2 } from '../../fixtures/gguf/qwen2Model';
import { tempDir } from '../../unit/model/helpers';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'out', 'cli.js');
const tmp = tempDir('qwq-cli-');
const scripted = join(tmp.dir, 'scripted.gguf');
const fast = ['--threads', '1', '--context-size', '2048', '--cpu'];

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: tmp.dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let server: Server;
before(async () => {
  if (!existsSync(cli) || !existsSync(join(root, 'out', 'llamaWorker.js'))) {
    assert.equal(spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' }).status, 0);
  }
  writeScriptedModel(scripted, thinkThenAnswerScript({ thought: 'plan it', answer: 'Answer here.', noThinkAnswer: 'x = 1' }));
  const served = join(tmp.dir, 'served.gguf');
  writeTinyQwen2(served);
  const bytes = readFileSync(served);
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-length': bytes.length });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
});
after(() => { server.close(); tmp.cleanup(); });

test('models info --json reads the header', async () => {
  const r = await run(['models', 'info', scripted, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.architecture, 'qwen2');
  assert.equal(info.hasInfill, true);
  assert.equal(info.hasChatTemplate, true);
});

test('models info on a file that is not a GGUF: exit 1, one line', async () => {
  writeFileSync(join(tmp.dir, 'notes.txt'), 'hello');
  const r = await run(['models', 'info', 'notes.txt']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^qwq-coder: .*notes\.txt is not a GGUF model file.*\n$/);
});

test('models with an unknown subcommand is a usage error (exit 2)', async () => {
  assert.equal((await run(['models', 'frobnicate'])).code, 2);
});

test('models pull downloads a URL into the models dir; list shows it', async () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files/tiny.gguf`;
  const pulled = await run(['models', 'pull', url, '--models-dir', join(tmp.dir, 'models'), '--json']);
  assert.equal(pulled.code, 0, pulled.stderr);
  const { path, downloaded } = JSON.parse(pulled.stdout);
  assert.equal(downloaded, true);
  assert.ok(existsSync(path));
  const listed = await run(['models', 'list', '--models-dir', join(tmp.dir, 'models'), '--json']);
  assert.equal(listed.code, 0);
  const { models } = JSON.parse(listed.stdout);
  assert.equal(models.length, 1);
  assert.equal(models[0].architecture, 'qwen2');
});

test('chat --json on the scripted model gives its thought and answer', async () => {
  const r = await run(['chat', '--model', scripted, ...fast, '--max-tokens', '64', '--json', 'hello there']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.thought, 'plan it');
  assert.equal(out.answer, 'Answer here.');
});

test('chat streams: thinking on stderr, the answer on stdout', async () => {
  const r = await run(['chat', '--model', scripted, ...fast, 'hello']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'Answer here.');
  assert.match(r.stderr, /<think>\nplan it/);
});

test('chat with a missing model file: exit 1 naming it; without a prompt: exit 2', async () => {
  const missing = await run(['chat', '--model', 'nope.gguf', 'hi']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /model file not found: .*nope\.gguf/);
  assert.equal((await run(['chat', '--model', scripted])).code, 2);
});

test('complete takes the FIM path on a model with FIM tokens; bad cursor and missing options are handled', async () => {
  const src = join(tmp.dir, 'add.js');
  writeFileSync(src, 'function add(a, b) {\n  return \n}\n');
  const r = await run(['complete', '--model', scripted, ...fast, '--file', src, '--line', '2', '--column', '10', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.mode, 'fim');
  assert.equal(typeof out.text, 'string');
  const past = await run(['complete', '--model', scripted, ...fast, '--file', src, '--line', '9', '--column', '1']);
  assert.equal(past.code, 1);
  assert.match(past.stderr, /past the end of the file/);
  assert.equal((await run(['complete', '--model', scripted, '--file', src])).code, 2);
});
