// What the panel says about a task and its candidates, as pure functions of the state (no DOM): the verdict
// labels and reasons, which buttons a candidate gets, live phase labels, titles and history rows. The rules
// live here, once, and are unit-tested in test/unit/webview/present.test.ts.
import { canAccept, type CandidateView, type TaskView } from '../protocol';
import { l10n } from './l10n';

export type BadgeKind = 'verified' | 'regressed' | 'not-fixed' | 'inconclusive' | 'no-tests' | 'error' | 'untrusted' | 'not-applied' | 'pending' | 'not-tested';

export interface CandidateStatus {
  badge: BadgeKind;
  label: string;
  /** Why, in plain words; always present once the task finished. */
  reason?: string;
  accept: boolean;
  reject: boolean;
  /** "Apply unverified…": an applied candidate that is not verified, still pending. */
  applyUnverified: boolean;
  preview: boolean;
}

export function verdictLabel(badge: BadgeKind, kind: string): string {
  switch (badge) {
    case 'verified': return l10n.t('✓ verified');
    case 'regressed': return l10n.t('✗ regressed');
    case 'not-fixed': return kind === 'fix-failing-tests' ? l10n.t('✗ not fixed') : l10n.t('✗ not done');
    case 'inconclusive': return l10n.t('? inconclusive');
    case 'no-tests': return l10n.t('no tests ran');
    case 'error': return l10n.t('✗ test run failed');
    case 'untrusted': return l10n.t('not run (Restricted Mode)');
    case 'not-applied': return l10n.t('did not apply');
    case 'not-tested': return l10n.t('not tested');
    case 'pending': return l10n.t('verifying…');
  }
}

function fallbackReason(badge: BadgeKind, c: CandidateView, task: TaskView): string | undefined {
  switch (badge) {
    case 'not-applied': return l10n.t('The edit never applied to your files: {0}', (c.applyError ?? '').split('\n')[0]);
    case 'not-tested': return task.outcome === 'cancelled' ? l10n.t('The task was cancelled before this edit was tested.') : l10n.t('This edit was not tested, so it is not verified.');
    case 'regressed': return c.newlyFailing?.length ? l10n.t('Tests that passed before fail with this edit: {0}', c.newlyFailing.join(', ')) : undefined;
    default: return undefined;
  }
}

/** The one place that decides a card's badge and buttons. */
export function candidateStatus(task: TaskView, c: CandidateView): CandidateStatus {
  const finished = task.outcome !== 'running';
  const applied = c.diff.trim() !== '' && !c.applyError;
  let badge: BadgeKind;
  if (!applied) badge = c.applyError ? 'not-applied' : finished ? 'not-tested' : 'pending';
  else if (c.verdict) badge = c.verdict as BadgeKind;
  // A finished task never says "verifying…": a candidate without a verdict then was simply not tested.
  else badge = finished ? 'not-tested' : 'pending';
  const pending = c.resolution === undefined;
  return {
    badge,
    label: verdictLabel(badge, task.kind),
    reason: c.reason ?? c.verdictSummary ?? fallbackReason(badge, c, task),
    accept: applied && canAccept(c),
    // Nothing to reject for an edit that never applied (it was never offered).
    reject: applied && pending,
    applyUnverified: applied && pending && c.verdict !== 'verified' && finished,
    preview: applied && pending,
  };
}

export function attemptLabel(round: number, maxRounds: number | undefined): string {
  return maxRounds ? l10n.t('attempt {0} of {1}', round, maxRounds) : l10n.t('attempt {0}', round);
}

const KIND_TITLE: Record<string, () => string> = {
  'edit-selection': () => l10n.t('Edit'),
  'fix-failing-tests': () => l10n.t('Fix failing tests'),
  'implement-function': () => l10n.t('Implement function'),
  'generate-tests': () => l10n.t('Generate tests'),
  explain: () => l10n.t('Explain'),
};

/** Tasks are titled by their instruction (the person's words), not by their kind or id. */
export function taskTitle(t: Pick<TaskView, 'instruction' | 'kind' | 'files'> & { title?: string }): string {
  const words = (t.title ?? t.instruction).trim().replace(/\s+/g, ' ');
  if (words) return words.length > 80 ? `${words.slice(0, 79)}…` : words;
  const kind = KIND_TITLE[t.kind]?.() ?? t.kind;
  return t.files.length ? `${kind}: ${t.files.join(', ')}` : kind;
}

export function outcomeLabel(o: TaskView['outcome']): string {
  switch (o) {
    case 'running': return l10n.t('running');
    case 'verified': return l10n.t('verified');
    case 'unverified': return l10n.t('not verified');
    case 'no-edit': return l10n.t('no edit');
    case 'cancelled': return l10n.t('cancelled');
    case 'failed': return l10n.t('failed');
  }
}

/** 1,240 in English; the grouping follows the webview's locale. */
function count(n: number): string {
  return n.toLocaleString();
}

function seconds(ms: number): string {
  return l10n.t('{0} s', Math.max(0, Math.floor(ms / 1000)));
}

/** The live label of a running task: what it is doing right now, with a clock. Empty when finished. */
export function phaseLabel(t: TaskView, now: number): string {
  if (t.outcome !== 'running') return '';
  const since = t.phaseSince !== undefined ? ` ${seconds(now - t.phaseSince)}` : '';
  switch (t.phase) {
    case 'context': {
      // Fix and generate-tests run the baseline first; the others only gather context.
      const baseline = (t.kind === 'fix-failing-tests' || t.kind === 'generate-tests') && !t.baseline;
      return baseline ? l10n.t('running your tests (baseline){0}', since) : l10n.t('reading the code{0}', since);
    }
    case 'plan':
    case 'repair': {
      const attempt = t.round > 1 ? ` · ${attemptLabel(t.round, t.maxRounds)}` : '';
      return l10n.t('thinking {0} tokens ·{1}{2}', count(t.thinkingTokens), since || ' 0 s', attempt);
    }
    case 'edit': return l10n.t('writing the edit{0}', since);
    case 'verify': return l10n.t('verifying attempt {0}{1}', t.round, since);
    case 'done': return '';
  }
}

/** The folded details line: tokens, speed, prompt reuse, budget. */
export function detailsLine(t: TaskView): string {
  const parts: string[] = [];
  if (t.stats) {
    parts.push(l10n.t('{0} tokens at {1} tokens/s', count(t.stats.completionTokens), t.stats.tokensPerSecond.toFixed(1)));
    parts.push(l10n.t('first token after {0} ms', Math.round(t.stats.timeToFirstTokenMs)));
    if (t.stats.promptTokens > 0) parts.push(l10n.t('{0}% of the prompt reused from the cache', Math.round((100 * t.stats.reusedTokens) / t.stats.promptTokens)));
  }
  if (t.budget) {
    parts.push(l10n.t('{0} of {1} tokens used', count(t.budget.tokensUsed), count(t.budget.tokenBudget)));
    parts.push(l10n.t('{0} of {1} min', (t.budget.elapsedMs / 60_000).toFixed(1), Math.round(t.budget.timeBudgetMs / 60_000)));
  }
  return parts.join(' · ');
}

export interface HistoryRow { taskId: string; title: string; time: string; outcome: string; files: string }

export function historyRow(t: TaskView): HistoryRow {
  const when = t.startedAt !== undefined ? new Date(t.startedAt) : undefined;
  const time = when ? when.toLocaleString(undefined, { hour: '2-digit', minute: '2-digit', month: 'short', day: 'numeric' }) : '';
  const files = [...new Set([...t.files, ...t.candidates.flatMap((c) => c.files)])].join(', ');
  return { taskId: t.taskId, title: taskTitle(t), time, outcome: outcomeLabel(t.outcome), files };
}

/** History search: every word must appear in the title, the files or the outcome. */
export function matchesSearch(row: HistoryRow, query: string): boolean {
  const hay = `${row.title} ${row.files} ${row.outcome}`.toLowerCase();
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

/** A piece of test output: text, or a `path:line` the user can open. */
export type OutputPart = { text: string } | { text: string; path: string; line: number };

// A workspace-relative path with an extension, then :line and an optional :column. Absolute and `node:` paths
// are not links: the extension maps the shadow copy's paths back to the workspace before they get here.
const LOCATION = /(?<![\w/.:@-])((?:[\w.@-]+\/)*[\w@-][\w.@-]*\.[A-Za-z][\w]{0,5}):(\d+)(?::\d+)?/g;

export function linkify(text: string): OutputPart[] {
  const parts: OutputPart[] = [];
  let last = 0;
  for (const m of text.matchAll(LOCATION)) {
    if (m.index! > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ text: m[0], path: m[1], line: Number(m[2]) });
    last = m.index! + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
