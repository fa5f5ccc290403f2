// The tasks feature: the controller that runs one task at a time and hands candidates to the review.
import type { ExtensionCtx } from '../extensionContext';
import type { ModelsFeature } from '../model/modelsFeature';
import type { ReviewFeature } from '../review/reviewFeature';
import type { AgentFeature } from './agentFeature';
import { Mentions } from './mentions';
import { TaskController } from './taskController';

export function registerTasks(ctx: ExtensionCtx, { agent }: AgentFeature, { models }: ModelsFeature, review: ReviewFeature): TaskController {
  const mentions = new Mentions({ engineFor: (root) => agent.engineFor(root) });
  return new TaskController(agent, ctx.panelState, models, review.review, ctx.log, ctx.notifier, mentions);
}
