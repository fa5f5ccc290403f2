// The tools other agents call: one table, so package.json's languageModelTools schemas must be the ones the code
// validates with; bad input is a ToolInputError that names the field; the workspace must be absolute, exist and
// (in the editor) be an open folder; a file outside it is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_TOOLS, parseToolInput, runAgentTool, toolInputJsonSchema, ToolInputError, type AgentToolHost, type AgentToolName } from '../../../src/core/agent/agentTools';
import { patchReportText, type PatchReport } from '../../../src/core/agent/verifyPatch';
import pkg from '../../../package.json';
import { scratchDir } from '../../support/scratchDir';

test('package.json declares every tool with the input schema the code validates with', () => {
  const declared = pkg.contributes.languageModelTools as Array<{ name: string; inputSchema: unknown; modelDescription: string }>;
  assert.deepEqual(declared.map((t) => t.name).sort(), Object.keys(AGENT_TOOLS).sort());
  for (const t of declared) {
    assert.deepEqual(t.inputSchema, toolInputJsonSchema(t.name as AgentToolName), `${t.name}: regenerate inputSchema from src/core/agent/agentTools.ts`);
    assert.ok(t.modelDescription.length > 80);
  }
});

test('parseToolInput names the wrong fields, and refuses unknown ones', () => {
  assert.throws(() => parseToolInput('qwq_verifyEdit', {}), (e: Error) => e instanceof ToolInputError && /patch/.test(e.message));
  assert.throws(() => parseToolInput('qwq_verifyEdit', { patch: 'x', timeoutSeconds: 0 }), /timeoutSeconds/);
  assert.throws(() => parseToolInput('qwq_verifyEdit', { patch: 'x', taskKind: 'explain' }), /taskKind/);
  assert.throws(() => parseToolInput('qwq_codeContext', { line: 1.5 }), /line/);
  assert.throws(() => parseToolInput('qwq_repoMap', { budgett: 10 }), /budgett|unrecognized/i);
  assert.deepEqual(parseToolInput('qwq_repoMap', { budget: 100 }), { budget: 100 });
});

function host(over: Partial<AgentToolHost> = {}): AgentToolHost {
  return { mayRunTests: false, engineFor: () => { throw new Error('no engine in this test'); }, ...over };
}

test('the workspace folder must be absolute, a directory, and one the host serves; files stay inside it', async () => {
  const root = scratchDir('qwq-tools-');
  writeFileSync(join(root, 'a.js'), 'x\n');
  await assert.rejects(runAgentTool(host(), 'qwq_repoMap', {}), /no workspaceFolder/);
  await assert.rejects(runAgentTool(host(), 'qwq_repoMap', { workspaceFolder: 'rel' }), /absolute/);
  await assert.rejects(runAgentTool(host(), 'qwq_repoMap', { workspaceFolder: join(root, 'nope') }), /not a directory/);
  await assert.rejects(runAgentTool(host({ allowedRoots: () => ['/somewhere/else'] }), 'qwq_repoMap', { workspaceFolder: root }), /not one of the open workspace folders/);
  await assert.rejects(runAgentTool(host(), 'qwq_codeContext', { workspaceFolder: root, file: '../../etc/passwd', line: 1 }), /outside the workspace/);
  await assert.rejects(runAgentTool(host(), 'qwq_codeContext', { workspaceFolder: root, file: 'missing.js', line: 1 }), /not a file/);
  await assert.rejects(runAgentTool(host(), 'qwq_nope', {}), /unknown tool/);
});

test('qwq_verifyEdit without permission to run tests checks the patch and answers untrusted, running nothing', async () => {
  const root = scratchDir('qwq-tools-');
  writeFileSync(join(root, 'a.js'), 'const a = 1;\n');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: { test: 'node -e "require(\'fs\').writeFileSync(\'RAN\', \'\')"' } }));
  const patch = 'a.js\n<<<<<<< SEARCH\nconst a = 1;\n=======\nconst a = 2;\n>>>>>>> REPLACE\n';
  const r = await runAgentTool(host({ defaultWorkspace: root }), 'qwq_verifyEdit', { patch });
  const s = r.structured as PatchReport;
  assert.equal(s.verdict, 'untrusted');
  assert.equal(s.accepted, false);
  assert.equal(s.command, '');
  assert.deepEqual(s.files, ['a.js']);
  assert.match(r.text, /^untrusted: /);
  await assert.rejects(runAgentTool(host({ defaultWorkspace: root }), 'qwq_verifyEdit', { patch: 'a.js\n<<<<<<< SEARCH\nnope\n=======\nx\n>>>>>>> REPLACE\n' }), (e: Error) => e instanceof ToolInputError && /does not apply/.test(e.message));
});

test('the report in words names the verdict, the command, each test with its place, and never claims a pass it did not get', () => {
  const base: PatchReport = {
    verdict: 'regressed', accepted: false, reason: 'a test that passed fails now', newlyFailing: [{ id: 'test/a.test.js > adds', path: 'test/a.test.js', line: 3 }], newlyPassing: [{ id: 'other' }],
    targetsStillFailing: [], flaky: [], baseline: { passed: 2, failed: 0 }, candidate: { passed: 1, failed: 1 }, runner: 'node:test', command: 'npm test', isolation: 'sandbox',
    judgeFiles: ['test/a.test.js'], audit: ['src/a.js:3: process.exit(0)'], marks: [], notes: [], files: ['src/a.js'], durationMs: 10,
  };
  const text = patchReportText(base);
  assert.match(text, /^regressed: a test that passed fails now/);
  assert.match(text, /ran: npm test \[isolation: sandbox\]/);
  assert.match(text, /test\/a\.test\.js > adds \(test\/a\.test\.js:3\)/);
  assert.match(text, /changes the tests that judge it:\n {2}test\/a\.test\.js/);
  assert.match(text, /audit:\n {2}src\/a\.js:3/);
  assert.match(text, /Not verified/);
  assert.match(patchReportText({ ...base, verdict: 'verified', accepted: true }), /passed the workspace's own tests/);
});
