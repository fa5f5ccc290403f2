import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffAgainstUser, withOverlay } from '../../../src/core/agent/followUp';
import { applyFilePatch, splitPatchByFile, unifiedDiff } from '../../../src/core/edits';
import type { WorkspaceFiles } from '../../../src/core/agent/ports';

const USER = 'export function add(a, b) {\n  return a - b;\n}\n';
const FIRST = 'export function add(a, b) {\n  return a + b;\n}\n';
const SECOND = '/** Sums two numbers. */\nexport function add(a, b) {\n  return a + b;\n}\n';

/** Files that remember every read, as the editor's files do (Accept checks against what was read). */
function recordingFiles(texts: Record<string, string>): WorkspaceFiles & { reads: string[] } {
  const reads: string[] = [];
  return { root: '/w', reads, list: async () => Object.keys(texts), read: async (p) => { reads.push(p); return texts[p]; } };
}

test('a follow-up reads the earlier candidate\'s text, and the user\'s own text is still read (and recorded)', async () => {
  const files = recordingFiles({ 'src/add.js': USER, 'src/other.js': 'x\n' });
  const seen = withOverlay(files, new Map([['src/add.js', FIRST]]));
  assert.equal(await seen.read('src/add.js'), FIRST);
  assert.equal(await seen.read('src/other.js'), 'x\n');
  assert.deepEqual(files.reads, ['src/add.js', 'src/other.js']);
  assert.deepEqual(await seen.list(), ['src/add.js', 'src/other.js']);
  assert.equal(seen.root, '/w');
});

test('a follow-up\'s diff is rebuilt against the user\'s text: it carries both edits', () => {
  const overlay = new Map([['src/add.js', FIRST]]);
  const agentDiff = unifiedDiff([{ path: 'src/add.js', before: FIRST, after: SECOND }]);
  const rebuilt = diffAgainstUser(agentDiff, () => USER, overlay);
  const [fp] = splitPatchByFile(rebuilt);
  assert.equal(applyFilePatch(USER, fp), SECOND, 'applied to the user\'s text it gives the follow-up\'s result');
});

test('a file the earlier candidate changed and the follow-up left alone is still part of the diff', () => {
  const overlay = new Map([['src/add.js', FIRST], ['src/b.js', 'new\n']]);
  const agentDiff = unifiedDiff([{ path: 'src/add.js', before: FIRST, after: SECOND }]);
  const texts: Record<string, string | undefined> = { 'src/add.js': USER, 'src/b.js': 'old\n' };
  const paths = splitPatchByFile(diffAgainstUser(agentDiff, (p) => texts[p], overlay)).map((f) => f.path).sort();
  assert.deepEqual(paths, ['src/add.js', 'src/b.js']);
});

test('a diff that does not apply to the overlay is returned as it was', () => {
  const agentDiff = unifiedDiff([{ path: 'src/add.js', before: 'something else\n', after: SECOND }]);
  assert.equal(diffAgainstUser(agentDiff, () => USER, new Map([['src/add.js', FIRST]])), agentDiff);
});
