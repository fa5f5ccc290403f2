// Fault suite: writing an edit must never destroy or endanger a file. One test per behaviour; each of these
// failed before the edits engine checked paths, types and bytes, and wrote atomically
// (docs/architecture.md §4 Edits). Pure: temp folders only, no child processes (the CLI and full-disk
// cases are in test/component/edits/cliApply.faults.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyBlocksToBytes, applyEdits, isBinary, resolveInWorkspace, vcsFolderIn, writeChanges,
  type ApplyResult, type FileChange, type ParsedEditBlock,
} from '../../../src/core/edits';
import { createApplyEdits, DiskWorkspaceFiles, MemoryWorkspaceFiles } from '../../../src/core/agent/workspaceFiles';
import { parseEditReply } from '../../../src/core/agent/editSchema';

function ws(files: Record<string, string | Buffer> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'qwq-writesafety-'));
  for (const [p, data] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), data);
  }
  return root;
}

function changes(r: ApplyResult): FileChange[] {
  assert.ok(r.ok, r.ok ? '' : r.failures.map((f) => f.message).join('\n'));
  return r.ok ? r.changes : [];
}

function failure(r: ApplyResult): { reason: string; message: string } {
  assert.equal(r.ok, false, 'the edit must be refused');
  return r.ok ? { reason: '', message: '' } : r.failures[0];
}

async function applyAndWrite(root: string, blocks: ParsedEditBlock[]): Promise<void> {
  await writeChanges(root, changes(await applyEdits({ workspace: root, blocks })));
}

// ---- version-control folders ----

const gitConfig = '[core]\n\trepositoryformatversion = 0\n';
const vcsPaths = [
  '.git/config', '.GIT/config', '.Git/hooks/pre-commit', 'sub/module/.git/config', '.hg/hgrc', '.HG/hgrc', '.svn/entries',
  '.git./config', '.git /config', 'GIT~1/config', '.git\u200c/config', '.git::$INDEX_ALLOCATION/config', '.git', 'a\\.git\\config',
];

test('fault: an edit inside .git/, .hg/ or .svn/ (any case, any alias) is refused by applyEdits, with a clear reason', async () => {
  const root = ws({ '.git/config': gitConfig, '.hg/hgrc': '[ui]\n', '.svn/entries': '12\n', 'sub/module/.git/config': gitConfig });
  try {
    for (const path of vcsPaths) {
      const f = failure(await applyEdits({ workspace: root, blocks: [{ path, search: '[core]\n', replace: '[core]\n\tfsmonitor = touch /tmp/pwned\n' }] }));
      assert.equal(f.reason, 'vcs-folder', path);
      assert.match(f.message, /version-control folder/, path);
    }
    assert.equal(readFileSync(join(root, '.git/config'), 'utf8'), gitConfig);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('fault: a symlink that leads into .git/ is refused too', async () => {
  const root = ws({ '.git/config': gitConfig });
  try {
    symlinkSync('.git', join(root, 'cfg'));
    symlinkSync('.git/config', join(root, 'config-link'));
    for (const path of ['cfg/config', 'config-link', 'cfg/hooks/pre-commit']) {
      const f = failure(await applyEdits({ workspace: root, blocks: [{ path, search: '[core]\n', replace: '[core]\n\tfsmonitor = x\n' }] }));
      assert.equal(f.reason, 'vcs-folder', path);
    }
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('fault: writeChanges refuses a .git/ change handed to it directly, and writes none of the batch', async () => {
  const root = ws({ '.git/config': gitConfig, 'a.txt': 'a\n' });
  try {
    await assert.rejects(writeChanges(root, [
      { path: 'a.txt', before: 'a\n', after: 'b\n' },
      { path: '.git/config', before: gitConfig, after: `${gitConfig}\tfsmonitor = x\n` },
    ]), /version-control folder/);
    assert.equal(readFileSync(join(root, '.git/config'), 'utf8'), gitConfig);
    assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'a\n');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test("fault: the agent's edits to .git/ are refused at parse and at apply, and the message goes back to the model", async () => {
  const parsed = parseEditReply(JSON.stringify({ edits: [{ path: '.git/config', search: '[core]\n', replace: '[core]\n\tfsmonitor = x\n' }] }));
  assert.equal(parsed.ok, false);
  if (!parsed.ok) assert.match(parsed.error, /edit 1: refused: '\.git\/config' is inside \.git\//);
  const apply = createApplyEdits();
  const mem = await apply([{ path: '.Git/config', search: '[core]\n', replace: 'x\n' }], new MemoryWorkspaceFiles('/ws', { '.Git/config': gitConfig }));
  assert.equal(failure(mem).reason, 'vcs-folder');
  const root = ws({ '.git/config': gitConfig });
  try {
    const disk = await apply([{ path: '.git/config', search: '[core]\n', replace: 'x\n' }], new DiskWorkspaceFiles(root));
    assert.equal(failure(disk).reason, 'vcs-folder');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('ordinary names that only resemble a VCS folder are edited normally', async () => {
  for (const p of ['.github/workflows/ci.yml', '.gitignore', '.gitattributes', 'src/git/index.ts', 'my.git/x', 'git~1.txt', '.hgignore', 'svn/.svnkeep', '.gitlab-ci.yml']) {
    assert.equal(vcsFolderIn(p), undefined, p);
  }
  const root = ws({ '.github/workflows/ci.yml': 'on: push\n', '.gitignore': 'out\n' });
  try {
    await applyAndWrite(root, [{ path: '.github/workflows/ci.yml', search: 'on: push\n', replace: 'on: [push]\n' }, { path: '.gitignore', search: 'out\n', replace: 'out\nnode_modules\n' }]);
    assert.equal(readFileSync(join(root, '.gitignore'), 'utf8'), 'out\nnode_modules\n');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

// ---- non-regular files ----

test('fault: a FIFO, a socket and a directory are refused as edit targets without blocking', { timeout: 20_000 }, async () => {
  const root = ws({});
  const server = createServer();
  try {
    execFileSync('mkfifo', [join(root, 'pipe.txt')]);
    mkdirSync(join(root, 'dir.txt'));
    await new Promise<void>((res) => server.listen(join(root, 'sock.txt'), res));
    symlinkSync('pipe.txt', join(root, 'pipe-link.txt'));
    for (const [path, kind] of [['pipe.txt', /named pipe/], ['pipe-link.txt', /named pipe/], ['sock.txt', /socket/], ['dir.txt', /directory/]] as const) {
      const f = failure(await applyEdits({ workspace: root, blocks: [{ path, search: 'x\n', replace: 'y\n' }] }));
      assert.equal(f.reason, 'not-regular-file', path);
      assert.match(f.message, kind, path);
      assert.match(f.message, /not a regular file/, path);
    }
    // The agent's reader must not block on a FIFO either.
    assert.equal(await new DiskWorkspaceFiles(root).read('pipe.txt'), undefined);
  } finally {
    server.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('fault: a file replaced by a FIFO between apply and write is refused, and nothing blocks', { timeout: 20_000 }, async () => {
  const root = ws({ 'a.txt': 'x\n' });
  try {
    const c = changes(await applyEdits({ workspace: root, blocks: [{ path: 'a.txt', search: 'x\n', replace: 'y\n' }] }));
    unlinkSync(join(root, 'a.txt'));
    execFileSync('mkfifo', [join(root, 'a.txt')]);
    await assert.rejects(writeChanges(root, c), /named pipe.*not a regular file/);
    assert.ok(lstatSync(join(root, 'a.txt')).isFIFO());
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('a symlink in the workspace to a device outside it is refused (no read of /dev/zero)', { timeout: 20_000 }, async () => {
  const root = ws({});
  try {
    symlinkSync('/dev/zero', join(root, 'zero.txt'));
    const f = failure(await applyEdits({ workspace: root, blocks: [{ path: 'zero.txt', search: 'x\n', replace: 'y\n' }] }));
    assert.equal(f.reason, 'outside-workspace');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

// ---- bytes ----

test('fault: a UTF-8 BOM survives an edit to line 1', async () => {
  const root = ws({ 'a.ts': '\ufeffimport x from "x";\nexport const y = x;\n' });
  try {
    await applyAndWrite(root, [{ path: 'a.ts', search: 'import x from "x";\n', replace: 'import x from "./x";\n' }]);
    assert.deepEqual(readFileSync(join(root, 'a.ts')), Buffer.from('\ufeffimport x from "./x";\nexport const y = x;\n'));
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('fault: BOM + CRLF + no final newline: first and last lines edited, every other byte kept', async () => {
  const text = '\ufeffline one\r\nline two\r\nline three';
  const root = ws({ 'a.txt': text });
  try {
    await applyAndWrite(root, [
      { path: 'a.txt', search: 'line one\n', replace: 'LINE ONE\n' },
      { path: 'a.txt', search: 'line three\n', replace: 'LINE THREE\n' },
    ]);
    assert.deepEqual(readFileSync(join(root, 'a.txt')), Buffer.from('\ufeffLINE ONE\r\nline two\r\nLINE THREE'));
  } finally { rmSync(root, { recursive: true, force: true }); }
});

const latin1File = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nx = 1\n# na'), Buffer.from([0xef]), Buffer.from('ve\n')]);

test('fault: a Latin-1 é outside the edited lines survives (the file is edited byte for byte)', async () => {
  const root = ws({ 'a.py': latin1File });
  try {
    await applyAndWrite(root, [{ path: 'a.py', search: 'x = 1\n', replace: 'x = 2\n' }]);
    assert.deepEqual(readFileSync(join(root, 'a.py')), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nx = 2\n# na'), Buffer.from([0xef]), Buffer.from('ve\n')]));
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('fault: a non-UTF-8 file whose SEARCH does not match its bytes exactly is refused with a clear message', async () => {
  const root = ws({ 'a.py': latin1File });
  try {
    // The model saw U+FFFD where the byte 0xE9 is: that cannot match the bytes.
    const f = failure(await applyEdits({ workspace: root, blocks: [{ path: 'a.py', search: '# caf\ufffd\n', replace: '# coffee\n' }] }));
    assert.equal(f.reason, 'not-utf8');
    assert.match(f.message, /not valid UTF-8 \(byte 0xE9 at line 1\)/);
    assert.match(f.message, /contains \ufffd, which stands for a byte that is not UTF-8/);
    // Loose matching (re-indentation) is not used on such a file: it could not be byte-exact.
    const g = failure(await applyEdits({ workspace: root, blocks: [{ path: 'a.py', search: '    x = 1\n', replace: '    x = 2\n' }] }));
    assert.equal(g.reason, 'not-utf8');
    assert.deepEqual(readFileSync(join(root, 'a.py')), latin1File);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('invalid UTF-8 everywhere (stray bytes, truncated sequences, encoded surrogates, overlongs) is kept byte for byte', () => {
  const junk = [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xfe, 0xfe]];
  const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf])]; // a BOM too
  junk.forEach((j, i) => parts.push(Buffer.from(`line ${i} `), Buffer.from(j), Buffer.from(i % 2 ? '\r\n' : '\n')));
  parts.push(Buffer.from('target = 1\n'), Buffer.from([0xe9]));
  const before = Buffer.concat(parts);
  const r = applyBlocksToBytes(before, [{ search: 'target = 1\n', replace: 'target = "ü"\n' }], { path: 'x', indexes: [0] });
  assert.ok(r.ok);
  if (!r.ok) return;
  const after = Buffer.from(r.change.afterBytes!);
  const expected = Buffer.concat([...parts.slice(0, -2), Buffer.from('target = "ü"\n'), Buffer.from([0xe9])]);
  assert.deepEqual(after, expected);
  // Edit at line 1, right after the BOM, in byte space.
  const r1 = applyBlocksToBytes(before, [{ search: `line 0 ${String.fromCharCode(0xfffd)}\n`, replace: 'x\n' }], { path: 'x', indexes: [0] });
  assert.equal(r1.ok, false, 'U+FFFD never matches the raw byte it stands for');
});

// ---- binary check ----

test('fault: the binary check covers the whole file, not the first 8 KB', async () => {
  const data = Buffer.concat([Buffer.from('text line\n'.repeat(2000)), Buffer.from([0, 1, 2, 0]), Buffer.from('x = 1\n')]);
  assert.equal(isBinary(data), true);
  const root = ws({ 'data.bin': data });
  try {
    const f = failure(await applyEdits({ workspace: root, blocks: [{ path: 'data.bin', search: 'x = 1\n', replace: 'x = 2\n' }] }));
    assert.equal(f.reason, 'binary');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

// ---- atomic, checked writes ----

test("fault: a write replaces the file by rename (a new inode) and keeps the file's mode", async () => {
  const root = ws({ 'run.sh': '#!/bin/sh\necho 1\n' });
  try {
    chmodSync(join(root, 'run.sh'), 0o750);
    const ino = statSync(join(root, 'run.sh')).ino;
    await applyAndWrite(root, [{ path: 'run.sh', search: 'echo 1\n', replace: 'echo 2\n' }]);
    const s = statSync(join(root, 'run.sh'));
    assert.equal(s.mode & 0o777, 0o750);
    assert.notEqual(s.ino, ino, 'written to a temporary file and renamed over the target, never truncated in place');
    assert.equal(readFileSync(join(root, 'run.sh'), 'utf8'), '#!/bin/sh\necho 2\n');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('fault: a file deleted between apply and write is not recreated', async () => {
  const root = ws({ 'a.txt': 'x\n' });
  try {
    const c = changes(await applyEdits({ workspace: root, blocks: [{ path: 'a.txt', search: 'x\n', replace: 'y\n' }] }));
    unlinkSync(join(root, 'a.txt'));
    await assert.rejects(writeChanges(root, c), /a\.txt was deleted since the edit was made/);
    assert.equal(existsSync(join(root, 'a.txt')), false);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('fault: a file changed between apply and write is not overwritten, and neither is the rest of the batch', async () => {
  const root = ws({ 'a.txt': 'x\n', 'b.txt': 'b\n' });
  try {
    const c = changes(await applyEdits({ workspace: root, blocks: [{ path: 'b.txt', search: 'b\n', replace: 'B\n' }, { path: 'a.txt', search: 'x\n', replace: 'y\n' }] }));
    writeFileSync(join(root, 'a.txt'), 'x\nthe user typed this\n');
    await assert.rejects(writeChanges(root, c), /a\.txt changed since the edit was made/);
    assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'x\nthe user typed this\n');
    assert.equal(readFileSync(join(root, 'b.txt'), 'utf8'), 'b\n');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('fault: a read-only file is not written (renaming over it would succeed)', async () => {
  const root = ws({ 'gen.ts': 'export const v = 1;\n' });
  try {
    chmodSync(join(root, 'gen.ts'), 0o444);
    const c = changes(await applyEdits({ workspace: root, blocks: [{ path: 'gen.ts', search: 'export const v = 1;\n', replace: 'export const v = 2;\n' }] }));
    await assert.rejects(writeChanges(root, c), /read-only \(mode 0444\)/);
    assert.equal(readFileSync(join(root, 'gen.ts'), 'utf8'), 'export const v = 1;\n');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('a symlink to a file inside the workspace is written through: the target changes, the link stays a link', async () => {
  const root = ws({ 'real/a.txt': 'x\n' });
  try {
    symlinkSync('real/a.txt', join(root, 'link.txt'));
    await applyAndWrite(root, [{ path: 'link.txt', search: 'x\n', replace: 'y\n' }]);
    assert.ok(lstatSync(join(root, 'link.txt')).isSymbolicLink());
    assert.equal(readFileSync(join(root, 'real/a.txt'), 'utf8'), 'y\n');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

// ---- folders named like heavy folders ----

test('ordinary paths under folders named target, vendor, node_modules, .venv are edited normally', async () => {
  const files = { 'src/target/util.js': 'export const u = 1;\n', 'vendor/lib/x.go': 'package lib\n', 'src/node_modules/local.js': 'module.exports = 1;\n', 'py/.venv-notes/n.txt': 'n\n', 'crates/a/target/keep.rs': 'fn main() {}\n' };
  const root = ws(files);
  try {
    for (const path of Object.keys(files)) {
      const r = resolveInWorkspace(root, path);
      assert.ok(r.ok, path);
      const before = files[path as keyof typeof files];
      await applyAndWrite(root, [{ path, search: before, replace: `// edited\n${before}` }]);
      assert.equal(readFileSync(join(root, path), 'utf8'), `// edited\n${before}`, path);
    }
  } finally { rmSync(root, { recursive: true, force: true }); }
});

// ---- the shadow copy tests the same bytes that would be written ----

test("fault: the shadow copy gets a non-UTF-8 candidate's exact bytes, so the tests judge what Accept would write", async () => {
  const { ShadowWorkspace } = await import('../../../src/core/verify');
  const root = ws({ 'a.py': latin1File });
  const shadow = new ShadowWorkspace(root);
  try {
    await shadow.sync();
    const c = changes(await applyEdits({ workspace: root, blocks: [{ path: 'a.py', search: 'x = 1\n', replace: 'x = 2\n' }] }));
    const seen = await shadow.withChanges(c, async () => readFileSync(join(shadow.root, 'a.py')));
    assert.deepEqual(seen, Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nx = 2\n# na'), Buffer.from([0xef]), Buffer.from('ve\n')]));
  } finally {
    shadow.dispose();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a path with a NUL byte is refused with a clear message, not an OS error', async () => {
  const root = ws({ 'a.txt': 'x\n' });
  try {
    const f = failure(await applyEdits({ workspace: root, blocks: [{ path: 'a.txt\0.git', search: 'x\n', replace: 'y\n' }] }));
    assert.match(f.message, /NUL byte/);
  } finally { rmSync(root, { recursive: true, force: true }); }
});
