// The one target matcher (docs/architecture.md §5): a target names a test only when it is the test's whole id,
// or the whole name after the id's file part. `adds` never names `adds negative`. Pure.
import { TAP_INCOMPLETE_ID } from '../results/tap';

/** Whether `target` names the test `id`, compared whole: `file::name` matches `file::name` or `name`, nothing shorter. */
export function namesTest(target: string, id: string): boolean {
  if (id === target) return true;
  const at = id.indexOf('::');
  return at >= 0 && id.slice(at + 2) === target;
}

/**
 * Entries that stand for a whole run or file rather than a test: a Go package that did not build, a jest file
 * that crashed, a TAP run that ended before its plan. Fixed when they are gone and the run passes whole.
 */
export function isRunLevelEntry(id: string): boolean {
  return id === TAP_INCOMPLETE_ID || id.endsWith('::[build]') || id.endsWith('::(file)');
}
