// The composer: pills for the context, the instruction box with #file:/#symbol: completion, and the buttons.
// The box is bound with live(): a render writes its value only when the draft differs from what is in it, so
// typing while snapshots and tokens stream in keeps the caret where it is.
import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { createRef, ref } from 'lit-html/directives/ref.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { CompleteMentionToExtension, create, mentionAt, parseMentions, SubmitToExtension, type MentionItem, type PanelSnapshot } from '../protocol';
import { l10n } from './l10n';
import { button, command, type Ctx } from './parts';
import { chooseMention, composerPills, nextRequestId, pillKey, pillLabel, removePill } from './viewState';

const box = createRef<HTMLTextAreaElement>();

export function composer(ctx: Ctx, s: PanelSnapshot): TemplateResult {
  const v = ctx.view;
  const pills = composerPills(s, v);
  const submit = (kind: 'edit-selection' | 'explain') => {
    const { instruction, pills: mentioned } = parseMentions(v.draft);
    if (!instruction) return;
    const requestId = nextRequestId();
    // The text stays until the extension says the task started: a refusal or an error loses nothing.
    v.pending = { ...v.pending, [requestId]: { where: 'composer', text: v.draft } };
    v.mention = undefined;
    ctx.post(create(SubmitToExtension, { instruction, kind, pills: [...pills, ...mentioned], requestId }));
    ctx.onChange();
  };
  const complete = () => {
    const input = box.value!;
    const at = mentionAt(input.value, input.selectionStart ?? input.value.length);
    const was = v.mention;
    if (!at) { if (was) { v.mention = undefined; ctx.onChange(); } return; }
    if (was && was.kind === at.kind && was.query === at.query) return;
    const requestId = nextRequestId();
    v.mention = { kind: at.kind, query: at.query, requestId, items: was?.kind === at.kind ? was.items : [], active: 0 };
    ctx.post(create(CompleteMentionToExtension, { requestId, kind: at.kind, query: at.query }));
    ctx.onChange();
  };
  // Choosing a completion rewrites the text, so this is the one place the caret is set by hand.
  const pick = (item: MentionItem) => {
    const input = box.value!;
    const caret = chooseMention(v, item, input.selectionStart ?? input.value.length);
    input.value = v.draft;
    input.focus();
    input.setSelectionRange(caret, caret);
    ctx.onChange();
  };
  const keydown = (e: KeyboardEvent) => {
    const m = v.mention;
    if (m && m.items.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        m.active = (m.active + (e.key === 'ArrowDown' ? 1 : m.items.length - 1)) % m.items.length;
        ctx.onChange();
        return;
      }
      if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey) || e.key === 'Tab') { e.preventDefault(); pick(m.items[m.active]); return; }
    }
    if (m && e.key === 'Escape') { e.preventDefault(); v.mention = undefined; ctx.onChange(); return; }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit('edit-selection'); }
  };
  const m = v.mention;
  const option = (it: MentionItem, i: number) => html`<li class="mention-item${i === m!.active ? ' active' : ''}" role="option" aria-selected=${String(i === m!.active)} data-value=${it.value}
    @mousedown=${(e: MouseEvent) => { e.preventDefault(); pick(it); }}><span class="mention-value">${it.value}</span>${it.detail ? html`<span class="muted mention-detail">${` ${it.detail}`}</span>` : nothing}</li>`;
  // mousedown, not click, on an option: the textarea must not lose its caret before the choice is made.
  const list = m ? html`<ul class="mention-list" role="listbox" aria-label=${m.kind === 'file' ? l10n.t('Files') : l10n.t('Symbols')}>${m.items.length === 0
    ? html`<li class="muted mention-empty">${m.kind === 'file' ? l10n.t('No matching file') : l10n.t('No matching symbol')}</li>`
    : m.items.map(option)}</ul>` : nothing;
  const sending = Object.values(v.pending ?? {}).some((p) => p.where === 'composer');
  const pill = (p: (typeof pills)[number]) => html`<span class="pill pill-${p.kind}" title=${pillLabel(p)} data-pill=${pillKey(p)}><span>${pillLabel(p)}</span>${button('×', () => { removePill(v, p); ctx.onChange(); }, { key: `pill/${pillKey(p)}`, className: 'pill-remove', title: l10n.t('Remove this context') })}</span>`;
  return html`<section class="composer">
    <div class="pills">${repeat(pills, pillKey, pill)}${pills.length === 0 ? html`<span class="muted">${l10n.t('No file in context')}</span>` : nothing}</div>
    <textarea class="composer-input" rows="2" placeholder=${l10n.t('Ask for a change…')} data-key="composer" aria-label=${l10n.t('Instruction')} aria-describedby="composer-hint" aria-autocomplete="list"
      ${ref(box)} .value=${live(v.draft)} @input=${(e: Event) => { v.draft = (e.currentTarget as HTMLTextAreaElement).value; complete(); }} @click=${complete} @keydown=${keydown}></textarea>
    ${list}
    <p class="muted composer-hint" id="composer-hint" .textContent=${sending ? l10n.t('Sending…') : l10n.t('Ctrl+Enter sends · #file: or #symbol: adds context')}></p>
    <div class="actions">${button(l10n.t('Edit'), () => submit('edit-selection'), { key: 'composer-edit', title: l10n.t('Ask for an edit; it is shown only after your tests pass') })}${button(l10n.t('Explain'), () => submit('explain'), { key: 'composer-explain', className: 'secondary' })}${button(l10n.t('Fix Failing Tests'), command(ctx, 'qwq.fixFailingTests'), { key: 'composer-fix', className: 'secondary' })}</div>
  </section>`;
}
