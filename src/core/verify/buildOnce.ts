// Build steps once (docs/architecture.md §5): a test script that builds first (`pretest: tsc`, `tsc && mocha`)
// would compile the same source for the baseline and again for every candidate run. The output of a run that
// built is kept beside the shadow (its qwq-shadow-* folder, removed with it) and stamped with what the build
// read: the mirrored content plus the change's files that are build inputs (buildSteps.ts). A later run whose
// build would read the same gets that output put back into the mirror and leaves the build steps (and the
// cleaners of their output folders) out; the note says so. A baseline's output also goes to the per-state
// cache (baselineCache.ts: storeBuild), so the next task on the same state, whose baseline is cached and runs
// nothing, does not build for its candidate either.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileChange } from '../edits/types';
import { changeBytes } from '../edits';
import { buildInputMatcher, buildOutputDirs, buildStepsOf, stepsBeforeRunner } from './buildSteps';
import type { TestCommand } from './detect';
import type { ExecutedRun } from './runTests';
import type { ShadowWorkspace } from './shadow';
import { buildStateKey, lookupBuild, storeBuild } from './baselineCache';

const CLEANER = /^(?:npx\s+)?(?:rimraf|del-cli|del|rm\s+-\w*r\w*|shx\s+rm(?:\s+-\w+)*|trash)\s+(.+)$/;

/** Output of a run with `inputsKey`, kept in `from` (the shadow's stash, or the per-state cache). */
interface Built { inputsKey: string; dirs: string[]; from: string }
const built = new WeakMap<ShadowWorkspace, Built>();

export interface BuildPlan {
  /** What this run's build reads; undefined when the script does not build. */
  inputsKey?: string;
  /** Steps to leave out: the build's output from an earlier run with the same inputs was put back. */
  skipSteps?: ReadonlySet<number>;
  /** A baseline run (no changes): its output may be kept for the next task (storeBuild). */
  baseline?: boolean;
}

/** The content the build reads: the mirror's content hash plus the changed files that are build inputs. */
export function buildInputsKey(contentHash: string, changes: FileChange[], isInput: (rel: string) => boolean): string {
  const h = createHash('sha1').update(contentHash);
  for (const c of [...changes].sort((a, b) => a.path.localeCompare(b.path))) {
    if (!isInput(c.path)) continue;
    h.update(`\n${c.path}\0${c.deleted ? 'deleted' : createHash('sha1').update(changeBytes(c)).digest('hex')}`);
  }
  return h.digest('hex');
}

function stashDir(shadow: ShadowWorkspace): string {
  return join(dirname(shadow.root), '.qwq-build-stash');
}

/**
 * Before a run of `changes` (none for the baseline) on the mirror whose content hash is `contentHash`: when an
 * earlier run in this shadow built from the same inputs, its output goes back into the mirror and the build
 * steps are left out. Call inside shadow.withChanges (after its sync), right before runTests.
 */
export async function planBuild(shadow: ShadowWorkspace, cmd: TestCommand, contentHash: string, changes: FileChange[]): Promise<BuildPlan> {
  const isInput = await buildInputMatcher(shadow.root, cmd);
  if (!isInput || process.env.QWQ_BUILD_ONCE === 'off') return {};
  const inputsKey = buildInputsKey(contentHash, changes, isInput);
  const baseline = changes.length === 0;
  let prev = built.get(shadow);
  if (prev?.inputsKey !== inputsKey) {
    // An earlier task on this same state (its baseline built from the user's code): kept per state.
    const kept = lookupBuild(shadow, buildStateKey(shadow, cmd, inputsKey));
    if (!kept) return { inputsKey, baseline };
    prev = { inputsKey, dirs: kept.dirs, from: kept.dir };
    built.set(shadow, prev);
  }
  try {
    for (const d of prev.dirs) {
      await rm(join(shadow.root, d), { recursive: true, force: true });
      await mkdir(dirname(join(shadow.root, d)), { recursive: true });
      await cp(join(prev.from, d), join(shadow.root, d), { recursive: true, verbatimSymlinks: true });
    }
  } catch {
    // The kept output went away under us (another process replaced it): this run builds.
    built.delete(shadow);
    for (const d of prev.dirs) await rm(join(shadow.root, d), { recursive: true, force: true });
    return { inputsKey, baseline };
  }
  const skip = new Set(buildStepsOf(cmd).map((s) => s.index));
  // `rimraf build && tsc`: the cleaner of an output folder would delete what was just put back.
  for (const { index, step } of stepsBeforeRunner(cmd)) {
    const m = CLEANER.exec(step.trim());
    if (m && prev.dirs.some((d) => m[1].split(/\s+/).some((a) => a.replace(/^['"]|['"]$/g, '').replace(/^\.\//, '').replace(/\/$/, '') === d))) skip.add(index);
  }
  return { inputsKey, skipSteps: skip, baseline };
}

/** After a run that built (no steps skipped): keeps its output folders for the next run with the same inputs. */
export async function recordBuild(shadow: ShadowWorkspace, cmd: TestCommand, plan: BuildPlan, run: ExecutedRun): Promise<void> {
  if (!plan.inputsKey || plan.skipSteps) return;
  // A build that failed or a run that was cut short leaves nothing worth keeping.
  if (run.timedOut || run.aborted || run.tests.length === 0) { built.delete(shadow); return; }
  const dirs = (await buildOutputDirs(shadow.root, cmd)).filter((d) => existsSync(join(shadow.root, d)));
  if (dirs.length === 0) { built.delete(shadow); return; }
  const stash = stashDir(shadow);
  try {
    await rm(stash, { recursive: true, force: true });
    for (const d of dirs) {
      await mkdir(dirname(join(stash, d)), { recursive: true });
      await cp(join(shadow.root, d), join(stash, d), { recursive: true, verbatimSymlinks: true });
    }
    built.set(shadow, { inputsKey: plan.inputsKey, dirs, from: stash });
    if (plan.baseline) storeBuild(shadow, buildStateKey(shadow, cmd, plan.inputsKey), run, dirs);
  } catch {
    built.delete(shadow); // no stash, no reuse: the next run builds
  }
}
