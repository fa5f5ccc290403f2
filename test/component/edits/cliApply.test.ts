// The `apply` CLI contract (DESIGN §7), through the built bundle: `node out/cli.js apply …`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../support/scratchDir';

const root = join(__dirname, '../../..');
const cli = join(root, 'out/cli.js');

before(() => {
  if (!existsSync(cli)) assert.equal(spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' }).status, 0);
});

function run(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'apply', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function dir(files: Record<string, string>): string {
  const d = scratchDir('qwq-cli-apply-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

const reply = (search: string, replace: string, path = 'some/other/path.py') =>
  `Sure, here is the fix.\n\n${path}\n\`\`\`python\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n\`\`\`\nHope this helps!\n`;

test('applies a whole model reply to --file, ignoring its path line; preserves CRLF and no final newline', () => {
  const d = dir({ 'calc.py': 'def add(a, b):\r\n    return a - b\r\n\r\ndef sub(a, b):\r\n    return a - b', 'e.md': reply('def add(a, b):\n    return a - b\n', 'def add(a, b):\n    return a + b\n') });
  const r = run(['--file', 'calc.py', '--edits', 'e.md'], d);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(d, 'calc.py'), 'utf8'), 'def add(a, b):\r\n    return a + b\r\n\r\ndef sub(a, b):\r\n    return a - b');
  assert.equal(existsSync(join(d, 'some')), false, 'the path line is ignored: nothing else is touched');
});

test('--out writes elsewhere and leaves F alone; --json reports the diff', () => {
  const d = dir({ 'a.txt': 'one\ntwo\n', 'e.txt': reply('two\n', 'three\n') });
  const r = run(['--file', 'a.txt', '--edits', 'e.txt', '--out', 'b.txt', '--json'], d);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.ok, true);
  assert.match(j.diff, /-two\n\+three/);
  assert.equal(readFileSync(join(d, 'a.txt'), 'utf8'), 'one\ntwo\n');
  assert.equal(readFileSync(join(d, 'b.txt'), 'utf8'), 'one\nthree\n');
});

test('a failing block writes nothing (not even --out) and exits 1 with one line on stderr', () => {
  const d = dir({ 'a.txt': 'one\ntwo\n', 'e.txt': `${reply('one\n', 'ONE\n')}\n${reply('four\n', 'five\n')}` });
  const r = run(['--file', 'a.txt', '--edits', 'e.txt', '--out', 'b.txt'], d);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /block 2 .*not found/);
  assert.equal(readFileSync(join(d, 'a.txt'), 'utf8'), 'one\ntwo\n');
  assert.equal(existsSync(join(d, 'b.txt')), false);
});

test('an already-applied edit is an error that says so', () => {
  const d = dir({ 'a.txt': 'one\nthree\n', 'e.txt': reply('two\n', 'three\n') });
  const r = run(['--file', 'a.txt', '--edits', 'e.txt'], d);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /already/);
});

test('empty SEARCH creates F; on an existing non-empty F it is an error', () => {
  const d = dir({ 'e.txt': reply('', 'print("hi")\n'), 'full.py': 'x = 1\n' });
  assert.equal(run(['--file', 'new.py', '--edits', 'e.txt'], d).code, 0);
  assert.equal(readFileSync(join(d, 'new.py'), 'utf8'), 'print("hi")\n');
  const r = run(['--file', 'full.py', '--edits', 'e.txt'], d);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /already exists and is not empty/);
  assert.equal(readFileSync(join(d, 'full.py'), 'utf8'), 'x = 1\n');
});

test('partial-line, malformed, empty and syntax-breaking edits exit 1 and leave the file as it was', () => {
  const d = dir({ 'a.js': 'let x = 1;\nlet y = 2;\nlet x2 = 1;\nfunction f() {\n  return 1;\n}\n' });
  const mtime = statSync(join(d, 'a.js')).mtimeMs;
  writeFileSync(join(d, 'bad.txt'), 'a.js\n<<<<<<< SEARCH\nlet y = 2;\n>>>>>>> REPLACE\n');
  writeFileSync(join(d, 'syntax.txt'), reply('function f() {\n  return 1;\n}\n', 'function f() {\n  return (1;\n}\n'));
  writeFileSync(join(d, 'dup.txt'), 'a.js\n<<<<<<< SEARCH\n= 1;\n=======\n= 5;\n>>>>>>> REPLACE\n');
  const dup = run(['--file', 'a.js', '--edits', 'dup.txt'], d);
  assert.equal(dup.code, 1);
  // "= 1;" is not a whole line anywhere; whole-line matching means not found.
  const bad = run(['--file', 'a.js', '--edits', 'bad.txt'], d);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /divider/);
  const syn = run(['--file', 'a.js', '--edits', 'syntax.txt', '--json'], d);
  assert.equal(syn.code, 1);
  assert.equal(JSON.parse(syn.stdout).failures[0].reason, 'syntax-error');
  writeFileSync(join(d, 'amb3.txt'), 'a.js\n<<<<<<< SEARCH\n=======\n>>>>>>> REPLACE\n');
  assert.equal(run(['--file', 'a.js', '--edits', 'amb3.txt'], d).code, 1);
  assert.equal(statSync(join(d, 'a.js')).mtimeMs, mtime);
  assert.deepEqual(readdirSync(d).sort(), ['a.js', 'amb3.txt', 'bad.txt', 'dup.txt', 'syntax.txt']);
});

test('an ambiguous SEARCH exits 1 naming the places', () => {
  const d = dir({ 'a.py': 'x = 1\ny = 2\nx = 1\n', 'e.txt': reply('x = 1\n', 'x = 3\n') });
  const r = run(['--file', 'a.py', '--edits', 'e.txt'], d);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /matches 2 places \(lines 1, 3\)/);
});

test('a binary --file is refused', () => {
  const d = dir({ 'e.txt': reply('x\n', 'y\n') });
  writeFileSync(join(d, 'bin.dat'), Buffer.from([0, 1, 2, 3, 120, 10]));
  const r = run(['--file', 'bin.dat', '--edits', 'e.txt'], d);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /binary/);
});

test('usage errors exit 2', () => {
  const d = dir({});
  assert.equal(run(['--file', 'x'], d).code, 2);
  assert.equal(run(['--bogus'], d).code, 2);
});
