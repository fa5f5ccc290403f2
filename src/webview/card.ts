// A candidate's card: its verdict in words, why, how the tests were isolated, what it marks, its test output and
// diff, and the buttons present.ts allows. Model and test output is only ever text (lit-html escapes it).
import { html, nothing, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { when } from 'lit-html/directives/when.js';
import {
  AcceptCandidateToExtension, ApplyUnverifiedToExtension, create, OpenDiffToExtension, OpenLocationToExtension, PreviewCandidateToExtension,
  RejectCandidateToExtension, type TaskView,
} from '../protocol';
import { l10n } from './l10n';
import { button, details, type Ctx } from './parts';
import { candidateStatus, groupLabel, linkify, type CardGroup } from './present';

/** How the tests were kept from the user's files, in words (each a literal, so `npm run l10n` finds it). */
function isolationLabel(kind: 'sandbox' | 'copy' | 'checked'): string {
  switch (kind) {
    case 'sandbox': return l10n.t('Tests ran in a sandbox: your files were read-only.');
    case 'copy': return l10n.t('Tests ran in a copy of your workspace (no sandbox here).');
    case 'checked': return l10n.t('Tests ran in a copy; your installed packages were shared and checked afterwards (no sandbox here).');
  }
}

/** Colors a unified diff line by line. */
export function renderDiff(diff: string): TemplateResult {
  // jsdiff's "Index:" and "=====" header lines say nothing the ---/+++ lines don't.
  const lines = diff.split('\n').filter((l) => !/^(Index: |={10,}$)/.test(l)).map((line) => {
    const cls = line.startsWith('+++') || line.startsWith('---') ? 'file'
      : line.startsWith('@@') ? 'hunk'
        : line.startsWith('+') ? 'add'
          : line.startsWith('-') ? 'del' : 'ctx';
    return html`<span class="diff-${cls}">${`${line}\n`}</span>`;
  });
  return html`<pre class="diff">${lines}</pre>`;
}

/** Test output with `path:line` links that open the user's file. */
export function outputPre(ctx: Ctx, text: string, className: string, key: string): TemplateResult {
  const taskId = key.split('/')[0];
  const parts = linkify(text).map((p, i) => ('path' in p
    ? button(p.text, () => ctx.post(create(OpenLocationToExtension, { path: p.path, line: p.line, taskId })), { key: `${key}/link/${i}`, className: 'link file-link', title: l10n.t('Open {0} at line {1}', p.path, p.line) })
    : p.text));
  return html`<pre class=${className}>${parts}</pre>`;
}

/** Newly failing or passing tests; each links to its definition when the extension found it. */
function testList(ctx: Ctx, t: TaskView, label: string, ids: string[], className: string): TemplateResult {
  const item = (id: string, i: number) => {
    const at = t.testLocations?.[id];
    return html`<li>${at
      ? button(id, () => ctx.post(create(OpenLocationToExtension, { path: at.path, line: at.line, taskId: t.taskId })), { key: `${t.taskId}/${className}/${i}`, className: 'link test-link', title: l10n.t('Open {0} at line {1}', at.path, at.line) })
      : html`<code>${id}</code>`}</li>`;
  };
  return html`<div class="tests ${className}"><span>${label}</span><ul>${ids.map(item)}</ul></div>`;
}

export function candidateCard(ctx: Ctx, t: TaskView, g: CardGroup, superseded = false): TemplateResult {
  const c = g.lead;
  const ref = { taskId: t.taskId, candidateId: c.id };
  const key = `${t.taskId}/${c.id}`;
  const status = candidateStatus(t, c);
  // A later turn's edit was accepted: this earlier version can be read and compared, not applied over it.
  const st = superseded ? { ...status, accept: false, applyUnverified: false, preview: false } : status;
  const post = ctx.post;
  const actions: TemplateResult[] = [];
  // The rule: no Accept button unless the candidate passed verification and is still pending.
  if (st.accept) actions.push(button(l10n.t('Accept'), () => post(create(AcceptCandidateToExtension, ref)), { key: `${key}/accept`, title: l10n.t('Apply this verified edit to your files (one undo step)') }));
  if (st.preview) actions.push(button(c.previewing ? l10n.t('Previewing in the editor') : l10n.t('Preview in Editor'), () => post(create(PreviewCandidateToExtension, ref)), { key: `${key}/preview`, className: 'secondary', title: l10n.t('Show the change in your file, with Accept and Reject per hunk') }));
  if (st.reject) actions.push(button(l10n.t('Reject'), () => post(create(RejectCandidateToExtension, ref)), { key: `${key}/reject`, className: 'secondary' }));
  if (st.applyUnverified) actions.push(button(l10n.t('Apply unverified…'), () => post(create(ApplyUnverifiedToExtension, ref)), { key: `${key}/apply-unverified`, className: 'danger-link', title: l10n.t('This edit did not pass verification; you will be asked to confirm') }));
  for (const f of st.openDiff) {
    actions.push(button(st.openDiff.length > 1 ? l10n.t('Open Diff: {0}', f) : l10n.t('Open Diff'), () => post(create(OpenDiffToExtension, { ...ref, file: f })), { key: `${key}/diff/${f}`, className: 'secondary' }));
  }
  const run = t.testRuns.find((r) => r.candidateId === c.id);
  const resolution: Record<string, string> = {
    accepted: l10n.t('accepted'), partial: l10n.t('partly accepted'), rejected: l10n.t('rejected'), stale: l10n.t('not applied: the file changed'),
    undone: l10n.t('accepted, then undone'), 'applied-unverified': l10n.t('applied unverified'),
  };
  const marks = c.marks ?? [];
  return html`<article class="candidate verdict-${st.badge}" data-candidate=${c.id} data-verdict=${st.badge} data-attempts=${g.rounds.join(',')}>
    <div class="candidate-head"><span class="badge badge-${st.badge}">${st.label}</span><span class="muted attempts">${` ${groupLabel(g, t.maxRounds)}${c.files.length && !c.applyError ? ` · ${c.files.join(', ')}` : ''}`}</span>${when(c.resolution, () => html`<span class="resolution resolution-${c.resolution}">${` · ${resolution[c.resolution!] ?? c.resolution}`}</span>`)}</div>
    ${when(st.reason, () => html`<p class="verdict-summary">${st.reason}</p>`)}
    ${when(c.isolation, () => html`<p class="muted verdict-isolation" data-isolation=${c.isolation!}>${isolationLabel(c.isolation!)}</p>`)}
    ${when(c.resolutionMessage, () => html`<p class="muted">${c.resolutionMessage}</p>`)}
    ${when(superseded && c.resolution === undefined, () => html`<p class="muted superseded">${l10n.t('A later turn of this conversation was accepted instead.')}</p>`)}
    ${when(c.applyError, () => details(ctx, `${key}/apply-error`, l10n.t('Why it did not apply'), false, html`<pre class="test-output">${c.applyError}</pre>`))}
    ${when(c.mutation, () => html`<p class=${c.mutation!.killed ? 'muted' : 'warning'}>${c.mutation!.killed ? l10n.t('The new tests catch a broken copy of the code ({0}).', c.mutation!.mutation) : l10n.t('The new tests did NOT catch a broken copy of the code ({0}).', c.mutation!.mutation)}</p>`)}
    ${when(marks.length, () => html`<ul class="marks">${marks.map((m, i) => html`<li class="mark mark-${m.kind}"><span class="badge badge-mark">${m.kind === 'changes-tests' ? l10n.t('changes your tests') : l10n.t('look at this line')}</span> ${button(`${m.path}:${m.line}`, () => post(create(OpenLocationToExtension, { path: m.path, line: m.line, taskId: t.taskId })), { key: `${key}/mark/${i}`, className: 'link file-link' })}<span class="muted">${` ${m.why}`}</span></li>`)}</ul>`)}
    ${when(c.newlyFailing?.length, () => testList(ctx, t, l10n.t('Newly failing:'), c.newlyFailing!, 'failing'))}
    ${when(c.newlyPassing?.length, () => testList(ctx, t, l10n.t('Newly passing:'), c.newlyPassing!, 'passing'))}
    ${when(c.failureOutput, () => details(ctx, `${key}/failure`, l10n.t('Failing test output'), true, outputPre(ctx, c.failureOutput!, 'test-output failure-output', `${key}/failure`)))}
    ${when(c.diff !== '', () => details(ctx, `${key}/diffview`, l10n.t('Diff'), st.badge === 'verified' || st.badge === 'regressed', renderDiff(c.diff)))}
    ${when(run, () => details(ctx, `${key}/run`, `${l10n.t('Your tests with this edit (attempt {0})', c.round)}${run!.truncated ? ` ${l10n.t('(last part)')}` : ''}`, false, outputPre(ctx, run!.output, 'test-output', `${key}/run`)))}
    ${actions.length > 0 ? html`<div class="actions card-actions">${actions}</div>` : nothing}
  </article>`;
}

/** The cards of one turn, keyed by their lead, so a card keeps its DOM (and what is open in it) as the turn grows. */
export function cards(ctx: Ctx, t: TaskView, groups: CardGroup[], superseded: boolean): unknown {
  return repeat(groups, (g) => g.lead.id, (g) => candidateCard(ctx, t, g, superseded));
}
