// The reasoning panel's state and the pure reducer over the agent's event stream.
// Both sides run it: the extension keeps the authoritative copy (so a panel that was hidden or reloaded gets
// the whole history back), and the webview applies the same events incrementally while it is open.
// Pure: no DOM, no vscode, no clock; unit-tested in test/unit/protocol/.
import type { AgentEvent, AgentPhase, CandidateSummary, ContextItem, GenerationStatsSummary } from '../core/agent/events';
import { isVerified } from '../core/verify/policy/verified';

/**
 * What the user did with a candidate in the review (the agent knows nothing of this). `partial`: some hunks
 * accepted, the rest rejected; `undone`: accepted, then undone in the editor (a redo makes it `accepted` again);
 * `applied-unverified`: applied through "Apply unverified…", never through Accept.
 */
export type Resolution = 'accepted' | 'partial' | 'rejected' | 'stale' | 'undone' | 'applied-unverified';

/** A piece of context the user attached to an instruction (the composer's pills). */
export interface ContextPill { kind: 'file' | 'selection' | 'symbol'; path?: string; startLine?: number; endLine?: number; symbol?: string }

/** Events the adapter adds to the agent's stream: the user's decisions and the panel's own bookkeeping. */
export type UiEvent =
  /** `diff`/`files`: what was applied when it is not what was proposed (a partial accept), so the card shows that. */
  | { type: 'candidate-resolved'; taskId: string; candidateId: string; resolution: Resolution; message?: string; diff?: string; files?: string[] }
  /** Shown in the panel while the candidate is previewed in the editor. */
  | { type: 'candidate-previewing'; taskId: string; candidateId: string; previewing: boolean }
  /** What the adapter knows of a task that the agent does not: the follow-up it continues, the pills it was given. */
  | { type: 'task-meta'; taskId: string; parentTaskId?: string; pills?: ContextPill[]; title?: string; threadId?: string }
  /** A task waits for the running one to finish (a new task never cancels a running one unasked). */
  | { type: 'task-queued'; taskId: string; kind: string; title: string; files: string[]; threadId?: string }
  /** A queued task left the queue without starting (the person cancelled it). */
  | { type: 'queue-removed'; taskId: string }
  | { type: 'remove-task'; taskId: string }
  /** Where the tests a candidate made fail or pass are defined, found by the extension in the workspace. */
  | { type: 'test-locations'; taskId: string; locations: Record<string, { path: string; line: number }> }
  | { type: 'clear-history' };

/** `at` (ms since the epoch) is stamped by the extension's store, so the reducer stays free of clocks. */
export type PanelEvent = (AgentEvent | UiEvent) & { at?: number };

export interface ToolCallView { callId: string; name: string; args: string; ok?: boolean; summary?: string }

export interface TestRunView {
  /** Which candidate the run verifies; undefined for the baseline run. */
  candidateId?: string;
  /** Live output, capped at the tail so a chatty test suite cannot grow the saved state without bound. */
  output: string;
  truncated: boolean;
}

export interface CandidateView extends CandidateSummary {
  verdictSummary?: string;
  /** How the tests were kept from the user's files: sandbox, copy or checked. */
  isolation?: 'sandbox' | 'copy' | 'checked';
  /** Generate-tests: whether the new tests caught a deliberately broken copy of the code. */
  mutation?: { mutation: string; killed: boolean };
  resolution?: Resolution;
  resolutionMessage?: string;
  /** Open as a preview in the editor right now. */
  previewing?: boolean;
}

export type TaskOutcome = 'running' | 'verified' | 'unverified' | 'no-edit' | 'cancelled' | 'failed';

export interface TaskView {
  taskId: string;
  kind: string;
  instruction: string;
  files: string[];
  phase: AgentPhase;
  round: number;
  /** Streamed thinking, one entry per round, so a repair round's thoughts are not glued to the first. */
  thoughts: string[];
  answer: string;
  plan: string;
  context: ContextItem[];
  contextTokens: number;
  toolCalls: ToolCallView[];
  testRuns: TestRunView[];
  candidates: CandidateView[];
  warnings: string[];
  stats?: GenerationStatsSummary;
  /** The tests before any edit: shows what a fix had to make pass. */
  baseline?: { runner: string; passed: number; failed: number; failing: string[]; targets: string[]; message: string };
  budget?: { tokensUsed: number; tokenBudget: number; elapsedMs: number; timeBudgetMs: number };
  outcome: TaskOutcome;
  message?: string;
  explanation?: string;
  /** Attempts the task may take (for "attempt 2 of 3"); absent from older streams. */
  maxRounds?: number;
  startedAt?: number;
  finishedAt?: number;
  /** When the current phase began, for live labels ("thinking … · 38 s"). */
  phaseSince?: number;
  /** Thought chunks (about one token each) in the current planning call, for a live count. */
  thinkingTokens: number;
  /** The task this one follows up on (composer follow-ups). */
  parentTaskId?: string;
  pills?: ContextPill[];
  /** The person's own words, when the instruction the agent got says more (a follow-up carries the conversation). */
  title?: string;
  /** Test id → where it is defined (links from "newly failing" and "newly passing"). */
  testLocations?: Record<string, { path: string; line: number }>;
  /** The candidate the agent ranked best when the task finished: its card comes first. */
  bestId?: string;
  /** The conversation this task is a turn of: the first task's id (absent: the task starts its own thread). */
  threadId?: string;
}

/** A task waiting for the running one; it starts by itself when that one finishes, or the person cancels it. */
export interface QueuedView { taskId: string; kind: string; title: string; files: string[]; threadId?: string }

export interface PanelState {
  /** Oldest first; capped at MAX_TASKS so the state saved by the webview stays small. */
  tasks: TaskView[];
  /** Tasks waiting to run, in order (absent in states saved before the queue existed). */
  queue?: QueuedView[];
}

export const MAX_TASKS = 40;
export const MAX_TEST_OUTPUT_CHARS = 20_000;
export const MAX_THOUGHT_CHARS = 200_000;

export function emptyPanelState(): PanelState {
  return { tasks: [] };
}

function newTask(e: Extract<AgentEvent, { type: 'task-started' }>, at: number | undefined): TaskView {
  return {
    taskId: e.taskId, kind: e.kind, instruction: e.instruction, files: e.files,
    phase: 'context', round: 0, thoughts: [], answer: '', plan: '', context: [], contextTokens: 0,
    toolCalls: [], testRuns: [], candidates: [], warnings: [], outcome: 'running', thinkingTokens: 0,
    ...(e.maxRounds !== undefined ? { maxRounds: e.maxRounds } : {}),
    ...(at !== undefined ? { startedAt: at, phaseSince: at } : {}),
  };
}

/** Keeps the tail of a growing text, marking that the head was dropped. */
export function appendCapped(current: string, more: string, cap: number): { text: string; truncated: boolean } {
  const joined = current + more;
  if (joined.length <= cap) return { text: joined, truncated: false };
  return { text: joined.slice(joined.length - cap), truncated: true };
}

function updateTask(state: PanelState, taskId: string, fn: (t: TaskView) => TaskView): PanelState {
  const i = state.tasks.findIndex((t) => t.taskId === taskId);
  if (i < 0) return state; // an event for a task we never saw start (history cleared): ignore it
  const tasks = state.tasks.slice();
  tasks[i] = fn(tasks[i]);
  return { ...state, tasks };
}

function updateCandidate(t: TaskView, candidateId: string, fn: (c: CandidateView) => CandidateView): TaskView {
  const i = t.candidates.findIndex((c) => c.id === candidateId);
  if (i < 0) return t;
  const candidates = t.candidates.slice();
  candidates[i] = fn(candidates[i]);
  return { ...t, candidates };
}

function stringifyArgs(args: unknown): string {
  try {
    const s = typeof args === 'string' ? args : JSON.stringify(args);
    return s.length > 500 ? `${s.slice(0, 500)}…` : s;
  } catch {
    return String(args);
  }
}

/** The pure reducer: returns a new state (or the same object when nothing changed). */
export function reducePanel(state: PanelState, e: PanelEvent): PanelState {
  switch (e.type) {
    case 'clear-history':
      return { ...state, tasks: state.tasks.filter((t) => t.outcome === 'running') };
    case 'remove-task': {
      // Removing a thread's row removes the whole thread (History lists threads); a running turn stays.
      const gone = (t: TaskView) => (t.taskId === e.taskId || threadIdOf(t) === e.taskId) && t.outcome !== 'running';
      return { ...state, tasks: state.tasks.filter((t) => !gone(t)) };
    }
    case 'task-meta':
      return updateTask(state, e.taskId, (t) => ({
        ...t, ...(e.parentTaskId ? { parentTaskId: e.parentTaskId } : {}), ...(e.pills ? { pills: e.pills } : {}), ...(e.title ? { title: e.title } : {}),
        ...(e.threadId ? { threadId: e.threadId } : {}),
      }));
    case 'task-queued':
      return { ...state, queue: [...(state.queue ?? []).filter((q) => q.taskId !== e.taskId), { taskId: e.taskId, kind: e.kind, title: e.title, files: e.files, ...(e.threadId ? { threadId: e.threadId } : {}) }] };
    case 'queue-removed':
      return { ...state, queue: (state.queue ?? []).filter((q) => q.taskId !== e.taskId) };
    case 'test-locations':
      return updateTask(state, e.taskId, (t) => ({ ...t, testLocations: { ...t.testLocations, ...e.locations } }));
    case 'candidate-previewing':
      return updateTask(state, e.taskId, (t) => updateCandidate(t, e.candidateId, (c) => ({ ...c, previewing: e.previewing })));
    case 'task-started': {
      const others = state.tasks.filter((t) => t.taskId !== e.taskId);
      // A queued task keeps its place in its thread: what the queue knew of it carries over.
      const queued = state.queue?.find((q) => q.taskId === e.taskId);
      const started = newTask(e, e.at);
      const tasks = [...others, queued?.threadId ? { ...started, threadId: queued.threadId } : started];
      const queue = state.queue?.filter((q) => q.taskId !== e.taskId);
      return { ...state, tasks: tasks.slice(Math.max(0, tasks.length - MAX_TASKS)), ...(queue ? { queue } : {}) };
    }
    case 'phase':
      return updateTask(state, e.taskId, (t) => (t.outcome !== 'running' ? t : {
        ...t, phase: e.phase, round: e.round,
        ...(t.phase !== e.phase || t.round !== e.round ? { phaseSince: e.at ?? t.phaseSince, thinkingTokens: e.phase === 'plan' || e.phase === 'repair' ? 0 : t.thinkingTokens } : {}),
      }));
    case 'context':
      return updateTask(state, e.taskId, (t) => ({ ...t, context: e.items, contextTokens: e.tokens }));
    case 'thought':
      return updateTask(state, e.taskId, (t) => {
        const thoughts = t.thoughts.slice();
        // A thought belongs to the current round; open a new entry when the round moved on.
        const slot = Math.max(0, t.round);
        while (thoughts.length <= slot) thoughts.push('');
        thoughts[slot] = appendCapped(thoughts[slot], e.text, MAX_THOUGHT_CHARS).text;
        return { ...t, thoughts, thinkingTokens: t.thinkingTokens + 1 };
      });
    case 'answer':
      return updateTask(state, e.taskId, (t) => ({ ...t, answer: t.answer + e.text }));
    case 'plan':
      return updateTask(state, e.taskId, (t) => ({ ...t, plan: e.text }));
    case 'tool-call':
      return updateTask(state, e.taskId, (t) => ({ ...t, toolCalls: [...t.toolCalls, { callId: e.callId, name: e.name, args: stringifyArgs(e.args) }] }));
    case 'tool-result':
      return updateTask(state, e.taskId, (t) => ({
        ...t,
        toolCalls: t.toolCalls.map((c) => (c.callId === e.callId ? { ...c, ok: e.ok, summary: e.summary } : c)),
      }));
    case 'candidate':
      return updateTask(state, e.taskId, (t) => {
        // A later summary of the same candidate replaces the earlier one in place; the user's decision stays.
        const i = t.candidates.findIndex((c) => c.id === e.candidate.id);
        if (i < 0) return { ...t, candidates: [...t.candidates, { ...e.candidate }] };
        const candidates = t.candidates.slice();
        const old = candidates[i];
        candidates[i] = { ...old, ...e.candidate, verdictSummary: e.candidate.reason ?? old.verdictSummary };
        return { ...t, candidates };
      });
    case 'apply-failed':
      return updateTask(state, e.taskId, (t) => ({ ...t, warnings: [...t.warnings, `Round ${e.round}: the edit did not apply. ${e.message}`] }));
    case 'test-output':
      return updateTask(state, e.taskId, (t) => {
        const runs = t.testRuns.slice();
        let i = runs.findIndex((r) => r.candidateId === e.candidateId);
        if (i < 0) { runs.push({ candidateId: e.candidateId, output: '', truncated: false }); i = runs.length - 1; }
        const next = appendCapped(runs[i].output, e.text, MAX_TEST_OUTPUT_CHARS);
        runs[i] = { ...runs[i], output: next.text, truncated: runs[i].truncated || next.truncated };
        return { ...t, testRuns: runs };
      });
    case 'verdict':
      return updateTask(state, e.taskId, (t) => updateCandidate(t, e.candidateId, (c) => ({ ...c, verdict: e.verdict, verdictSummary: e.summary, reason: e.summary, reasonSaid: e.summarySaid, ...(e.isolation ? { isolation: e.isolation } : {}) })));
    case 'stats':
      return updateTask(state, e.taskId, (t) => ({ ...t, stats: e.stats }));
    case 'warning':
      return updateTask(state, e.taskId, (t) => ({ ...t, warnings: [...t.warnings, e.message] }));
    case 'task-finished':
      return updateTask(state, e.taskId, (t) => {
        let next: TaskView = {
          ...t, outcome: e.outcome, message: e.message, explanation: e.explanation, phase: 'done',
          ...(e.at !== undefined ? { finishedAt: e.at } : {}), ...(e.best ? { bestId: e.best.id } : {}),
        };
        // The card is the source of truth for a candidate it already shows: the summary only fills gaps, it never
        // changes a verdict (a summary that disagreed with its card is how "NOT verified" sat next to a ✓).
        if (e.best) {
          const best = e.best;
          next = next.candidates.some((c) => c.id === best.id)
            ? updateCandidate(next, best.id, (c) => ({ ...best, ...definedOnly(c) }))
            : { ...next, candidates: [...next.candidates, { ...best }] };
        }
        return next;
      });
    case 'candidate-resolved':
      return updateTask(state, e.taskId, (t) => updateCandidate(t, e.candidateId, (c) => ({
        ...c, resolution: e.resolution, resolutionMessage: e.message,
        ...(e.diff !== undefined ? { diff: e.diff } : {}), ...(e.files !== undefined ? { files: e.files } : {}),
      })));
    case 'baseline':
      return updateTask(state, e.taskId, (t) => ({ ...t, baseline: { runner: e.runner, passed: e.passed, failed: e.failed, failing: e.failing, targets: e.targets, message: e.message } }));
    case 'mutation-check':
      return updateTask(state, e.taskId, (t) => updateCandidate(t, e.candidateId, (c) => ({ ...c, mutation: { mutation: e.mutation, killed: e.killed } })));
    case 'budget':
      return updateTask(state, e.taskId, (t) => ({ ...t, budget: { tokensUsed: e.tokensUsed, tokenBudget: e.tokenBudget, elapsedMs: e.elapsedMs, timeBudgetMs: e.timeBudgetMs } }));
    default: {
      // Exhaustive over today's events; an event type added later is ignored rather than crashing the panel.
      const _unknown: never = e;
      void _unknown;
      return state;
    }
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function reduceAll(state: PanelState, events: readonly PanelEvent[]): PanelState {
  return events.reduce(reducePanel, state);
}

/**
 * Only a verified candidate that is still pending may be accepted. This is the one rule the whole product
 * rests on, so the webview and the adapter both ask this function rather than re-deriving it.
 */
export function canAccept(c: Pick<CandidateView, 'verdict' | 'resolution'>): boolean {
  return isVerified(c) && c.resolution === undefined;
}

/** The conversation a task belongs to: its first task's id. */
export function threadIdOf(t: Pick<TaskView, 'taskId' | 'threadId'>): string {
  return t.threadId ?? t.taskId;
}

/** The turns of one conversation, oldest first. */
export function threadTasks(state: PanelState, threadId: string): TaskView[] {
  return state.tasks.filter((t) => threadIdOf(t) === threadId);
}

export function findCandidate(state: PanelState, taskId: string, candidateId: string): CandidateView | undefined {
  return state.tasks.find((t) => t.taskId === taskId)?.candidates.find((c) => c.id === candidateId);
}
