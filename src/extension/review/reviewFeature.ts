// The review feature: one controller for candidates under review (the diff editor with per-hunk CodeLens, Accept
// and Reject whole, per file and per hunk, Apply unverified…, undo tracking). Verifying again goes through the
// reverifier (tasks/reverifier.ts), so the review does not depend on the task controller.
import { DisposableStore, type IDisposable } from '../../core/util';
import type { ExtensionCtx } from '../extensionContext';
import { CandidateReview } from './candidateReview';
import type { Reverify } from './reviewFiles';

export interface ReviewFeature extends IDisposable {
  readonly review: CandidateReview;
}

export function registerReview(ctx: ExtensionCtx, reverify: Reverify): ReviewFeature {
  const store = new DisposableStore();
  const review = store.add(new CandidateReview(ctx.panelState, ctx.notifier, ctx.log, reverify));
  return { review, dispose: () => store.dispose() };
}
