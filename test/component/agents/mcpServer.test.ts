// `qwq-coder mcp` through a real MCP client (@modelcontextprotocol/sdk's Client over stdio) and the built bundle:
// the tools are listed, a fixing patch is verified and a breaking one regressed (test names and locations), the
// context tools answer, malformed calls get MCP tool errors while the server lives on, --no-verify runs no test,
// and the workspace is never written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, ROOT, ensureCli } from '../../support/cliWorkspace';
import { snapshot } from '../../support/treeSnapshot';

const node = join(ROOT, 'test/fixtures/workspaces/node');

async function connect(extra: string[] = []): Promise<{ client: Client; stderr: () => string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'NODE_TEST_CONTEXT') env[k] = v;
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', ...extra], cwd: node, env, stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (d) => { err += String(d); });
  const client = new Client({ name: 'qwq-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err };
}

type CallResult = { isError?: boolean; content: Array<{ type: string; text?: string }>; structuredContent?: Record<string, any> };
const call = async (client: Client, name: string, args: Record<string, unknown>): Promise<CallResult> =>
  (await client.callTool({ name, arguments: args }, undefined, { timeout: 300_000 })) as CallResult;

let server: Awaited<ReturnType<typeof connect>>;
before(async () => {
  ensureCli();
  server = await connect();
});
after(async () => { await server?.client.close(); });

test('lists the three tools with JSON-schema inputs; qwq_verifyEdit declares its output schema', async () => {
  const { tools } = await server.client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), ['qwq_codeContext', 'qwq_repoMap', 'qwq_verifyEdit']);
  const verify = tools.find((t) => t.name === 'qwq_verifyEdit')!;
  assert.deepEqual(verify.inputSchema.required, ['patch']);
  assert.ok(verify.outputSchema, 'structured output is declared');
  assert.equal(tools.find((t) => t.name === 'qwq_repoMap')!.annotations?.readOnlyHint, true);
});

test('a fixing patch is verified and a breaking one regressed, with test names and locations; the workspace is untouched', async () => {
  const snap = snapshot(node);
  const fix = await call(server.client, 'qwq_verifyEdit', { patch: readFileSync(join(node, 'fix.patch'), 'utf8'), workspaceFolder: node, taskKind: 'fix-failing-tests' });
  assert.notEqual(fix.isError, true, fix.content[0]?.text);
  const f = fix.structuredContent!;
  assert.equal(f.verdict, 'verified', f.reason);
  assert.equal(f.accepted, true);
  assert.equal(f.newlyPassing.length, 1, JSON.stringify(f.newlyPassing));
  assert.match(f.newlyPassing[0].id, /total applies a percentage discount/);
  assert.deepEqual({ path: f.newlyPassing[0].path, line: f.newlyPassing[0].line }, { path: 'test/cart.test.js', line: 12 });
  assert.match(f.command, /test/);
  assert.ok(['sandbox', 'copy', 'checked'].includes(f.isolation), `isolation ${f.isolation}`);
  assert.deepEqual(f.files, ['src/cart.js']);
  assert.match(fix.content[0].text!, /^verified: /);

  const brk = await call(server.client, 'qwq_verifyEdit', { patch: readFileSync(join(node, 'break.patch'), 'utf8'), workspaceFolder: node });
  const b = brk.structuredContent!;
  assert.equal(b.verdict, 'regressed', b.reason);
  assert.equal(b.accepted, false);
  const failing = b.newlyFailing.find((t: { id: string }) => t.id.includes('itemCount counts quantities'));
  assert.ok(failing, JSON.stringify(b.newlyFailing));
  assert.deepEqual({ path: failing.path, line: failing.line }, { path: 'test/cart.test.js', line: 16 });
  assert.match(brk.content[0].text!, /newly failing:\n {2}.*itemCount counts quantities \(test\/cart\.test\.js:16\)/);
  assert.equal(snapshot(node), snap, 'the MCP server never writes the workspace');
});

test('a patch that rewrites the failing test itself is never accepted: the policy marks the judge file', async () => {
  const snap = snapshot(node);
  const gaming = 'test/cart.test.js\n<<<<<<< SEARCH\n  assert.equal(total(items, 10), 540);\n=======\n  assert.equal(total(items, 10), total(items, 10));\n>>>>>>> REPLACE\n';
  const r = await call(server.client, 'qwq_verifyEdit', { patch: gaming, workspaceFolder: node, taskKind: 'fix-failing-tests' });
  assert.notEqual(r.isError, true, r.content[0]?.text);
  const s = r.structuredContent!;
  assert.equal(s.accepted, false, `${s.verdict}: ${s.reason}`);
  assert.notEqual(s.verdict, 'verified');
  assert.ok(s.judgeFiles.some((f: string) => f.startsWith('test/cart.test.js:')), JSON.stringify(s.marks));
  assert.equal(snapshot(node), snap);
});

test('a patch into .git is refused before anything runs', async () => {
  const r = await call(server.client, 'qwq_verifyEdit', { patch: '.git/config\n<<<<<<< SEARCH\n=======\n[core]\n>>>>>>> REPLACE\n', workspaceFolder: node });
  assert.equal(r.isError, true, r.content[0]?.text);
  assert.match(r.content[0].text!, /\.git/);
});

test('garbage on stdin is reported on stderr and the server keeps answering', async () => {
  const child = spawn(process.execPath, [CLI, 'mcp'], { cwd: node, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_TEST_CONTEXT: undefined } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  child.stdin.write('not json at all\n{"jsonrpc":"2.0","id":1,"method":"no/such/method"}\n');
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`);
  const deadline = Date.now() + 20_000;
  while (!out.includes('"id":2') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  child.stdin.end();
  const code = await new Promise<number | null>((r) => child.on('close', r));
  assert.match(err, /not valid JSON|Unexpected token/);
  assert.match(out, /"id":1,"error":\{"code":-32601/);
  const answers = out.trim().split('\n').map((l) => JSON.parse(l) as { id: number; result?: { protocolVersion?: string } });
  assert.equal(answers.find((a) => a.id === 2)?.result?.protocolVersion, '2025-06-18');
  assert.equal(code, 0, 'stdin closed: the server ends cleanly');
});

test('code context at a position and for a symbol, and the repo map', async () => {
  const atPos = await call(server.client, 'qwq_codeContext', { workspaceFolder: node, file: 'src/cart.js', line: 9, column: 3 });
  assert.notEqual(atPos.isError, true, atPos.content[0]?.text);
  const snippets = atPos.structuredContent!.snippets as Array<{ path: string; kind: string; symbol: string | null }>;
  assert.ok(snippets.some((s) => s.path === 'src/cart.js' && s.kind === 'scope'), JSON.stringify(snippets));
  const bySymbol = await call(server.client, 'qwq_codeContext', { workspaceFolder: node, symbol: 'itemCount' });
  assert.notEqual(bySymbol.isError, true, bySymbol.content[0]?.text);
  assert.ok((bySymbol.structuredContent!.snippets as Array<{ symbol: string | null; text: string }>).some((s) => s.text.includes('function itemCount')));
  const map = await call(server.client, 'qwq_repoMap', { workspaceFolder: node, budget: 256 });
  assert.match(map.content[0].text!, /src\/cart\.js/);
});

test('malformed calls get MCP tool errors and the server lives on', async () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['qwq_verifyEdit', { workspaceFolder: node }, /patch/],
    ['qwq_verifyEdit', { patch: 'not a patch at all', workspaceFolder: node }, /malformed|no edits found/],
    ['qwq_verifyEdit', { patch: 'src/cart.js\n<<<<<<< SEARCH\nno such line\n=======\nx\n>>>>>>> REPLACE\n', workspaceFolder: node }, /does not apply/],
    ['qwq_verifyEdit', { patch: readFileSync(join(node, 'fix.patch'), 'utf8'), workspaceFolder: 'relative/dir' }, /absolute/],
    ['qwq_verifyEdit', { patch: readFileSync(join(node, 'fix.patch'), 'utf8'), workspaceFolder: join(node, 'missing') }, /not a directory/],
    ['qwq_verifyEdit', { patch: 42 }, /patch/],
    ['qwq_verifyEdit', { patch: '--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-root\n+toor\n', workspaceFolder: node }, /outside|\.\.|escape|workspace/i],
    ['qwq_codeContext', { workspaceFolder: node, file: '../../../../etc/passwd', line: 1 }, /outside/],
    ['qwq_codeContext', { workspaceFolder: node, file: 'src/cart.js', line: 0 }, /line/],
    ['qwq_codeContext', { workspaceFolder: node }, /symbol, or file and line/],
    ['qwq_codeContext', { workspaceFolder: node, symbol: 'noSuchSymbolAnywhere' }, /no definition/],
    ['qwq_repoMap', { workspaceFolder: node, budget: 'big' }, /budget/],
    ['qwq_noSuchTool', {}, /not found|unknown/],
  ];
  for (const [name, args, message] of cases) {
    const r = await call(server.client, name, args);
    assert.equal(r.isError, true, `${name} ${JSON.stringify(args)} → ${r.content[0]?.text}`);
    assert.match(r.content[0].text!, message, `${name} ${JSON.stringify(args)}`);
  }
  // Still serving after all of that.
  const { tools } = await server.client.listTools();
  assert.equal(tools.length, 3);
});

test('--no-verify: qwq_verifyEdit runs no test and answers untrusted; the context tools still work', async () => {
  const ro = await connect(['--no-verify']);
  try {
    const { tools } = await ro.client.listTools();
    assert.match(tools.find((t) => t.name === 'qwq_verifyEdit')!.description!, /read-only/);
    const r = await call(ro.client, 'qwq_verifyEdit', { patch: readFileSync(join(node, 'fix.patch'), 'utf8'), workspaceFolder: node });
    assert.notEqual(r.isError, true, r.content[0]?.text);
    const s = r.structuredContent!;
    assert.equal(s.verdict, 'untrusted');
    assert.equal(s.accepted, false);
    assert.equal(s.command, '', 'no test command ran');
    assert.deepEqual([s.baseline, s.candidate], [{ passed: 0, failed: 0 }, { passed: 0, failed: 0 }]);
    const ctx = await call(ro.client, 'qwq_repoMap', { workspaceFolder: node });
    assert.notEqual(ctx.isError, true);
    assert.match(ro.stderr(), /read-only/);
  } finally {
    await ro.client.close();
  }
});
