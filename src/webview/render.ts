// Renders the panel from (snapshot, state). No state of its own: main.ts keeps what the user opened and
// focused across re-renders. Every control is a <button> or a <details> summary, so Tab/Enter/Space work.
import type { PanelSnapshot, ToExtension } from '../protocol/messages';
import { canAccept, type CandidateView, type PanelState, type TaskView } from '../protocol/panelState';
import { button, el } from './dom';
import { shortModelName } from '../extension/model/modelPresentation';

export type Post = (msg: ToExtension) => void;

const ISOLATION_LABEL: Record<'sandbox' | 'copy' | 'checked', string> = {
  sandbox: 'Tests ran in a sandbox: your files were read-only.',
  copy: 'Tests ran in a copy of your workspace (no sandbox here).',
  checked: 'Tests ran in a copy; your installed packages were shared and checked afterwards (no sandbox here).',
};

export function modelLine(s: PanelSnapshot): string {
  const m = s.model;
  switch (m.kind) {
    case 'not-configured': return 'No model configured';
    case 'not-downloaded': return `Model not downloaded: ${m.model}`;
    case 'missing-file': return `Model file not found: ${m.model}`;
    case 'downloading': return `Downloading ${m.model}: ${m.percent.toFixed(0)}%`;
    case 'unloaded': return `Model: ${shortModelName(m.model)} (loads on first use)`;
    case 'loading': return `Loading ${shortModelName(m.model)}…`;
    case 'ready': return `Ready: ${shortModelName(m.model)}`;
    case 'busy': return `Busy: ${shortModelName(m.model)}${m.tokensPerSecond ? ` (${m.tokensPerSecond.toFixed(1)} tok/s)` : ''}`;
    case 'error': return `Model error: ${m.message}`;
  }
}

const OUTCOME_LABEL: Record<TaskView['outcome'], string> = {
  running: 'running', verified: 'verified', unverified: 'not verified', 'no-edit': 'no edit', cancelled: 'cancelled', failed: 'failed',
};

function header(s: PanelSnapshot, post: Post): HTMLElement {
  const needsModel = s.model.kind === 'not-configured' || s.model.kind === 'not-downloaded' || s.model.kind === 'missing-file' || s.model.kind === 'error';
  return el('header', { className: 'panel-header' },
    el('p', { className: `model-state model-${s.model.kind}`, textContent: modelLine(s), title: 'model' in s.model ? s.model.model ?? '' : '' }),
    needsModel && el('div', { className: 'actions' },
      button('Download Model', () => post({ type: 'runCommand', payload: { command: 'qwq.downloadModel' } }), { key: 'download-model' }),
      button('Select Model…', () => post({ type: 'runCommand', payload: { command: 'qwq.selectModel' } }), { key: 'select-model', className: 'secondary' })),
    s.trusted
      ? el('p', { className: 'muted', textContent: 'Edits are shown only after your tests pass in a shadow copy of the workspace.' })
      : el('div', { className: 'restricted' },
        el('p', { className: 'warning', textContent: 'Restricted Mode: tests will not run, so edits cannot be verified. Trust this workspace to verify edits.' }),
        button('Manage Workspace Trust', () => post({ type: 'runCommand', payload: { command: 'workbench.trust.manage' } }), { key: 'manage-trust', className: 'secondary' })),
  );
}

function details(key: string, summary: string | Node, openByDefault: boolean, ...body: (Node | false | undefined)[]): HTMLDetailsElement {
  const d = el('details', { open: openByDefault, dataset: { key } }, el('summary', {}, summary), ...body);
  return d;
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

const VERDICT_LABEL: Record<string, string> = {
  verified: '✓ verified', regressed: '✗ regressed', 'not-fixed': '✗ not fixed', inconclusive: '? inconclusive', 'no-tests': 'no tests', error: 'error', untrusted: 'not run (Restricted Mode)',
};

function candidateCard(t: TaskView, c: CandidateView, post: Post): HTMLElement {
  const ref = { taskId: t.taskId, candidateId: c.id };
  const key = `${t.taskId}/${c.id}`;
  const verdict = c.verdict ?? 'pending';
  const actions = el('div', { className: 'actions' });
  // The rule: no Accept button unless the candidate passed verification and is still pending.
  if (canAccept(c)) actions.append(button('Accept', () => post({ type: 'acceptCandidate', payload: ref }), { key: `${key}/accept`, title: 'Apply this verified edit to your files (one undo step)' }));
  if (c.resolution === undefined) actions.append(button('Reject', () => post({ type: 'rejectCandidate', payload: ref }), { key: `${key}/reject`, className: 'secondary' }));
  for (const f of c.files) {
    actions.append(button(c.files.length > 1 ? `Open Diff: ${f}` : 'Open Diff', () => post({ type: 'openDiff', payload: { ...ref, file: f } }), { key: `${key}/diff/${f}`, className: 'secondary' }));
  }
  return el('article', { className: `candidate verdict-${verdict}`, dataset: { candidate: c.id, verdict } },
    el('div', { className: 'candidate-head' },
      el('span', { className: `badge badge-${verdict}`, textContent: VERDICT_LABEL[verdict] ?? 'verifying…' }),
      el('span', { className: 'muted', textContent: ` round ${c.round} · ${c.files.join(', ')}` }),
      c.resolution && el('span', { className: `resolution resolution-${c.resolution}`, textContent: ` · ${c.resolution}` })),
    c.verdictSummary && el('p', { className: 'verdict-summary', textContent: c.verdictSummary }),
    c.isolation && el('p', { className: 'muted verdict-isolation', dataset: { isolation: c.isolation }, textContent: ISOLATION_LABEL[c.isolation] }),
    c.resolutionMessage && el('p', { className: 'muted', textContent: c.resolutionMessage }),
    c.applyError ? el('pre', { className: 'test-output failure-output', textContent: `The edit did not apply: ${c.applyError}` }) : false,
    c.mutation ? el('p', { className: c.mutation.killed ? 'muted' : 'warning', textContent: c.mutation.killed ? `The new tests catch a broken copy of the code (${c.mutation.mutation}).` : `The new tests did NOT catch a broken copy of the code (${c.mutation.mutation}).` }) : false,
    c.newlyFailing?.length ? el('p', { className: 'failing', textContent: `Newly failing: ${c.newlyFailing.join(', ')}` }) : false,
    c.failureOutput ? details(`${key}/failure`, 'Failing test output', true, el('pre', { className: 'test-output failure-output', textContent: c.failureOutput })) : false,
    c.diff !== '' && details(`${key}/diffview`, 'Diff', verdict === 'verified' || verdict === 'regressed', renderDiff(c.diff)),
    actions,
  );
}

function taskSection(t: TaskView, latest: boolean, post: Post): HTMLElement {
  const k = t.taskId;
  const running = t.outcome === 'running';
  const stats = t.stats
    ? `${t.stats.completionTokens} tokens · ${t.stats.tokensPerSecond.toFixed(1)} tok/s · first token ${Math.round(t.stats.timeToFirstTokenMs)} ms · ${t.stats.reusedTokens}/${t.stats.promptTokens} prompt tokens reused`
    : '';
  const body: (Node | false | undefined)[] = [
    el('p', { className: 'instruction', textContent: t.instruction }),
    running && el('p', { className: 'phase', textContent: `${t.phase}${t.round > 0 ? ` · round ${t.round}` : ''}…` }),
    stats !== '' && el('p', { className: 'stats muted', textContent: stats }),
    t.budget && el('p', { className: 'stats muted', textContent: `budget: ${t.budget.tokensUsed}/${t.budget.tokenBudget} tokens · ${(t.budget.elapsedMs / 1000).toFixed(1)}/${(t.budget.timeBudgetMs / 1000).toFixed(0)} s` }),
    t.baseline && el('p', { className: 'baseline', textContent: `Tests before the edit (${t.baseline.runner}): ${t.baseline.passed} passed, ${t.baseline.failed} failed${t.baseline.targets.length ? ` · to fix: ${t.baseline.targets.join(', ')}` : ''}` }),
    running && button('Cancel', () => post({ type: 'cancelTask', payload: { taskId: k } }), { key: `${k}/cancel`, className: 'secondary' }),
    t.thoughts.some((x) => x.length > 0) && details(`${k}/thoughts`, 'Thinking', running || latest,
      ...t.thoughts.filter((x) => x.length > 0).map((x, i) => el('pre', { className: 'thought', textContent: x, dataset: { round: String(i) } }))),
    t.plan !== '' && details(`${k}/plan`, 'Plan', true, el('pre', { className: 'plan', textContent: t.plan })),
    t.context.length > 0 && details(`${k}/context`, `Context used (${t.context.length} snippets, ${t.contextTokens} tokens)`, latest,
      el('ul', { className: 'context' }, ...t.context.map((c, i) => el('li', {},
        button(`${c.path}:${c.startLine}-${c.endLine}`, () => post({ type: 'openLocation', payload: { path: c.path, line: c.startLine } }), { key: `${k}/ctx/${i}`, className: 'link' }),
        el('span', { className: 'muted', textContent: ` ${c.kind}${c.symbol ? ` ${c.symbol}` : ''}` }))))),
    t.toolCalls.length > 0 && details(`${k}/tools`, `Tool calls (${t.toolCalls.length})`, false,
      el('ul', { className: 'tools' }, ...t.toolCalls.map((c) => el('li', {},
        el('code', { textContent: `${c.name}(${c.args})` }),
        el('span', { className: c.ok === false ? 'failing' : 'muted', textContent: c.summary === undefined ? ' …' : ` → ${c.summary}` }))))),
    ...t.testRuns.map((r, i) => details(`${k}/tests/${i}`, `Test run: ${r.candidateId ? `candidate ${r.candidateId}` : 'baseline'}${r.truncated ? ' (tail)' : ''}`, running,
      el('pre', { className: 'test-output', textContent: r.output }))),
    ...t.warnings.map((w) => el('p', { className: 'warning', textContent: w })),
    ...t.candidates.map((c) => candidateCard(t, c, post)),
    t.message !== undefined && !running && el('p', { className: `outcome-message outcome-${t.outcome}`, textContent: t.message }),
    t.explanation ? details(`${k}/explanation`, 'Explanation', true, el('div', { className: 'explanation', textContent: t.explanation })) : false,
  ];
  return el('section', { className: `task task-${t.outcome}`, dataset: { task: k } },
    details(`${k}/task`, el('span', {},
      el('span', { className: `badge badge-outcome-${t.outcome}`, textContent: OUTCOME_LABEL[t.outcome] }),
      el('strong', { textContent: ` ${t.kind}` })), latest, ...body));
}

export function renderPanel(root: HTMLElement, s: PanelSnapshot, state: PanelState, post: Post): void {
  const tasks = state.tasks.slice().reverse(); // newest first: the current task is what the user looks at
  root.replaceChildren(
    el('h2', { textContent: 'QwQ Reasoning' }),
    header(s, post),
    tasks.length === 0
      ? el('div', { className: 'empty' },
        el('p', { className: 'muted', textContent: 'No task yet. Select code and run "QwQ: Edit Selection…", or run "QwQ: Fix Failing Tests".' }),
        button('Edit Selection…', () => post({ type: 'runCommand', payload: { command: 'qwq.editSelection' } }), { key: 'edit-selection', className: 'secondary' }))
      : el('div', { className: 'tasks' }, ...tasks.map((t, i) => taskSection(t, i === 0, post))),
    el('footer', { className: 'muted' }, `qwq-coder ${s.version} · `,
      button('Show Log', () => post({ type: 'runCommand', payload: { command: 'qwq.showLog' } }), { key: 'show-log', className: 'link' }),
      tasks.length > 0 && ' · ',
      tasks.length > 0 && button('Clear History', () => post({ type: 'clearHistory', payload: {} }), { key: 'clear-history', className: 'link' })),
  );
}
