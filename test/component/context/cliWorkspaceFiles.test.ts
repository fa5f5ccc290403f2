// The CLI items a first user tripped over: `context --workspace W --file src/x.js` reads W's file whatever the
// current folder is; `repomap` leaves the `require` lines of test files out; `verify --help` and `edit --help`
// state one default for --tests; `edit` says that --apply writes the verified diff.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, ensureCli, filesDir } from '../../support/cliWorkspace';
import { scratchDir } from '../../support/scratchDir';

const cacheHome = scratchDir('qwq-cli-files-cache-');
before(() => ensureCli());

function run(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const project = {
  'src/x.js': "const path = require('node:path');\n\nfunction joinAll(parts) {\n  return path.join(...parts);\n}\n\nmodule.exports = { joinAll };\n",
  'test/x.test.js': "const test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { joinAll } = require('../src/x');\n\ntest('joins', () => assert.equal(joinAll(['a', 'b']), 'a/b'));\n",
};

test('context --workspace W --file src/x.js resolves the file against W, not the current folder', () => {
  const w = filesDir('qwq-cli-ctx-w-', project);
  // Elsewhere, a folder with its own src/x.js: the command must not read it.
  const elsewhere = filesDir('qwq-cli-ctx-cwd-', { 'src/x.js': 'function decoy() {\n  return 1;\n}\n' });
  const r = run(['context', '--workspace', w, '--file', 'src/x.js', '--line', '4', '--column', '3'], elsewhere);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.snippets[0].path, 'src/x.js');
  assert.equal(out.snippets[0].symbol, 'joinAll');
  // A path relative to the current folder that lies inside W still works.
  const viaCwd = run(['context', '--workspace', w, '--file', join(w, 'src/x.js').slice(join(w, '..').length + 1), '--line', '4', '--column', '3'], join(w, '..'));
  assert.equal(viaCwd.code, 0, viaCwd.stderr);
  assert.equal(JSON.parse(viaCwd.stdout).snippets[0].symbol, 'joinAll');
});

test('repomap does not list the require lines of test (or any) files', () => {
  const w = filesDir('qwq-cli-repomap-', project);
  const r = run(['repomap', '--workspace', w, '--budget', '1024'], w);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /function joinAll\(parts\)/);
  assert.doesNotMatch(r.stdout, /require\(/, r.stdout);
});

test('verify --help and edit --help state the same default for --tests; edit --help says what --apply writes', () => {
  const help = (cmd: string) => run([cmd, '--help'], process.cwd());
  const defaults = ['verify', 'edit'].map((cmd) => {
    const h = help(cmd);
    assert.equal(h.code, 0, h.stderr);
    const text = h.stdout + h.stderr;
    const m = /--tests related\|all[\s\S]*?\(default: (\w+)\)/.exec(text);
    assert.ok(m, `${cmd} --help states the default of --tests:\n${text}`);
    return m[1];
  });
  assert.equal(defaults[0], defaults[1]);
  const edit = help('edit');
  assert.match(edit.stdout + edit.stderr, /--apply\s+write the VERIFIED diff into the workspace/);
  assert.match(edit.stdout + edit.stderr, /printed, not written, unless --apply/);
});
