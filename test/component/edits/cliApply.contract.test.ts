// The `apply` CLI contract (docs/architecture.md §6 CLI contract), one test per promise, through the built
// bundle (`node out/cli.js apply --file F --edits E [--out O]`). Outside evaluations call this command.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { CLI, ensureCli, filesDir } from '../../support/cliWorkspace';
import { join, relative } from 'node:path';

const cli = CLI;

before(ensureCli);

function apply(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'apply', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = (files: Record<string, string | Buffer> = {}): string => filesDir('qwq-apply-contract-', files);

/** Every file under `d` with its bytes and mtime: "nothing else was touched" compares two of these. */
function snapshot(d: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (p: string) => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      const abs = join(p, e.name);
      if (e.isDirectory()) { out.set(`${relative(d, abs)}/`, ''); walk(abs); } else out.set(relative(d, abs), `${statSync(abs).mtimeMs}:${readFileSync(abs).toString('base64')}`);
    }
  };
  walk(d);
  return out;
}

const block = (search: string, replace: string) => `<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n`;

test('contract: every block applies to F; path lines, prose and code fences around the blocks are ignored', () => {
  const reply = [
    'I looked at the code. The bug is in `add`:', '',
    'src/elsewhere/calc.py', '```python', block('def add(a, b):\n    return a - b\n', 'def add(a, b):\n    return a + b\n').trimEnd(), '```', '',
    'And **another file**, with a tilde fence:', '',
    '~~~', 'lib/other.py', block('def sub(a, b):\n    return a + b\n', 'def sub(a, b):\n    return a - b\n').trimEnd(), '~~~', '',
    'Heading', '=======', 'That should fix both. Run the tests to be sure.', '',
  ].join('\n');
  const d = dir({ 'calc.py': 'def add(a, b):\n    return a - b\n\ndef sub(a, b):\n    return a + b\n', 'e.md': reply });
  const r = apply(['--file', 'calc.py', '--edits', 'e.md'], d);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(d, 'calc.py'), 'utf8'), 'def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return a - b\n');
  assert.equal(existsSync(join(d, 'src')), false);
  assert.equal(existsSync(join(d, 'lib')), false);
});

test('contract: code fences inside a block are the file\'s content, not decoration (a Markdown file)', () => {
  const md = '# Usage\n\n```sh\nnpm test\n```\n';
  const d = dir({ 'README.md': md, 'e.txt': `README.md\n${block('```sh\nnpm test\n```\n', '```sh\nnpm run test:all\n```\n')}` });
  assert.equal(apply(['--file', 'README.md', '--edits', 'e.txt'], d).code, 0);
  assert.equal(readFileSync(join(d, 'README.md'), 'utf8'), '# Usage\n\n```sh\nnpm run test:all\n```\n');
});

test('contract: on any failing block nothing is written (not F, not O, not O\'s folder, no temp file) and it exits 1', () => {
  const d = dir({ 'a.txt': 'one\ntwo\nthree\n', 'e.txt': `${block('one\n', 'ONE\n')}\n${block('three\n', 'THREE\n')}\n${block('four\n', 'FOUR\n')}` });
  const snap = snapshot(d);
  for (const out of [[], ['--out', 'a.txt'], ['--out', 'new/dir/b.txt']]) {
    const r = apply(['--file', 'a.txt', '--edits', 'e.txt', ...out], d);
    assert.equal(r.code, 1, out.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line on stderr');
    assert.match(r.stderr, /^qwq-coder: apply: block 3 in \S*a\.txt: the SEARCH text was not found/);
    assert.deepEqual(snapshot(d), snap, `nothing changed (${out.join(' ')})`);
  }
});

test('contract: on success only O is written; F and every other file keep their bytes and mtimes', () => {
  const d = dir({ 'a.txt': 'one\ntwo\n', 'e.txt': block('two\n', '2\n'), 'other/x.txt': 'x\n' });
  const snap = snapshot(d);
  const r = apply(['--file', 'a.txt', '--edits', 'e.txt', '--out', 'out/b.txt', '--json'], d);
  assert.equal(r.code, 0, r.stderr);
  const now = snapshot(d);
  assert.equal(readFileSync(join(d, 'out/b.txt'), 'utf8'), 'one\n2\n');
  now.delete('out/'); now.delete('out/b.txt');
  assert.deepEqual(now, snap);
  const j = JSON.parse(r.stdout);
  assert.equal(j.ok, true);
  assert.deepEqual(j.levels, ['exact']);
});

test('contract: line endings are the file\'s own (CRLF, LF, mixed), new lines take the dominant one', () => {
  const cases: Array<[string, string, string, string]> = [
    ['crlf.txt', 'a\r\nb\r\nc\r\n', block('b\n', 'B\nB2\n'), 'a\r\nB\r\nB2\r\nc\r\n'],
    ['lf.txt', 'a\nb\nc\n', block('b\r\n', 'B\r\nB2\r\n'), 'a\nB\nB2\nc\n'],
    ['mixed.txt', 'a\r\nb\nc\r\nd\r\n', block('b\n', 'B\n'), 'a\r\nB\nc\r\nd\r\n'],
  ];
  for (const [name, text, edits, expected] of cases) {
    const d = dir({ [name]: text, 'e.txt': edits });
    const r = apply(['--file', name, '--edits', 'e.txt'], d);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.equal(readFileSync(join(d, name), 'utf8'), expected, name);
  }
});

test('contract: the final newline, or its absence, is preserved when the last line is edited or removed', () => {
  const cases: Array<[string, string, string]> = [
    ['a\nb', block('b\n', 'B\n'), 'a\nB'],
    ['a\nb\n', block('b\n', 'B\n'), 'a\nB\n'],
    ['a\r\nb', block('b\n', 'B\nC\n'), 'a\r\nB\r\nC'],
    ['a\nb', block('b\n', ''), 'a'],
    ['a\nb\n', block('b\n', ''), 'a\n'],
    ['only', block('only\n', 'changed\n'), 'changed'],
  ];
  for (const [text, edits, expected] of cases) {
    const d = dir({ 'f.txt': text, 'e.txt': edits });
    const r = apply(['--file', 'f.txt', '--edits', 'e.txt'], d);
    assert.equal(r.code, 0, `${JSON.stringify(text)}: ${r.stderr}`);
    assert.equal(readFileSync(join(d, 'f.txt'), 'utf8'), expected, JSON.stringify(text));
  }
});

test('contract: an empty SEARCH creates F (in a new folder too, or over an empty file); on a non-empty F it is an error', () => {
  const d = dir({ 'empty.py': '', 'full.py': 'x = 1\n', 'e.txt': `new.py\n${block('', 'print("hi")\n')}` });
  for (const f of ['new.py', 'pkg/sub/new.py', 'empty.py']) {
    const r = apply(['--file', f, '--edits', 'e.txt'], d);
    assert.equal(r.code, 0, `${f}: ${r.stderr}`);
    assert.equal(readFileSync(join(d, f), 'utf8'), 'print("hi")\n', f);
  }
  const r = apply(['--file', 'full.py', '--edits', 'e.txt', '--json'], d);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).failures[0].reason, 'create-on-existing');
  assert.equal(readFileSync(join(d, 'full.py'), 'utf8'), 'x = 1\n');
});

test('contract: a SEARCH that is not found is an error, and so is an edit that is already applied (applying twice)', () => {
  const d = dir({ 'a.js': 'let x = 1;\nlet y = 2;\n', 'e.txt': block('let x = 1;\n', 'let x = 10;\n'), 'missing.txt': block('let z = 3;\n', 'let z = 4;\n') });
  assert.equal(apply(['--file', 'a.js', '--edits', 'e.txt'], d).code, 0);
  const again = apply(['--file', 'a.js', '--edits', 'e.txt', '--json'], d);
  assert.equal(again.code, 1);
  assert.equal(JSON.parse(again.stdout).failures[0].reason, 'already-applied');
  assert.match(again.stderr, /already/);
  const missing = apply(['--file', 'a.js', '--edits', 'missing.txt', '--json'], d);
  assert.equal(missing.code, 1);
  assert.equal(JSON.parse(missing.stdout).failures[0].reason, 'not-found');
  assert.equal(readFileSync(join(d, 'a.js'), 'utf8'), 'let x = 10;\nlet y = 2;\n');
  // A missing F with a non-empty SEARCH is not-found too, and F is not created.
  const nofile = apply(['--file', 'nope.js', '--edits', 'e.txt'], d);
  assert.equal(nofile.code, 1);
  assert.equal(existsSync(join(d, 'nope.js')), false);
});

test('contract: F given as a symlink to a regular file is edited through the link; the link stays a link', () => {
  const d = dir({ 'real/a.txt': 'x\n', 'e.txt': block('x\n', 'y\n') });
  symlinkSync('real/a.txt', join(d, 'link.txt'));
  assert.equal(apply(['--file', 'link.txt', '--edits', 'e.txt'], d).code, 0);
  assert.ok(lstatSync(join(d, 'link.txt')).isSymbolicLink());
  assert.equal(readlinkSync(join(d, 'link.txt')), 'real/a.txt');
  assert.equal(readFileSync(join(d, 'real/a.txt'), 'utf8'), 'y\n');
});

test('contract: E can come from a pipe (process substitution); usage errors exit 2', () => {
  const d = dir({ 'a.txt': 'x\n' });
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" apply --file a.txt --edits <(printf '%s' "$E")`], { cwd: d, encoding: 'utf8', env: { ...process.env, E: block('x\n', 'y\n') }, timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(join(d, 'a.txt'), 'utf8'), 'y\n');
  assert.equal(apply(['--file', 'a.txt'], d).code, 2);
  assert.equal(apply(['--bogus'], d).code, 2);
});
