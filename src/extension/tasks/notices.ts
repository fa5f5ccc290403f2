// What a notification says when a task ends without a verified edit, in plain words (pure; unit-tested in
// test/unit/extension/conversation.test.ts). The panel's card gives the reason, so the notice does not repeat the
// core's summary ("3 round(s)… NOT verified: regressed: …").
import type { AgentEvent } from '../../core/agent/events';
import { l10n } from '../l10n';

type Finished = Extract<AgentEvent, { type: 'task-finished' }>;

export function noVerifiedEditNotice(e: Pick<Finished, 'outcome' | 'message' | 'stop'>): string {
  if (e.outcome === 'unverified') return l10n.t('QwQ found no edit that passes your tests. The closest attempt is in the panel, not verified.');
  if (e.stop?.noneApplied) return l10n.t('QwQ found no edit: none of its attempts applied to your files.');
  // Without a typed reason (the attempts ran out, or a stream from before `stop` existed) the notice stays general.
  const why = e.stop?.why ? l10n.say(e.stop.why).trim() : '';
  if (why === '') return l10n.t('QwQ found no edit that passes your tests.');
  return l10n.t('QwQ made no edit: {0}', `${why[0].toUpperCase()}${why.slice(1)}${/[.!?]$/.test(why) ? '' : '.'}`);
}
