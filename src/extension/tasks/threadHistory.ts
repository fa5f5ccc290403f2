// A thread's earlier turns as the agent's conversation history: the person's words and the model's final
// answers, plus what became of each edit, in plain words. Pure (no vscode), unit-tested in test/unit/extension/.
import type { ConversationTurn } from '../../core/agent/task';
import type { CandidateView, TaskView } from '../../protocol/panelState';
import { cardGroups } from '../../protocol/cards';

/** What the person did with an edit, said to the model so the next turn starts from the right files. */
function fate(c: CandidateView | undefined, overlaid: boolean): string {
  if (!c || c.diff.trim() === '' || c.applyError) return 'No edit was made.';
  const diff = `The edit:\n${c.diff.trim().slice(0, 3000)}`;
  switch (c.resolution) {
    case 'accepted': return `${diff}\n\nThe user accepted this edit: it is in the files now.`;
    case 'partial': return `${diff}\n\nThe user accepted part of this edit: the files show what was kept.`;
    case 'applied-unverified': return `${diff}\n\nThe user applied this edit without verification: it is in the files now.`;
    case 'undone': return `${diff}\n\nThe user accepted this edit, then undid it: the files are as they were before it.`;
    case 'rejected': case 'stale': return `${diff}\n\nThe user did not keep this edit: the files are as they were before it.`;
    default: return overlaid
      ? `${diff}\n\nThis edit is not accepted yet; it is applied to the files you see now, so refine it from there.`
      : `${diff}\n\nThe user has not accepted this edit: the files are as they were before it.`;
  }
}

/**
 * The conversation so far, oldest first. `overlayFrom` names the candidate whose text the next turn reads
 * instead of the user's (refining a pending edit): its turn says so.
 */
export function threadHistory(turns: readonly TaskView[], overlayFrom?: string): ConversationTurn[] {
  return turns.filter((t) => t.outcome !== 'running').map((t) => {
    const request = (t.title ?? t.instruction).trim() || t.kind;
    if (t.kind === 'explain') return { request, answer: (t.explanation ?? t.answer ?? t.message ?? '').trim() || 'No answer.' };
    const lead = cardGroups(t)[0]?.lead;
    const plan = t.plan.trim();
    const answer = [plan ? `Plan:\n${plan}` : '', fate(lead, lead !== undefined && lead.id === overlayFrom)].filter(Boolean).join('\n\n');
    return { request, answer };
  });
}
