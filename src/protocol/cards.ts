// Which cards a task shows: candidates that wrote the same edit fold into one card, the best comes first.
// Pure and shared: the panel lays the cards out, the extension reads the lead card of a turn for a thread's history.
import type { CandidateView, TaskView } from './panelState';

/** Candidates that wrote the same edit, shown as one card: `lead` carries the verdict and the buttons. */
export interface CardGroup { lead: CandidateView; members: CandidateView[]; rounds: number[] }

/** The same edit, whatever attempt wrote it: its diff, or (never applied) its error's first line. */
function sameEditKey(c: CandidateView): string {
  return c.diff.trim() !== '' && !c.applyError ? `diff:${c.diff.trim()}` : `error:${(c.applyError ?? '').split('\n')[0]}`;
}

/** Lower is better: a verified edit, then the ones closest to it, then untested, then never applied. */
function rank(c: CandidateView): number {
  if (c.applyError || c.diff.trim() === '') return 9;
  switch (c.verdict) {
    case 'verified': return 0;
    case 'not-fixed': return 1;
    case 'inconclusive': return 2;
    case 'regressed': return 3;
    case 'no-tests': case 'untrusted': return 4;
    case 'error': return 5;
    default: return 6;
  }
}

/**
 * The cards of a task, said once: identical attempts folded into one card, the best first (the one the agent
 * ranked best when it finished, else by verdict), then the newest. A folded card's buttons act on its lead, so
 * there is one Reject and one "Apply unverified…" per distinct edit.
 */
export function cardGroups(t: Pick<TaskView, 'candidates' | 'bestId'>): CardGroup[] {
  const groups = new Map<string, CandidateView[]>();
  for (const c of t.candidates) {
    const k = sameEditKey(c);
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  const list = [...groups.values()].map((members): CardGroup => {
    // The member the person acted on (or is previewing) stays the lead; else the best-ranked; else the newest.
    const acted = members.find((m) => m.resolution !== undefined || m.previewing);
    const lead = acted ?? members.find((m) => m.id === t.bestId) ?? members[members.length - 1];
    return { lead, members, rounds: [...new Set(members.map((m) => m.round))].sort((a, b) => a - b) };
  });
  const isBest = (g: CardGroup) => (t.bestId !== undefined && g.members.some((m) => m.id === t.bestId) ? 0 : 1);
  const newest = (g: CardGroup) => Math.max(...g.rounds);
  return list.sort((a, b) => isBest(a) - isBest(b) || rank(a.lead) - rank(b.lead) || newest(b) - newest(a));
}
