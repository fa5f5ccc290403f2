// Fault suite for writing edits through the CLI (`node out/cli.js apply|verify`): each test reproduces a way a
// write could destroy or endanger a file, and failed before the edits engine checked paths, file types and
// bytes, and wrote atomically (docs/architecture.md §4 Edits, §6 CLI contract). Spawns the CLI, so it is a
// component test; the pure cases are in test/unit/edits/writeSafety.faults.test.ts.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { CLI, ensureCli, filesDir } from '../../support/cliWorkspace';
import { join } from 'node:path';

const cli = CLI;

before(ensureCli);

interface Run { code: number | null; signal: string | null; stdout: string; stderr: string }

/** Runs the CLI with a hard timeout: a command that blocks (on a FIFO, say) is killed and reported as such. */
function run(args: string[], cwd: string, opts: { timeoutMs?: number; shell?: string } = {}): Run {
  const r = opts.shell
    ? spawnSync('sh', ['-c', `${opts.shell}; exec "$0" "$@"`, process.execPath, cli, ...args], { cwd, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, maxBuffer: 1 << 20 })
    : spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, maxBuffer: 1 << 20 });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const dir = (files: Record<string, string | Buffer> = {}): string => filesDir('qwq-apply-faults-', files);

const block = (search: string, replace: string) => `<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n`;
const gitConfig = '[core]\n\tbare = false\n';
const fsmonitor = block('[core]\n', '[core]\n\tfsmonitor = "touch pwned"\n');

test('fault: apply refuses --file and --out inside .git/ (any case), and writes nothing', () => {
  const d = dir({ '.git/config': gitConfig, 'sub/.GIT/config': gitConfig, 'e.txt': fsmonitor, 'ok.txt': '[core]\n' });
  for (const args of [['--file', '.git/config'], ['--file', 'sub/.GIT/config'], ['--file', 'ok.txt', '--out', '.git/hooks/pre-commit'], ['--file', '.hg/hgrc']]) {
    const r = run(['apply', ...args, '--edits', 'e.txt', '--json'], d);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(JSON.parse(r.stdout).failures[0].reason, 'vcs-folder', args.join(' '));
    assert.match(r.stderr, /version-control folder/);
  }
  assert.equal(readFileSync(join(d, '.git/config'), 'utf8'), gitConfig);
  assert.equal(existsSync(join(d, '.git/hooks')), false);
  assert.equal(existsSync(join(d, '.hg')), false);
});

test('fault: verify refuses a patch to .git/config (core.fsmonitor) before anything runs', () => {
  const d = dir({
    '.git/config': gitConfig,
    'package.json': JSON.stringify({ name: 'x', scripts: { test: 'node -e 0' } }),
    'p.diff': `.git/config\n${fsmonitor}`,
  });
  const r = run(['verify', '--workspace', '.', '--patch', 'p.diff', '--json'], d);
  assert.equal(r.code, 1, r.stderr);
  assert.notEqual(JSON.parse(r.stdout.trim().split('\n').pop()!).verdict, 'verified');
  assert.match(r.stderr, /\.git\/config.*version-control folder/);
  assert.equal(readFileSync(join(d, '.git/config'), 'utf8'), gitConfig);
});

test('fault: apply --file on a FIFO returns at once with a clear refusal instead of blocking', () => {
  const d = dir({ 'e.txt': block('x\n', 'y\n') });
  assert.equal(spawnSync('mkfifo', [join(d, 'pipe')]).status, 0);
  const r = run(['apply', '--file', 'pipe', '--edits', 'e.txt', '--json'], d, { timeoutMs: 20_000 });
  assert.equal(r.signal, null, 'apply blocked on the FIFO and was killed');
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).failures[0].reason, 'not-regular-file');
  assert.match(r.stderr, /named pipe \(FIFO\), not a regular file/);
});

test('fault: apply --file /dev/zero is refused at once (nothing is read or grown); --out to a device is refused too', () => {
  const d = dir({ 'e.txt': block('x\n', 'y\n'), 'a.txt': 'x\n' });
  const r = run(['apply', '--file', '/dev/zero', '--edits', 'e.txt'], d, { timeoutMs: 20_000 });
  assert.equal(r.signal, null, 'apply kept reading /dev/zero and was killed');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /\/dev\/zero is a character device, not a regular file/);
  const o = run(['apply', '--file', 'a.txt', '--edits', 'e.txt', '--out', '/dev/null'], d, { timeoutMs: 20_000 });
  assert.equal(o.code, 1);
  assert.match(o.stderr, /\/dev\/null is a character device/);
  assert.ok(statSync('/dev/null').isCharacterDevice(), '/dev/null was not replaced');
  assert.equal(readFileSync(join(d, 'a.txt'), 'utf8'), 'x\n');
});

test('fault: apply keeps a UTF-8 BOM when line 1 is edited, and Latin-1 bytes outside the edit', () => {
  const latin = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\r\nx = 1\r\n# end')]);
  const d = dir({ 'bom.ts': '\ufeffimport a from "a";\nexport default a;\n', 'latin.py': latin, 'e1.txt': block('import a from "a";\n', 'import a from "./a";\n'), 'e2.txt': block('x = 1\n', 'x = 2\n') });
  assert.equal(run(['apply', '--file', 'bom.ts', '--edits', 'e1.txt'], d).code, 0);
  assert.deepEqual(readFileSync(join(d, 'bom.ts')), Buffer.from('\ufeffimport a from "./a";\nexport default a;\n'));
  const r = run(['apply', '--file', 'latin.py', '--edits', 'e2.txt'], d);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readFileSync(join(d, 'latin.py')), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\r\nx = 2\r\n# end')]));
});

test('fault: apply on a non-UTF-8 file whose SEARCH does not match its bytes exits 1 with a clear message', () => {
  const latin = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nx = 1\n')]);
  const d = dir({ 'latin.py': latin, 'e.txt': block('# café\n', '# coffee\n') });
  const r = run(['apply', '--file', 'latin.py', '--edits', 'e.txt', '--json'], d);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).failures[0].reason, 'not-utf8');
  assert.match(r.stderr, /not valid UTF-8 \(byte 0xE9 at line 1\)/);
  assert.deepEqual(readFileSync(join(d, 'latin.py')), latin);
});

test('fault: apply refuses a binary file whose first NUL byte is past 8 KB', () => {
  const data = Buffer.concat([Buffer.from('x = 1\n'), Buffer.from('text\n'.repeat(4000)), Buffer.from([0, 0, 0, 1])]);
  const d = dir({ 'f.dat': data, 'e.txt': block('x = 1\n', 'x = 2\n') });
  const r = run(['apply', '--file', 'f.dat', '--edits', 'e.txt'], d);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /binary/);
  assert.deepEqual(readFileSync(join(d, 'f.dat')), data);
});

/** A file of `size` bytes with `x = 1` on its first line. */
const bigFile = (size: number) => Buffer.concat([Buffer.from('x = 1\n'), Buffer.alloc(size - 6, 'abcdefghi\n')]);

test('fault: a file-size limit (EFBIG) during the write leaves the original file whole, and no temporary file', () => {
  const original = bigFile(6000);
  const d = dir({ 'a.txt': original, 'e.txt': block('x = 1\n', `x = 2\n${'more\n'.repeat(2000)}`) });
  // ulimit -f counts 512-byte blocks here (dash/bash default): 16 blocks = 8 KB; the result is about 16 KB.
  const r = run(['apply', '--file', 'a.txt', '--edits', 'e.txt'], d, { shell: 'ulimit -f 16' });
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /EFBIG|too large/i);
  assert.deepEqual(readFileSync(join(d, 'a.txt')), original, 'the original file is untouched');
  assert.deepEqual(readdirSync(d).sort(), ['a.txt', 'e.txt'], 'no temporary file left beside it');
});

test('fault: a full disk (ENOSPC) during the write leaves the original file whole, and no temporary file', (t) => {
  // A 64 KB tmpfs when we may mount one (root in most containers); otherwise the same with a file-size limit,
  // which fails the write the same way from the writer's side.
  // The edited file (about 75 KB) does not fit even where the original was: writing in place would
  // truncate it and stop half-way.
  const d = dir({ 'e.txt': block('x = 1\n', `x = 2\n${'more\n'.repeat(7000)}`) });
  const mnt = join(d, 'small');
  mkdirSync(mnt);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]).status === 0;
  t.after(() => { if (mounted) spawnSync('umount', [mnt]); });
  const original = bigFile(mounted ? 40_000 : 6000);
  writeFileSync(join(mnt, 'a.txt'), original);
  const r = run(['apply', '--file', join(mnt, 'a.txt'), '--edits', 'e.txt'], d, mounted ? {} : { shell: 'ulimit -f 16' });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, mounted ? /ENOSPC|no space left/i : /EFBIG|too large/i);
  assert.match(r.stderr, /was not changed/);
  assert.deepEqual(readFileSync(join(mnt, 'a.txt')), original, 'the original file is untouched');
  assert.deepEqual(readdirSync(mnt), ['a.txt'], 'no temporary file left beside it');
});

test("fault: apply writes by rename (new inode), keeping the file's mode; a read-only file is refused", () => {
  const d = dir({ 'run.sh': '#!/bin/sh\necho 1\n', 'ro.txt': 'x = 1\n', 'e.txt': block('echo 1\n', 'echo 2\n'), 'e2.txt': block('x = 1\n', 'x = 2\n') });
  chmodSync(join(d, 'run.sh'), 0o751);
  chmodSync(join(d, 'ro.txt'), 0o444);
  const ino = statSync(join(d, 'run.sh')).ino;
  assert.equal(run(['apply', '--file', 'run.sh', '--edits', 'e.txt'], d).code, 0);
  const s = statSync(join(d, 'run.sh'));
  assert.equal(s.mode & 0o777, 0o751);
  assert.notEqual(s.ino, ino);
  const r = run(['apply', '--file', 'ro.txt', '--edits', 'e2.txt'], d);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /read-only/);
  assert.equal(readFileSync(join(d, 'ro.txt'), 'utf8'), 'x = 1\n');
});
