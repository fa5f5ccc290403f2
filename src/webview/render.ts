// Renders the panel from (snapshot, state, view). No state of its own: main.ts keeps what the user typed,
// opened and searched across re-renders. Every control is a <button>, an <input> or a <details> summary, so
// Tab/Enter/Space work. What a card says and offers is decided in present.ts; this file only lays it out.
import {
  AcceptCandidateToExtension, ApplyUnverifiedToExtension, CancelTaskToExtension, ClearHistoryToExtension, CompleteMentionToExtension, create,
  FollowUpToExtension, OpenDiffToExtension, OpenLocationToExtension, PreviewCandidateToExtension, RejectCandidateToExtension, RemoveTaskToExtension,
  RunCommandToExtension, SubmitToExtension,
} from '../protocol';
import { mentionAt, parseMentions, removeMentionAt, type ContextPill, type MentionItem, type PanelCommand, type PanelSnapshot, type ToExtension } from '../protocol';
import type { PanelState, QueuedView, TaskView } from '../protocol';
import { shortModelName } from '../protocol';
import { button, el } from './dom';
import { l10n } from './l10n';
import {
  attemptLabel, candidateStatus, cardGroups, detailsLine, followUpTarget, groupLabel, historyRows, linkify, matchesSearch, outcomeLabel,
  phaseLabel, supersededTurns, taskSummary, taskTitle, threads, warningLines, type CardGroup, type Thread,
} from './present';

export type Post = (msg: ToExtension) => void;

/** How the tests were kept from the user's files, in words (each a literal, so `npm run l10n` finds it). */
function isolationLabel(kind: 'sandbox' | 'copy' | 'checked'): string {
  switch (kind) {
    case 'sandbox': return l10n.t('Tests ran in a sandbox: your files were read-only.');
    case 'copy': return l10n.t('Tests ran in a copy of your workspace (no sandbox here).');
    case 'checked': return l10n.t('Tests ran in a copy; your installed packages were shared and checked afterwards (no sandbox here).');
  }
}

/** What the user is doing in the panel that the extension does not keep: the draft, removed pills, search. */
export interface ViewState {
  draft: string;
  /** Keys of the editor pills the user removed (file or selection), until the editor context changes. */
  removedPills: string[];
  /** Pills added with #file/#symbol, kept until submit. */
  extraPills: ContextPill[];
  search: string;
  /** Follow-up drafts, by thread. */
  followUps: Record<string, string>;
  /** The `#file:` / `#symbol:` completion open under the composer. */
  mention?: { kind: 'file' | 'symbol'; query: string; requestId: string; items: MentionItem[]; active: number };
  /** Texts sent and not yet answered: the draft is cleared only once the extension says the task started. */
  pending?: Record<string, { where: 'composer' | string; text: string }>;
}

export function emptyViewState(): ViewState {
  return { draft: '', removedPills: [], extraPills: [], search: '', followUps: {} };
}

let requests = 0;
/** A request id unique within this webview's life (submit answers and completions are matched by it). */
export function nextRequestId(): string {
  requests += 1;
  return `r${Date.now().toString(36)}-${requests}`;
}

/** The extension's answer to a submit or a follow-up: a started task clears the text that was sent; a refusal keeps it. */
export function applySubmitResult(v: ViewState, requestId: string, started: boolean): void {
  const p = v.pending?.[requestId];
  if (!p) return;
  delete v.pending![requestId];
  if (!started) return;
  if (p.where === 'composer') {
    if (v.draft.trim() === p.text.trim()) { v.draft = ''; v.extraPills = []; }
  } else if ((v.followUps[p.where] ?? '').trim() === p.text.trim()) {
    v.followUps[p.where] = '';
  }
}

/** Completions arrived: shown only if they answer the mention still being typed. */
export function applyMentions(v: ViewState, requestId: string, items: MentionItem[]): boolean {
  if (!v.mention || v.mention.requestId !== requestId) return false;
  v.mention = { ...v.mention, items, active: 0 };
  return true;
}

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

const command = (post: Post, c: PanelCommand) => () => post(create(RunCommandToExtension, { command: c }));

function header(s: PanelSnapshot, post: Post): HTMLElement {
  const needsModel = s.model.kind === 'not-configured' || s.model.kind === 'not-downloaded' || s.model.kind === 'missing-file';
  const failed = s.model.kind === 'error';
  return el('header', { className: 'panel-header' },
    el('p', { className: `model-state model-${s.model.kind}`, textContent: modelLine(s), title: 'model' in s.model ? s.model.model ?? '' : '' }),
    needsModel && el('div', { className: 'actions' },
      button(l10n.t('Download Model'), command(post, 'qwq.downloadModel'), { key: 'download-model' }),
      button(l10n.t('Select Model…'), command(post, 'qwq.selectModel'), { key: 'select-model', className: 'secondary' })),
    // A failed download or load says what to do next, here as well as in the notification.
    failed && el('div', { className: 'actions model-error-actions' },
      // Only a stopped download is retried by downloading; a failed load or a crash is not a download.
      s.model.kind === 'error' && s.model.retry === 'download' && button(l10n.t('Retry'), command(post, 'qwq.downloadModel'), { key: 'retry-model' }),
      button(l10n.t('Select Model…'), command(post, 'qwq.selectModel'), { key: 'select-model', className: 'secondary' }),
      button(l10n.t('Show Log'), command(post, 'qwq.showLog'), { key: 'show-log-error', className: 'secondary' })),
    !s.trusted && el('div', { className: 'restricted' },
      el('p', { className: 'warning', textContent: l10n.t('Restricted Mode: tests will not run, so edits cannot be verified. Trust this workspace to verify edits.') }),
      button(l10n.t('Manage Workspace Trust'), command(post, 'workbench.trust.manage'), { key: 'manage-trust', className: 'secondary' })),
  );
}

function pillKey(p: ContextPill): string {
  return p.kind === 'selection' ? `selection:${p.path}:${p.startLine}-${p.endLine}` : p.kind === 'file' ? `file:${p.path}` : `symbol:${p.symbol}`;
}

function pillLabel(p: ContextPill): string {
  if (p.kind === 'selection') return `${p.path}:${p.startLine}-${p.endLine}`;
  if (p.kind === 'file') return p.path ?? '';
  return `#${p.symbol}`;
}

/** The composer's pills: the active file and selection (removable), plus what #file/#symbol added. */
export function composerPills(s: PanelSnapshot, v: ViewState): ContextPill[] {
  const pills: ContextPill[] = [];
  if (s.editor) {
    pills.push({ kind: 'file', path: s.editor.file });
    if (s.editor.selection) pills.push({ kind: 'selection', path: s.editor.file, ...s.editor.selection });
  }
  return [...pills.filter((p) => !v.removedPills.includes(pillKey(p))), ...v.extraPills];
}

/** A mention chosen from the completion list becomes a pill; its `#kind:query` text leaves the draft. */
function chooseMention(v: ViewState, item: MentionItem, caret: number): number {
  const m = v.mention;
  if (!m) return caret;
  const pill: ContextPill = m.kind === 'file' ? { kind: 'file', path: item.value } : { kind: 'symbol', symbol: item.value, ...(item.path ? { path: item.path } : {}) };
  if (!v.extraPills.some((p) => pillKey(p) === pillKey(pill))) v.extraPills = [...v.extraPills, pill];
  const next = removeMentionAt(v.draft, caret);
  v.draft = next.text;
  v.mention = undefined;
  return next.caret;
}

function composer(s: PanelSnapshot, v: ViewState, post: Post, onChange: () => void): HTMLElement {
  const pills = composerPills(s, v);
  const submit = (kind: 'edit-selection' | 'explain') => {
    const { instruction, pills: mentioned } = parseMentions(v.draft);
    if (!instruction) return;
    const requestId = nextRequestId();
    // The text stays until the extension says the task started: a refusal or an error loses nothing.
    v.pending = { ...v.pending, [requestId]: { where: 'composer', text: v.draft } };
    v.mention = undefined;
    post(create(SubmitToExtension, { instruction, kind, pills: [...pills, ...mentioned], requestId }));
    onChange();
  };
  const input = el('textarea', {
    className: 'composer-input', value: v.draft, rows: 2,
    placeholder: l10n.t('Ask for a change…'),
    dataset: { key: 'composer' }, attrs: { 'aria-label': l10n.t('Instruction'), 'aria-describedby': 'composer-hint', 'aria-autocomplete': 'list' },
  });
  const complete = () => {
    const at = mentionAt(input.value, input.selectionStart ?? input.value.length);
    const was = v.mention;
    if (!at) { if (was) { v.mention = undefined; onChange(); } return; }
    if (was && was.kind === at.kind && was.query === at.query) return;
    const requestId = nextRequestId();
    v.mention = { kind: at.kind, query: at.query, requestId, items: was?.kind === at.kind ? was.items : [], active: 0 };
    post(create(CompleteMentionToExtension, { requestId, kind: at.kind, query: at.query }));
    onChange();
  };
  const pick = (item: MentionItem) => {
    const caret = chooseMention(v, item, input.selectionStart ?? input.value.length);
    input.value = v.draft;
    input.focus();
    input.setSelectionRange(caret, caret);
    onChange();
  };
  input.addEventListener('input', () => { v.draft = input.value; complete(); });
  input.addEventListener('click', complete);
  input.addEventListener('keydown', (e) => {
    const m = v.mention;
    if (m && m.items.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        m.active = (m.active + (e.key === 'ArrowDown' ? 1 : m.items.length - 1)) % m.items.length;
        onChange();
        return;
      }
      if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey) || e.key === 'Tab') { e.preventDefault(); pick(m.items[m.active]); return; }
    }
    if (m && e.key === 'Escape') { e.preventDefault(); v.mention = undefined; onChange(); return; }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit('edit-selection'); }
  });
  const m = v.mention;
  const list = m && el('ul', { className: 'mention-list', attrs: { role: 'listbox', 'aria-label': m.kind === 'file' ? l10n.t('Files') : l10n.t('Symbols') } },
    ...(m.items.length === 0 ? [el('li', { className: 'muted mention-empty', textContent: m.kind === 'file' ? l10n.t('No matching file') : l10n.t('No matching symbol') })]
      : m.items.map((it, i) => {
        const li = el('li', { className: `mention-item${i === m.active ? ' active' : ''}`, attrs: { role: 'option', 'aria-selected': String(i === m.active) }, dataset: { value: it.value } },
          el('span', { className: 'mention-value', textContent: it.value }),
          it.detail ? el('span', { className: 'muted mention-detail', textContent: ` ${it.detail}` }) : false);
        // mousedown, not click: the textarea must not lose its caret before the choice is made.
        li.addEventListener('mousedown', (e) => { e.preventDefault(); pick(it); });
        return li;
      })));
  const sending = Object.values(v.pending ?? {}).some((p) => p.where === 'composer');
  return el('section', { className: 'composer' },
    el('div', { className: 'pills' },
      ...pills.map((p) => el('span', { className: `pill pill-${p.kind}`, title: pillLabel(p), dataset: { pill: pillKey(p) } },
        el('span', { textContent: pillLabel(p) }),
        button('×', () => {
          const k = pillKey(p);
          if (v.extraPills.some((x) => pillKey(x) === k)) v.extraPills = v.extraPills.filter((x) => pillKey(x) !== k);
          else v.removedPills = [...v.removedPills, k];
          onChange();
        }, { key: `pill/${pillKey(p)}`, className: 'pill-remove', title: l10n.t('Remove this context') }))),
      pills.length === 0 && el('span', { className: 'muted', textContent: l10n.t('No file in context') })),
    input,
    list,
    el('p', { className: 'muted composer-hint', id: 'composer-hint', textContent: sending ? l10n.t('Sending…') : l10n.t('Ctrl+Enter sends · #file: or #symbol: adds context') }),
    el('div', { className: 'actions' },
      button(l10n.t('Edit'), () => submit('edit-selection'), { key: 'composer-edit', title: l10n.t('Ask for an edit; it is shown only after your tests pass') }),
      button(l10n.t('Explain'), () => submit('explain'), { key: 'composer-explain', className: 'secondary' }),
      button(l10n.t('Fix Failing Tests'), command(post, 'qwq.fixFailingTests'), { key: 'composer-fix', className: 'secondary' })),
  );
}

/** Colors a unified diff line by line (text only: never innerHTML with model output). */
export function renderDiff(diff: string): HTMLElement {
  const pre = el('pre', { className: 'diff' });
  // jsdiff's "Index:" and "=====" header lines say nothing the ---/+++ lines don't.
  for (const line of diff.split('\n').filter((l) => !/^(Index: |={10,}$)/.test(l))) {
    const cls = line.startsWith('+++') || line.startsWith('---') ? 'file'
      : line.startsWith('@@') ? 'hunk'
        : line.startsWith('+') ? 'add'
          : line.startsWith('-') ? 'del' : 'ctx';
    pre.append(el('span', { className: `diff-${cls}`, textContent: `${line}\n` }));
  }
  return pre;
}

function details(key: string, summary: string | Node, openByDefault: boolean, ...body: (Node | false | undefined)[]): HTMLDetailsElement {
  return el('details', { open: openByDefault, dataset: { key } }, el('summary', {}, summary), ...body);
}

/** Test output with `path:line` links that open the user's file. */
function outputPre(text: string, className: string, key: string, post: Post): HTMLElement {
  const taskId = key.split('/')[0];
  const pre = el('pre', { className });
  linkify(text).forEach((p, i) => {
    if ('path' in p) pre.append(button(p.text, () => post(create(OpenLocationToExtension, { path: p.path, line: p.line, taskId })), { key: `${key}/link/${i}`, className: 'link file-link', title: l10n.t('Open {0} at line {1}', p.path, p.line) }));
    else pre.append(p.text);
  });
  return pre;
}

/** Newly failing or passing tests; each links to its definition when the extension found it. */
function testList(t: TaskView, label: string, ids: string[], className: string, post: Post): HTMLElement {
  return el('div', { className: `tests ${className}` }, el('span', { textContent: label }),
    el('ul', {}, ...ids.map((id, i) => {
      const at = t.testLocations?.[id];
      return el('li', {}, at
        ? button(id, () => post(create(OpenLocationToExtension, { path: at.path, line: at.line, taskId: t.taskId })), { key: `${t.taskId}/${className}/${i}`, className: 'link test-link', title: l10n.t('Open {0} at line {1}', at.path, at.line) })
        : el('code', { textContent: id }));
    })));
}

function candidateCard(t: TaskView, g: CardGroup, post: Post, superseded = false): HTMLElement {
  const c = g.lead;
  const ref = { taskId: t.taskId, candidateId: c.id };
  const key = `${t.taskId}/${c.id}`;
  const status = candidateStatus(t, c);
  // A later turn's edit was accepted: this earlier version can be read and compared, not applied over it.
  const st = superseded ? { ...status, accept: false, applyUnverified: false, preview: false } : status;
  const actions = el('div', { className: 'actions card-actions' });
  // The rule: no Accept button unless the candidate passed verification and is still pending.
  if (st.accept) actions.append(button(l10n.t('Accept'), () => post(create(AcceptCandidateToExtension, ref)), { key: `${key}/accept`, title: l10n.t('Apply this verified edit to your files (one undo step)') }));
  if (st.preview) actions.append(button(c.previewing ? l10n.t('Previewing in the editor') : l10n.t('Preview in Editor'), () => post(create(PreviewCandidateToExtension, ref)), { key: `${key}/preview`, className: 'secondary', title: l10n.t('Show the change in your file, with Accept and Reject per hunk') }));
  if (st.reject) actions.append(button(l10n.t('Reject'), () => post(create(RejectCandidateToExtension, ref)), { key: `${key}/reject`, className: 'secondary' }));
  if (st.applyUnverified) actions.append(button(l10n.t('Apply unverified…'), () => post(create(ApplyUnverifiedToExtension, ref)), { key: `${key}/apply-unverified`, className: 'danger-link', title: l10n.t('This edit did not pass verification; you will be asked to confirm') }));
  if (!c.applyError && c.diff.trim() !== '') {
    for (const f of c.files) {
      actions.append(button(c.files.length > 1 ? l10n.t('Open Diff: {0}', f) : l10n.t('Open Diff'), () => post(create(OpenDiffToExtension, { ...ref, file: f })), { key: `${key}/diff/${f}`, className: 'secondary' }));
    }
  }
  const run = t.testRuns.find((r) => r.candidateId === c.id);
  const resolution: Record<string, string> = {
    accepted: l10n.t('accepted'), partial: l10n.t('partly accepted'), rejected: l10n.t('rejected'), stale: l10n.t('not applied: the file changed'),
    undone: l10n.t('accepted, then undone'), 'applied-unverified': l10n.t('applied unverified'),
  };
  const hasActions = actions.childElementCount > 0;
  return el('article', { className: `candidate verdict-${st.badge}`, dataset: { candidate: c.id, verdict: st.badge, attempts: g.rounds.join(',') } },
    el('div', { className: 'candidate-head' },
      el('span', { className: `badge badge-${st.badge}`, textContent: st.label }),
      el('span', { className: 'muted attempts', textContent: ` ${groupLabel(g, t.maxRounds)}${c.files.length && !c.applyError ? ` · ${c.files.join(', ')}` : ''}` }),
      c.resolution && el('span', { className: `resolution resolution-${c.resolution}`, textContent: ` · ${resolution[c.resolution] ?? c.resolution}` })),
    st.reason && el('p', { className: 'verdict-summary', textContent: st.reason }),
    c.isolation && el('p', { className: 'muted verdict-isolation', dataset: { isolation: c.isolation }, textContent: isolationLabel(c.isolation) }),
    c.resolutionMessage && el('p', { className: 'muted', textContent: c.resolutionMessage }),
    superseded && c.resolution === undefined && el('p', { className: 'muted superseded', textContent: l10n.t('A later turn of this conversation was accepted instead.') }),
    c.applyError ? details(`${key}/apply-error`, l10n.t('Why it did not apply'), false, el('pre', { className: 'test-output', textContent: c.applyError })) : false,
    c.mutation ? el('p', { className: c.mutation.killed ? 'muted' : 'warning', textContent: c.mutation.killed ? l10n.t('The new tests catch a broken copy of the code ({0}).', c.mutation.mutation) : l10n.t('The new tests did NOT catch a broken copy of the code ({0}).', c.mutation.mutation) }) : false,
    c.marks?.length ? el('ul', { className: 'marks' }, ...c.marks.map((m, i) => el('li', { className: `mark mark-${m.kind}` },
      el('span', { className: 'badge badge-mark', textContent: m.kind === 'changes-tests' ? l10n.t('changes your tests') : l10n.t('look at this line') }), ' ',
      button(`${m.path}:${m.line}`, () => post(create(OpenLocationToExtension, { path: m.path, line: m.line, taskId: t.taskId })), { key: `${key}/mark/${i}`, className: 'link file-link' }),
      el('span', { className: 'muted', textContent: ` ${m.why}` })))) : false,
    c.newlyFailing?.length ? testList(t, l10n.t('Newly failing:'), c.newlyFailing, 'failing', post) : false,
    c.newlyPassing?.length ? testList(t, l10n.t('Newly passing:'), c.newlyPassing, 'passing', post) : false,
    c.failureOutput ? details(`${key}/failure`, l10n.t('Failing test output'), true, outputPre(c.failureOutput, 'test-output failure-output', `${key}/failure`, post)) : false,
    c.diff !== '' && details(`${key}/diffview`, l10n.t('Diff'), st.badge === 'verified' || st.badge === 'regressed', renderDiff(c.diff)),
    run && details(`${key}/run`, `${l10n.t('Your tests with this edit (attempt {0})', c.round)}${run.truncated ? ` ${l10n.t('(last part)')}` : ''}`, false,
      outputPre(run.output, 'test-output', `${key}/run`, post)),
    hasActions && actions,
  );
}

/** The next turn of a thread: refines a pending edit, or continues from the files as they are. */
function followUpBox(th: Thread, v: ViewState, post: Post): HTMLElement | false {
  const last = th.turns[th.turns.length - 1];
  if (!last || last.outcome === 'running' || th.queued.length > 0) return false;
  const target = followUpTarget(last);
  const k = `${th.id}/followup`;
  const input = el('input', {
    className: 'followup-input', value: v.followUps[th.id] ?? '', type: 'text',
    placeholder: target.placeholder, title: target.placeholder,
    dataset: { key: k }, attrs: { 'aria-label': l10n.t('Follow-up') },
  });
  const send = () => {
    const text = input.value.trim();
    if (!text) return;
    const requestId = nextRequestId();
    v.followUps[th.id] = input.value;
    // Kept until the extension says the turn started: a refusal loses nothing.
    v.pending = { ...v.pending, [requestId]: { where: th.id, text: input.value } };
    post(create(FollowUpToExtension, { taskId: last.taskId, ...(target.candidateId ? { candidateId: target.candidateId } : {}), text, requestId }));
  };
  input.addEventListener('input', () => { v.followUps[th.id] = input.value; });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); send(); } });
  return el('div', { className: 'followup' }, input, button(l10n.t('Send'), send, { key: `${k}/send`, className: 'secondary', title: l10n.t('Continue this conversation') }));
}

/** One turn of a thread: what was asked, how it is going, then the thinking and plan, then the result. */
function turnSection(t: TaskView, s: { v: ViewState; now: number; first: boolean; superseded: boolean }, post: Post): HTMLElement {
  const k = t.taskId;
  const running = t.outcome === 'running';
  const baselineRun = t.testRuns.find((r) => r.candidateId === undefined);
  const line = detailsLine(t);
  const thoughts = t.thoughts.map((x, i) => ({ x, i })).filter(({ x }) => x.length > 0);
  const groups = cardGroups(t);
  const [lead, ...others] = groups;
  const summary = taskSummary(t);
  const badge = el('span', { className: `badge badge-outcome-${t.outcome}`, textContent: t.kind === 'explain' && t.outcome === 'no-edit' ? l10n.t('explained') : outcomeLabel(t.outcome) });
  const body: (Node | false | undefined)[] = [
    running && el('div', { className: 'live' },
      el('span', { className: 'phase', textContent: phaseLabel(t, s.now) }),
      button(l10n.t('Cancel'), () => post(create(CancelTaskToExtension, { taskId: k })), { key: `${k}/cancel`, className: 'secondary' })),
    // How it got there comes first, folded once done; the result follows.
    thoughts.length > 0 && details(`${k}/thoughts`, thoughts.length > 1 && !running ? l10n.t('Thinking ({0} attempts)', thoughts.length) : l10n.t('Thinking'), running,
      ...thoughts.map(({ x, i }) => el('div', {}, thoughts.length > 1 ? el('p', { className: 'muted', textContent: attemptLabel(Math.max(1, i), t.maxRounds) }) : false, el('pre', { className: 'thought', textContent: x, dataset: { round: String(i) } })))),
    t.plan !== '' && details(`${k}/plan`, l10n.t('Plan'), false, el('pre', { className: 'plan', textContent: t.plan })),
    summary !== undefined && el('p', { className: `outcome-message outcome-${t.outcome}`, textContent: summary }),
    t.baseline && el('p', { className: 'baseline', textContent: l10n.t('Your tests before the edit ({0}): {1} passed, {2} failed', t.baseline.runner, t.baseline.passed, t.baseline.failed) + (t.baseline.targets.length ? ` · ${l10n.t('to fix: {0}', t.baseline.targets.join(', '))}` : '') }),
    t.explanation ? el('div', { className: 'explanation', textContent: t.explanation }) : false,
    running && t.answer && !t.explanation && t.kind === 'explain' ? el('div', { className: 'explanation', textContent: t.answer }) : false,
    lead && candidateCard(t, lead, post, s.superseded),
    others.length > 0 && details(`${k}/other-attempts`, l10n.t('Other attempts ({0})', others.reduce((n, g) => n + g.rounds.length, 0)), false,
      ...others.map((g) => candidateCard(t, g, post, s.superseded))),
    ...warningLines(t).map((w) => el('p', { className: 'warning', textContent: w })),
    t.context.length > 0 && details(`${k}/context`, l10n.t('Context used ({0} snippets, {1} tokens)', t.context.length, t.contextTokens), false,
      el('ul', { className: 'context' }, ...t.context.map((c, i) => el('li', { dataset: { kind: c.kind } },
        button(`${c.path}:${c.startLine}-${c.endLine}`, () => post(create(OpenLocationToExtension, { path: c.path, line: c.startLine, taskId: k })), { key: `${k}/ctx/${i}`, className: 'link' }),
        el('span', { className: 'muted', textContent: ` ${c.kind === 'attached' ? l10n.t('attached') : c.kind}${c.symbol ? ` ${c.symbol}` : ''}` }))))),
    t.toolCalls.length > 0 && details(`${k}/tools`, l10n.t('Tool calls ({0})', t.toolCalls.length), false,
      el('ul', { className: 'tools' }, ...t.toolCalls.map((c) => el('li', {},
        el('code', { textContent: `${c.name}(${c.args})` }),
        el('span', { className: c.ok === false ? 'failing' : 'muted', textContent: c.summary === undefined ? ' …' : ` → ${c.summary}` }))))),
    baselineRun && details(`${k}/tests/baseline`, `${l10n.t('Your tests before the edit (baseline)')}${baselineRun.truncated ? ` ${l10n.t('(last part)')}` : ''}`, false,
      outputPre(baselineRun.output, 'test-output', `${k}/baseline`, post)),
    line !== '' && details(`${k}/details`, l10n.t('Details'), false, el('p', { className: 'stats muted', textContent: line })),
  ];
  return el('section', { className: `task turn task-${t.outcome}${s.first ? '' : ' followup-turn'}`, dataset: { task: k } },
    s.first
      ? el('div', { className: 'task-head' }, badge, el('strong', { className: 'task-title', textContent: ` ${taskTitle(t)}` }))
      : el('div', { className: 'task-head turn-head' }, badge, el('span', { className: 'turn-request', textContent: ` ${taskTitle(t)}` })),
    ...body);
}

function queuedRow(q: QueuedView, post: Post): HTMLElement {
  return el('div', { className: 'queued', dataset: { queued: q.taskId } },
    el('span', { className: 'badge badge-queued', textContent: l10n.t('queued') }),
    el('span', { className: 'queued-title', textContent: ` ${q.title}` }),
    button(l10n.t('Cancel'), () => post(create(CancelTaskToExtension, { taskId: q.taskId })), { key: `queued/${q.taskId}/cancel`, className: 'secondary', title: l10n.t('Remove this task from the queue; the running one goes on') }));
}

/** A conversation: every turn, oldest first, then its queued turns and the box for the next one. */
function threadSection(th: Thread, s: { v: ViewState; now: number }, post: Post): HTMLElement {
  const superseded = supersededTurns(th.turns);
  return el('div', { className: 'thread', dataset: { thread: th.id, turns: String(th.turns.length) } },
    ...th.turns.map((t, i) => turnSection(t, { ...s, first: i === 0, superseded: superseded.has(t.taskId) }, post)),
    ...th.queued.map((q) => queuedRow(q, post)),
    followUpBox(th, s.v, post));
}

function history(list: Thread[], v: ViewState, post: Post, onChange: () => void, open: (threadId: string) => void): HTMLElement | false {
  if (list.length === 0) return false;
  const rows = historyRows(list).filter((r) => matchesSearch(r, v.search));
  const search = el('input', { type: 'search', className: 'history-search', value: v.search, placeholder: l10n.t('Search history'), dataset: { key: 'history-search' }, attrs: { 'aria-label': l10n.t('Search history') } });
  search.addEventListener('input', () => { v.search = search.value; onChange(); });
  return details('history', l10n.t('History ({0})', list.length), false,
    search,
    el('ul', { className: 'history' }, ...rows.map((r) => el('li', { className: 'history-row', dataset: { task: r.taskId } },
      button(r.title, () => open(r.taskId), { key: `history/${r.taskId}`, className: 'link history-title' }),
      el('span', { className: 'muted', textContent: ` ${r.turns ? `${l10n.t('{0} turns', r.turns)} · ` : ''}${r.outcome} · ${r.time}${r.files ? ` · ${r.files}` : ''} ` }),
      button('×', () => post(create(RemoveTaskToExtension, { taskId: r.taskId })), { key: `history/${r.taskId}/remove`, className: 'link', title: l10n.t('Remove from history') })))),
    rows.length === 0 && el('p', { className: 'muted', textContent: l10n.t('No task matches.') }),
    button(l10n.t('Clear History'), () => post(create(ClearHistoryToExtension, {})), { key: 'clear-history', className: 'link' }));
}

export interface RenderOptions {
  now: number;
  view: ViewState;
  /** The task shown in full; the newest when absent. */
  focusTaskId?: string;
  onChange(): void;
  focusTask(taskId: string): void;
}

export function renderPanel(root: HTMLElement, s: PanelSnapshot, state: PanelState, post: Post, o: RenderOptions): void {
  const all = threads(state); // newest activity first
  const focused = o.focusTaskId ? state.tasks.find((t) => t.taskId === o.focusTaskId) : undefined;
  const current = all.find((th) => th.id === (focused?.threadId ?? focused?.taskId ?? o.focusTaskId)) ?? all[0];
  // Queued follow-ups of the thread in view show in it; every other queued task shows above it.
  const inView = new Set(current?.queued.map((q) => q.taskId));
  const waiting = (state.queue ?? []).filter((q) => !inView.has(q.taskId));
  const past = history(all.filter((th) => th !== current), o.view, post, o.onChange, o.focusTask);
  root.replaceChildren(...[
    header(s, post),
    composer(s, o.view, post, o.onChange),
    current ? threadSection(current, { v: o.view, now: o.now }, post)
      : el('p', { className: 'muted empty', textContent: l10n.t('No task yet. Type an instruction above, or select code and run "QwQ: Edit Selection…".') }),
    waiting.length > 0 && el('section', { className: 'queue' }, el('p', { className: 'muted', textContent: l10n.t('Waiting for the running task:') }), ...waiting.map((q) => queuedRow(q, post))),
    past,
    el('footer', { className: 'muted' }, `qwq-coder ${s.version} · `,
      button(l10n.t('Show Log'), command(post, 'qwq.showLog'), { key: 'show-log', className: 'link' })),
  ].filter((x): x is HTMLElement => x !== false && x !== undefined));
}
