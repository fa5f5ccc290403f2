// The hunks the in-editor review offers one by one: what the diff editor shows after some are rejected, and
// where each hunk's Accept/Reject lens goes in that shown text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyHunks, fileHunks, shownHunks, shownStarts, type HunkDecision } from '../../../src/extension/review/hunks';

const BEFORE = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].join('\n');
// Hunk 0 replaces b with two lines; hunk 1 removes e; hunk 2 inserts after g... (before the end).
const AFTER = ['a', 'B1', 'B2', 'c', 'd', 'f', 'g', 'h'].join('\n');

test('the shown text leaves out the rejected hunks, and each hunk\'s lens sits on its first line there', () => {
  const hunks = fileHunks(BEFORE, AFTER);
  assert.equal(hunks.length, 3);
  const none = new Map<number, HunkDecision>();
  assert.equal(applyHunks(BEFORE, hunks, shownHunks(hunks, none)), AFTER, 'undecided: the whole proposal');
  assert.deepEqual([...shownStarts(hunks, none)], [[0, 1], [1, 5], [2, 7]]);
  const rejectFirst = new Map<number, HunkDecision>([[0, 'rejected']]);
  const shown = applyHunks(BEFORE, hunks, shownHunks(hunks, rejectFirst));
  assert.equal(shown, ['a', 'b', 'c', 'd', 'f', 'g', 'h'].join('\n'), 'the rejected hunk is gone from the proposal');
  const starts = shownStarts(hunks, rejectFirst);
  assert.equal(shown.split('\n')[starts.get(1)!], 'f', 'hunk 1 (e removed) sits where e was');
  assert.equal(shown.split('\n')[starts.get(2)!], 'h', 'hunk 2 sits on its added line');
  const accepted = new Map<number, HunkDecision>([[0, 'accepted'], [1, 'rejected']]);
  assert.equal(applyHunks(BEFORE, hunks, shownHunks(hunks, accepted)), ['a', 'B1', 'B2', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n'));
});
