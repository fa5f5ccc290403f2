// What the panel says about a task and its candidates, as pure functions of the state (no DOM): the verdict
// labels and reasons, which buttons a candidate gets, live phase labels, titles and history rows. The rules
// live here, once, and are unit-tested in test/unit/webview/present.test.ts.
import { canAccept, threadIdOf, type CandidateView, type PanelState, type QueuedView, type TaskView } from '../protocol';
import { cardGroups, type CardGroup } from '../protocol';

export { cardGroups, type CardGroup };
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
  /**
   * "Open Diff" per file: only while the edit is under review. Once it is accepted (in part or whole), rejected or
   * applied, the extension has ended its review and the card's own Diff shows what was applied.
   */
  openDiff: string[];
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
    reason: plainReason(c.reasonSaid ? l10n.say(c.reasonSaid) : c.reason ?? c.verdictSummary) ?? fallbackReason(badge, c, task),
    accept: applied && canAccept(c),
    // Nothing to reject for an edit that never applied (it was never offered).
    reject: applied && pending,
    applyUnverified: applied && pending && c.verdict !== 'verified' && finished,
    preview: applied && pending,
    openDiff: applied && pending ? c.files : [],
  };
}

export function attemptLabel(round: number, maxRounds: number | undefined): string {
  return maxRounds ? l10n.t('attempt {0} of {1}', round, maxRounds) : l10n.t('attempt {0}', round);
}

// Verdict words the core puts in front of a reason ("NOT verified: regressed: …"): the badge already says them.
const JARGON_PREFIX = /^\s*(?:NOT verified|no verified edit|verified|regressed|not-fixed|inconclusive|no-tests|error|untrusted)\s*:\s*/i;

/** A reason in plain words: no verdict tags in front, no "round(s)", a capital letter and a full stop. */
export function plainReason(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  let r = reason.trim();
  for (let i = 0; i < 4 && JARGON_PREFIX.test(r); i++) r = r.replace(JARGON_PREFIX, '');
  r = r.replace(/\b(\d+) round\(s\)/g, (_m, n: string) => (n === '1' ? l10n.t('1 attempt') : l10n.t('{0} attempts', n)));
  if (r === '') return undefined;
  r = r[0].toUpperCase() + r.slice(1);
  return /[.!?…)]$/.test(r) ? r : `${r}.`;
}

/** "attempt 3 of 3", or for a folded card "attempts 1–3 wrote the same edit". */
export function groupLabel(g: Pick<CardGroup, 'rounds'>, maxRounds: number | undefined): string {
  const r = g.rounds;
  if (r.length <= 1) return attemptLabel(r[0] ?? 1, maxRounds);
  const contiguous = r.every((x, i) => i === 0 || x === r[i - 1] + 1);
  const which = contiguous ? `${r[0]}–${r[r.length - 1]}` : `${r.slice(0, -1).join(', ')} ${l10n.t('and')} ${r[r.length - 1]}`;
  return l10n.t('attempts {0} wrote the same edit', which);
}

/**
 * The task's result in one plain sentence, from the cards themselves (so its numbers agree with theirs); the
 * lead card then gives the reason. Undefined while running, for a verified edit (its card says it) and for an
 * explanation (the answer says it).
 */
export function taskSummary(t: TaskView): string | undefined {
  if (t.outcome === 'running') return undefined;
  if (t.kind === 'explain' && t.explanation) return undefined;
  const lead = cardGroups(t)[0];
  const why = stopReason(t.message);
  switch (t.outcome) {
    // The verified card says it (badge, attempt, reason): a sentence above it would only repeat it.
    case 'verified': return undefined;
    case 'unverified': {
      const tried = t.maxRounds ?? Math.max(0, ...t.candidates.map((c) => c.round));
      const first = lead && lead.rounds.length === tried && tried > 1
        ? l10n.t('No attempt passed your tests: all {0} attempts wrote the same edit.', tried)
        : lead ? l10n.t('No attempt passed your tests; the closest is {0}, below.', attemptLabel(lead.rounds[lead.rounds.length - 1], t.maxRounds))
          : l10n.t('No attempt passed your tests.');
      return why ? `${first} ${l10n.t('It stopped because: {0}', why)}` : first;
    }
    case 'no-edit':
      if (/no candidate edit applied/i.test(t.message ?? '')) return l10n.t('No attempt wrote an edit that applies to your file.');
      return plainReason(why ?? t.message) ?? l10n.t('No edit was made.');
    case 'cancelled': return l10n.t('Cancelled: nothing was changed.');
    case 'failed': return plainReason(t.message) ?? l10n.t('The task failed.');
  }
}

/** Why a task ended without a verified edit, when that says more than "the attempts ran out". */
function stopReason(message: string | undefined): string | undefined {
  const m = /^no verified edit:\s*(.*?)(?:\.\s+The best attempt|;\s*no candidate edit applied|$)/is.exec(message ?? '');
  if (!m) return undefined;
  const why = m[1].trim();
  if (why === '' || /round\(s\) without a verified edit/.test(why)) return undefined;
  return plainReason(why);
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

export interface HistoryRow { taskId: string; title: string; time: string; outcome: string; files: string; turns?: number }

export function historyRow(t: TaskView, turns: TaskView[] = [t]): HistoryRow {
  const when = t.startedAt !== undefined ? new Date(t.startedAt) : undefined;
  const time = when ? when.toLocaleString(undefined, { hour: '2-digit', minute: '2-digit', month: 'short', day: 'numeric' }) : '';
  const files = [...new Set(turns.flatMap((x) => [...x.files, ...x.candidates.flatMap((c) => c.files)]))].join(', ');
  const last = turns[turns.length - 1] ?? t;
  return { taskId: threadIdOf(t), title: taskTitle(t), time, outcome: outcomeLabel(last.outcome), files, ...(turns.length > 1 ? { turns: turns.length } : {}) };
}

/** One conversation: its turns oldest first, and the tasks queued to continue it. */
export interface Thread { id: string; turns: TaskView[]; queued: QueuedView[] }

/** The conversations, newest activity first. A thread whose first turn left the history still groups its turns. */
export function threads(state: PanelState): Thread[] {
  const byId = new Map<string, Thread>();
  const order: string[] = [];
  for (const t of state.tasks) {
    const id = threadIdOf(t);
    if (!byId.has(id)) { byId.set(id, { id, turns: [], queued: [] }); }
    byId.get(id)!.turns.push(t);
    order.push(id);
  }
  for (const q of state.queue ?? []) byId.get(q.threadId ?? '')?.queued.push(q);
  // The thread of the task that started (or was continued) last comes first.
  const seen = new Set<string>();
  return order.reverse().filter((id) => !seen.has(id) && !!seen.add(id)).map((id) => byId.get(id)!);
}

/** Queued tasks shown outside the thread on screen: under the title of their own conversation, or alone. */
export interface WaitingGroup { thread?: { id: string; title: string }; queued: QueuedView[] }

/**
 * Where queued tasks show when they are not in the thread on screen (that thread lists its own): a follow-up
 * stays with its conversation, grouped under that thread's title (which opens it); a new task stands alone.
 * Groups keep the queue's order (the order they will run in).
 */
export function waitingGroups(all: readonly Thread[], current: Thread | undefined, queue: readonly QueuedView[]): WaitingGroup[] {
  const groups: WaitingGroup[] = [];
  const byThread = new Map<string, WaitingGroup>();
  for (const q of queue) {
    if (current && q.threadId === current.id) continue;
    const th = q.threadId !== undefined ? all.find((x) => x.id === q.threadId) : undefined;
    if (!th) { groups.push({ queued: [q] }); continue; }
    let g = byThread.get(th.id);
    if (!g) {
      g = { thread: { id: th.id, title: taskTitle(th.turns[0]) }, queued: [] };
      byThread.set(th.id, g);
      groups.push(g);
    }
    g.queued.push(q);
  }
  return groups;
}

/** History rows, one per conversation; two conversations with the same words get "(2)", "(3)" by age. */
export function historyRows(list: Thread[]): HistoryRow[] {
  const rows = list.map((th) => historyRow(th.turns[0], th.turns));
  const oldestFirst = rows.slice().reverse();
  const seen = new Map<string, number>();
  const titles = new Map<HistoryRow, string>();
  for (const r of oldestFirst) {
    const n = (seen.get(r.title) ?? 0) + 1;
    seen.set(r.title, n);
    titles.set(r, n > 1 ? `${r.title} (${n})` : r.title);
  }
  return rows.map((r) => ({ ...r, title: titles.get(r)! }));
}

/**
 * Turns whose pending edits a later turn of the same thread replaced: once a later edit was accepted (or applied),
 * accepting an earlier version would undo it, so those cards offer no Accept and no "Apply unverified…".
 */
export function supersededTurns(turns: readonly TaskView[]): Set<string> {
  const out = new Set<string>();
  let later = false;
  for (let i = turns.length - 1; i >= 0; i--) {
    if (later) out.add(turns[i].taskId);
    if (turns[i].candidates.some((c) => c.resolution === 'accepted' || c.resolution === 'partial' || c.resolution === 'applied-unverified')) later = true;
  }
  return out;
}

/** What the follow-up box of a finished turn continues from: a pending edit (refined in place) or the files as they are. */
export function followUpTarget(t: TaskView): { candidateId?: string; placeholder: string } {
  if (t.kind === 'explain') return { placeholder: l10n.t('Ask about this…') };
  const lead = cardGroups(t)[0]?.lead;
  const pending = lead && lead.resolution === undefined && lead.diff.trim() !== '' && !lead.applyError;
  if (pending) return { candidateId: lead.id, placeholder: l10n.t('Refine this edit…') };
  if (lead?.resolution === 'accepted' || lead?.resolution === 'partial' || lead?.resolution === 'applied-unverified') return { placeholder: l10n.t('Continue from your file…') };
  return { placeholder: l10n.t('Try again, or say more…') };
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
