// What `@qwq` answers in the chat view once a task has finished (docs/architecture.md, "Other agents"): the
// verdict in words (the candidate's own verdict and reason: the one the panel's card shows), the diff, the files,
// and which buttons to offer. Pure: it reads the panel's TaskView, so chat and panel cannot disagree.
import type { CandidateView, TaskView } from '../../protocol';
import { isVerified } from '../../core/verify/policy/verified';
import type { Verdict } from '../../core/verify/types';
import { l10n } from '../l10n';

export type ParticipantCommand = 'fix' | 'explain' | 'tests';

/** The slash commands, as the palette actions they mirror. */
export const COMMAND_KINDS: Record<ParticipantCommand, 'fix-failing-tests' | 'explain' | 'generate-tests'> = {
  fix: 'fix-failing-tests', explain: 'explain', tests: 'generate-tests',
};

export interface ParticipantAnswer {
  /** First line, markdown: the verdict in words. */
  headline: string;
  /** More lines (newly failing/passing tests, the isolation), markdown. */
  details: string[];
  /** The candidate's unified diff, when there is one. */
  diff?: string;
  /** Workspace-relative files the candidate changes (chat references). */
  files: string[];
  explanation?: string;
  candidateId?: string;
  verdict?: string;
  /** Offer "Review in Editor" (a candidate with a diff) and "Open QwQ Panel" (always). */
  review: boolean;
}

const VERDICT_WORDS: Record<string, () => string> = {
  verified: () => l10n.t('✅ **Verified**: your tests passed with this edit, and no test that passed before fails.'),
  regressed: () => l10n.t('❌ **Regressed**: this edit breaks a test that passed before.'),
  'not-fixed': () => l10n.t('⚠️ **Not fixed**: nothing broke, but a test it had to fix still fails.'),
  inconclusive: () => l10n.t('⚠️ **Inconclusive**: the tests ran but cannot judge this edit.'),
  'no-tests': () => l10n.t('⚠️ **No tests**: no test ran, so this edit is not verified.'),
  error: () => l10n.t('❌ **Error**: the tests could not run.'),
  untrusted: () => l10n.t('🔒 **Not run**: this workspace is in Restricted Mode, so its tests were not run.'),
};

/** The candidate the answer is about: the one the task ended with, else the last verified, else the last with a diff. */
export function answerCandidate(task: TaskView, bestId?: string): CandidateView | undefined {
  const withDiff = task.candidates.filter((c) => c.diff.trim() !== '');
  return task.candidates.find((c) => c.id === bestId)
    ?? [...withDiff].reverse().find((c) => isVerified(c))
    ?? withDiff[withDiff.length - 1];
}

export function participantAnswer(task: TaskView, bestId?: string): ParticipantAnswer {
  if (task.kind === 'explain') {
    const text = task.explanation || task.answer || task.message || '';
    return { headline: text ? '' : l10n.t('No explanation came back.'), details: [], files: task.files, explanation: text, review: false };
  }
  const c = answerCandidate(task, bestId);
  if (!c || c.diff.trim() === '') {
    const why = task.outcome === 'cancelled' ? l10n.t('Cancelled.') : task.message ?? l10n.t('The task ended without an edit.');
    return { headline: l10n.t('No edit to show: {0}', why), details: [], files: [], review: false };
  }
  const words = c.verdict ? (VERDICT_WORDS[c.verdict]?.() ?? c.verdict) : l10n.t('⚠️ **Not verified**: the edit was not tested.');
  const details: string[] = [];
  const reason = c.reasonSaid ? l10n.say(c.reasonSaid) : c.verdictSummary ?? c.reason;
  if (reason) details.push(reason);
  if (c.newlyPassing?.length) details.push(l10n.t('Now passing: {0}', c.newlyPassing.map((t) => `\`${t}\``).join(', ')));
  if (c.newlyFailing?.length) details.push(l10n.t('Now failing: {0}', c.newlyFailing.map((t) => `\`${t}\``).join(', ')));
  if (c.isolation) details.push(l10n.t('Tests ran in a {0} of your workspace; none of your files was written.', c.isolation === 'sandbox' ? l10n.t('sandboxed copy') : l10n.t('copy')));
  if (!isVerified(c)) details.push(l10n.t('Not verified: it is shown for review only; apply it from the panel only if you accept that.'));
  return { headline: words, details, diff: c.diff, files: c.files, candidateId: c.id, verdict: c.verdict, review: true };
}

/** The follow-ups offered under an answer. */
export function followUpPrompts(verdict: string | undefined, kind: string): Array<{ prompt: string; label: string }> {
  if (kind === 'explain') return [{ prompt: l10n.t('Explain it in more detail'), label: l10n.t('More detail') }];
  // The verdict comes back from the chat's stored metadata, untyped; the policy reads it.
  if (isVerified({ verdict: verdict as Verdict | undefined })) return [{ prompt: l10n.t('Also add a test for this change'), label: l10n.t('Add a test') }];
  return [{ prompt: l10n.t('Try again, keeping every test that passed before green'), label: l10n.t('Try again') }];
}
