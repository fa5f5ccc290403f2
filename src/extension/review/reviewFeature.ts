// The review feature: candidates under review (diff editor, virtual documents) and the review controller
// (preview in the file, Accept/Reject whole, per file and per hunk, undo tracking).
import { DisposableStore, type IDisposable } from '../../core/util';
import type { ExtensionCtx } from '../extensionContext';
import { DiffReview, type Reverify } from './diffReview';
import { ReviewController } from './reviewController';

export interface ReviewFeature extends IDisposable {
  readonly diffs: DiffReview;
  readonly controller: ReviewController;
}

export function registerReview(ctx: ExtensionCtx, reverify: Reverify): ReviewFeature {
  const store = new DisposableStore();
  const diffs = store.add(new DiffReview(reverify, ctx.log));
  const controller = store.add(new ReviewController(diffs, ctx.panelState, ctx.notifier, ctx.log, reverify));
  return { diffs, controller, dispose: () => store.dispose() };
}
