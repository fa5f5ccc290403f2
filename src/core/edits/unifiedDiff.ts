// Unified diffs of file changes, from jsdiff (never hand-rolled).
import { createTwoFilesPatch } from 'diff';
import type { FileChange } from './types';

export function unifiedDiff(changes: FileChange[], context = 3): string {
  return changes.map((c) => {
    const oldName = c.before === undefined ? '/dev/null' : `a/${c.path}`;
    const newName = c.deleted ? '/dev/null' : `b/${c.path}`;
    return createTwoFilesPatch(oldName, newName, c.before ?? '', c.after, undefined, undefined, { context });
  }).join('');
}
