// Renders the panel from (snapshot, state, view) with lit-html. No state of its own: main.ts keeps what the user
// typed, opened and searched across renders. Every control is a <button>, an <input> or a <details> summary, so
// Tab/Enter/Space work. What a card says and offers is decided in present.ts; this file only lays it out.
// lit-html keeps each node between renders and writes only what changed: nothing here restores focus, the caret,
// a selection or the scroll position, because nothing takes them away.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import { live } from 'lit-html/directives/live.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { when } from 'lit-html/directives/when.js';
import { CancelTaskToExtension, ClearHistoryToExtension, create, FollowUpToExtension, OpenLocationToExtension, RemoveTaskToExtension, shortModelName } from '../protocol';
import type { PanelSnapshot, PanelState, QueuedView, TaskView } from '../protocol';
import { cards, outputPre } from './card';
import { composer } from './composer';
import { l10n } from './l10n';
import { button, command, details, type Ctx, type Post } from './parts';
import {
  attemptLabel, cardGroups, detailsLine, followUpTarget, historyRows, matchesSearch, outcomeLabel, phaseLabel, supersededTurns, taskSummary,
  taskTitle, threads, waitingGroups, type Thread, type WaitingGroup,
} from './present';
import { nextRequestId } from './viewState';


export function modelLine(s: PanelSnapshot): string {
  const m = s.model;
  switch (m.kind) {
    case 'not-configured': return l10n.t('No model configured');
    case 'not-downloaded': return l10n.t('Model not downloaded: {0}', m.model);
    case 'missing-file': return l10n.t('Model file not found: {0}', m.model);
    case 'downloading': return l10n.t('Downloading {0}: {1}%', m.model, m.percent.toFixed(0));
    case 'unloaded': return l10n.t('Model: {0} (loads on first use)', shortModelName(m.model));
    case 'loading': return l10n.t('Loading {0}…', shortModelName(m.model));
    case 'ready': return l10n.t('Ready: {0}', shortModelName(m.model));
    case 'busy': return m.tokensPerSecond ? l10n.t('Working: {0} ({1} tokens/s)', shortModelName(m.model), m.tokensPerSecond.toFixed(1)) : l10n.t('Working: {0}', shortModelName(m.model));
    case 'error': return l10n.t('Model error: {0}', m.message);
  }
}

function header(ctx: Ctx, s: PanelSnapshot): TemplateResult {
  const needsModel = s.model.kind === 'not-configured' || s.model.kind === 'not-downloaded' || s.model.kind === 'missing-file';
  const selectModel = (key: string) => button(l10n.t('Select Model…'), command(ctx, 'qwq.selectModel'), { key, className: 'secondary' });
  return html`<header class="panel-header">
    <p class="model-state model-${s.model.kind}" title=${'model' in s.model ? s.model.model ?? '' : ''}>${modelLine(s)}</p>
    ${when(needsModel, () => html`<div class="actions">${button(l10n.t('Download Model'), command(ctx, 'qwq.downloadModel'), { key: 'download-model' })}${selectModel('select-model')}</div>`)}
    ${when(s.model.kind === 'error', () => html`<div class="actions model-error-actions">${
      // A failed download or load says what to do next, here as well as in the notification. Only a stopped
      // download is retried by downloading; a failed load or a crash is not a download.
      s.model.kind === 'error' && s.model.retry === 'download' ? button(l10n.t('Retry'), command(ctx, 'qwq.downloadModel'), { key: 'retry-model' }) : nothing}${selectModel('select-model')}${button(l10n.t('Show Log'), command(ctx, 'qwq.showLog'), { key: 'show-log-error', className: 'secondary' })}</div>`)}
    ${when(!s.trusted, () => html`<div class="restricted"><p class="warning">${l10n.t('Restricted Mode: tests will not run, so edits cannot be verified. Trust this workspace to verify edits.')}</p>${button(l10n.t('Manage Workspace Trust'), command(ctx, 'workbench.trust.manage'), { key: 'manage-trust', className: 'secondary' })}</div>`)}
  </header>`;
}

/** The next turn of a thread: refines a pending edit, or continues from the files as they are. */
function followUpBox(ctx: Ctx, th: Thread): TemplateResult | typeof nothing {
  const last = th.turns[th.turns.length - 1];
  if (!last || last.outcome === 'running' || th.queued.length > 0) return nothing;
  const v = ctx.view;
  const target = followUpTarget(last);
  const k = `${th.id}/followup`;
  const send = () => {
    const typed = v.followUps[th.id] ?? '';
    const text = typed.trim();
    if (!text) return;
    const requestId = nextRequestId();
    // Kept until the extension says the turn started: a refusal loses nothing.
    v.pending = { ...v.pending, [requestId]: { where: th.id, text: typed } };
    ctx.post(create(FollowUpToExtension, { taskId: last.taskId, ...(target.candidateId ? { candidateId: target.candidateId } : {}), text, requestId }));
  };
  return html`<div class="followup"><input class="followup-input" type="text" placeholder=${target.placeholder} title=${target.placeholder} data-key=${k} aria-label=${l10n.t('Follow-up')}
    .value=${live(v.followUps[th.id] ?? '')} @input=${(e: Event) => { v.followUps[th.id] = (e.currentTarget as HTMLInputElement).value; }}
    @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') { e.preventDefault(); send(); } }}>${button(l10n.t('Send'), send, { key: `${k}/send`, className: 'secondary', title: l10n.t('Continue this conversation') })}</div>`;
}

function turnHead(t: TaskView, first: boolean): TemplateResult {
  const badge = html`<span class="badge badge-outcome-${t.outcome}">${t.kind === 'explain' && t.outcome === 'no-edit' ? l10n.t('explained') : outcomeLabel(t.outcome)}</span>`;
  return first
    ? html`<div class="task-head">${badge}<strong class="task-title">${` ${taskTitle(t)}`}</strong></div>`
    : html`<div class="task-head turn-head">${badge}<span class="turn-request">${` ${taskTitle(t)}`}</span></div>`;
}

/** One turn of a thread: what was asked, how it is going, then the thinking and plan, then the result. */
function turnSection(ctx: Ctx, t: TaskView, first: boolean, superseded: boolean): TemplateResult {
  const k = t.taskId;
  const running = t.outcome === 'running';
  const baselineRun = t.testRuns.find((r) => r.candidateId === undefined);
  const line = detailsLine(t);
  const thoughts = t.thoughts.map((x, i) => ({ x, i })).filter(({ x }) => x.length > 0);
  const [lead, ...others] = cardGroups(t);
  const summary = taskSummary(t);
  const post = ctx.post;
  const thought = ({ x, i }: { x: string; i: number }) => html`<div>${thoughts.length > 1 ? html`<p class="muted">${attemptLabel(Math.max(1, i), t.maxRounds)}</p>` : nothing}<pre class="thought" data-round=${String(i)}>${x}</pre></div>`;
  return html`<section class="task turn task-${t.outcome}${first ? '' : ' followup-turn'}" data-task=${k}>
    ${turnHead(t, first)}
    ${when(running, () => html`<div class="live"><span class="phase">${phaseLabel(t, ctx.now)}</span>${button(l10n.t('Cancel'), () => post(create(CancelTaskToExtension, { taskId: k })), { key: `${k}/cancel`, className: 'secondary' })}</div>`)}
    ${when(thoughts.length > 0, () => details(ctx, `${k}/thoughts`, thoughts.length > 1 && !running ? l10n.t('Thinking ({0} attempts)', thoughts.length) : l10n.t('Thinking'), running, repeat(thoughts, (x) => x.i, thought)))}
    ${when(t.plan !== '', () => details(ctx, `${k}/plan`, l10n.t('Plan'), false, html`<pre class="plan">${t.plan}</pre>`))}
    ${when(summary !== undefined, () => html`<p class="outcome-message outcome-${t.outcome}">${summary}</p>`)}
    ${when(t.baseline, () => html`<p class="baseline">${l10n.t('Your tests before the edit ({0}): {1} passed, {2} failed', t.baseline!.runner, t.baseline!.passed, t.baseline!.failed) + (t.baseline!.targets.length ? ` · ${l10n.t('to fix: {0}', t.baseline!.targets.join(', '))}` : '')}</p>`)}
    ${when(t.explanation, () => html`<div class="explanation">${t.explanation}</div>`)}
    ${when(running && t.answer && !t.explanation && t.kind === 'explain', () => html`<div class="explanation">${t.answer}</div>`)}
    ${when(lead, () => cards(ctx, t, [lead], superseded))}
    ${when(others.length > 0, () => details(ctx, `${k}/other-attempts`, l10n.t('Other attempts ({0})', others.reduce((n, g) => n + g.rounds.length, 0)), false, cards(ctx, t, others, superseded)))}
    ${t.warnings.filter((w) => !/^Round \d+: the edit did not apply\./.test(w)).map((w) => html`<p class="warning">${w}</p>`)}
    ${when(t.context.length > 0, () => details(ctx, `${k}/context`, l10n.t('Context used ({0} snippets, {1} tokens)', t.context.length, t.contextTokens), false,
    html`<ul class="context">${t.context.map((c, i) => html`<li data-kind=${c.kind}>${button(`${c.path}:${c.startLine}-${c.endLine}`, () => post(create(OpenLocationToExtension, { path: c.path, line: c.startLine, taskId: k })), { key: `${k}/ctx/${i}`, className: 'link' })}<span class="muted">${` ${c.kind === 'attached' ? l10n.t('attached') : c.kind}${c.symbol ? ` ${c.symbol}` : ''}`}</span></li>`)}</ul>`))}
    ${when(t.toolCalls.length > 0, () => details(ctx, `${k}/tools`, l10n.t('Tool calls ({0})', t.toolCalls.length), false,
    html`<ul class="tools">${t.toolCalls.map((c) => html`<li><code>${`${c.name}(${c.args})`}</code><span class=${c.ok === false ? 'failing' : 'muted'}>${c.summary === undefined ? ' …' : ` → ${c.summary}`}</span></li>`)}</ul>`))}
    ${when(baselineRun, () => details(ctx, `${k}/tests/baseline`, `${l10n.t('Your tests before the edit (baseline)')}${baselineRun!.truncated ? ` ${l10n.t('(last part)')}` : ''}`, false, outputPre(ctx, baselineRun!.output, 'test-output', `${k}/baseline`)))}
    ${when(line !== '', () => details(ctx, `${k}/details`, l10n.t('Details'), false, html`<p class="stats muted">${line}</p>`))}
  </section>`;
}

function queuedRow(ctx: Ctx, q: QueuedView): TemplateResult {
  return html`<div class="queued" data-queued=${q.taskId}><span class="badge badge-queued">${l10n.t('queued')}</span><span class="queued-title">${` ${q.title}`}</span>${button(l10n.t('Cancel'), () => ctx.post(create(CancelTaskToExtension, { taskId: q.taskId })), { key: `queued/${q.taskId}/cancel`, className: 'secondary', title: l10n.t('Remove this task from the queue; the running one goes on') })}</div>`;
}

const queuedRows = (ctx: Ctx, list: QueuedView[]) => repeat(list, (q) => q.taskId, (q) => queuedRow(ctx, q));

/** A conversation: every turn, oldest first, then its queued turns and the box for the next one. */
function threadSection(ctx: Ctx, th: Thread): TemplateResult {
  const superseded = supersededTurns(th.turns);
  return html`<div class="thread" data-thread=${th.id} data-turns=${String(th.turns.length)}>${repeat(th.turns, (t) => t.taskId, (t, i) => turnSection(ctx, t, i === 0, superseded.has(t.taskId)))}${queuedRows(ctx, th.queued)}${followUpBox(ctx, th)}</div>`;
}

/** Queued tasks of threads not on screen: a follow-up under its conversation's title (which opens it). */
function waiting(ctx: Ctx, groups: WaitingGroup[]): TemplateResult | typeof nothing {
  if (groups.length === 0) return nothing;
  const group = (g: WaitingGroup) => (g.thread
    ? html`<div class="queued-thread" data-thread=${g.thread.id}>${button(l10n.t('Follow-up to: {0}', g.thread.title), () => ctx.focusTask(g.thread!.id), { key: `waiting/${g.thread.id}`, className: 'link queued-thread-title', title: l10n.t('Show this conversation') })}${queuedRows(ctx, g.queued)}</div>`
    : queuedRows(ctx, g.queued));
  return html`<section class="queue"><p class="muted">${l10n.t('Waiting for the running task:')}</p>${repeat(groups, (g) => g.thread?.id ?? g.queued[0].taskId, group)}</section>`;
}

function history(ctx: Ctx, list: Thread[]): TemplateResult | typeof nothing {
  if (list.length === 0) return nothing;
  const v = ctx.view;
  const rows = historyRows(list).filter((r) => matchesSearch(r, v.search));
  const row = (r: (typeof rows)[number]) => html`<li class="history-row" data-task=${r.taskId}>${button(r.title, () => ctx.focusTask(r.taskId), { key: `history/${r.taskId}`, className: 'link history-title' })}<span class="muted">${` ${r.turns ? `${l10n.t('{0} turns', r.turns)} · ` : ''}${r.outcome} · ${r.time}${r.files ? ` · ${r.files}` : ''} `}</span>${button('×', () => ctx.post(create(RemoveTaskToExtension, { taskId: r.taskId })), { key: `history/${r.taskId}/remove`, className: 'link', title: l10n.t('Remove from history') })}</li>`;
  return details(ctx, 'history', l10n.t('History ({0})', list.length), false,
    html`<input type="search" class="history-search" placeholder=${l10n.t('Search history')} data-key="history-search" aria-label=${l10n.t('Search history')} .value=${live(v.search)} @input=${(e: Event) => { v.search = (e.currentTarget as HTMLInputElement).value; ctx.onChange(); }}>`,
    html`<ul class="history">${repeat(rows, (r) => r.taskId, row)}</ul>`,
    rows.length === 0 ? html`<p class="muted">${l10n.t('No task matches.')}</p>` : nothing,
    button(l10n.t('Clear History'), () => ctx.post(create(ClearHistoryToExtension, {})), { key: 'clear-history', className: 'link' }));
}

export interface RenderOptions extends Omit<Ctx, 'post'> {
  /** The task shown in full; the newest when absent. */
  focusTaskId?: string;
}

export function renderPanel(root: HTMLElement, s: PanelSnapshot, state: PanelState, post: Post, o: RenderOptions): void {
  const ctx: Ctx = { ...o, post };
  const all = threads(state); // newest activity first
  const focused = o.focusTaskId ? state.tasks.find((t) => t.taskId === o.focusTaskId) : undefined;
  const current = all.find((th) => th.id === (focused?.threadId ?? focused?.taskId ?? o.focusTaskId)) ?? all[0];
  render(html`${header(ctx, s)}${composer(ctx, s)}${current
    // Keyed by the thread: another thread gets fresh nodes (its folds as it left them), the same one keeps its own.
    ? keyed(current.id, threadSection(ctx, current))
    : html`<p class="muted empty">${l10n.t('No task yet. Type an instruction above, or select code and run "QwQ: Edit Selection…".')}</p>`}${waiting(ctx, waitingGroups(all, current, state.queue ?? []))}${history(ctx, all.filter((th) => th !== current))}<footer class="muted">${`qwq-coder ${s.version} · `}${button(l10n.t('Show Log'), command(ctx, 'qwq.showLog'), { key: 'show-log', className: 'link' })}</footer>`, root);
}
