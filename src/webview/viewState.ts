// What the person is doing in the panel that the extension does not keep (the draft, removed pills, search,
// follow-up drafts, the open completion, sends not yet answered), and the pure rules that change it. No DOM:
// main.ts keeps one ViewState across renders and reloads; the templates read it.
import { removeMentionAt, type ContextPill, type MentionItem, type PanelSnapshot } from '../protocol';

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

export function pillKey(p: ContextPill): string {
  return p.kind === 'selection' ? `selection:${p.path}:${p.startLine}-${p.endLine}` : p.kind === 'file' ? `file:${p.path}` : `symbol:${p.symbol}`;
}

export function pillLabel(p: ContextPill): string {
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

/** A mention chosen from the completion list becomes a pill; its `#kind:query` text leaves the draft. Returns the caret. */
export function chooseMention(v: ViewState, item: MentionItem, caret: number): number {
  const m = v.mention;
  if (!m) return caret;
  const pill: ContextPill = m.kind === 'file' ? { kind: 'file', path: item.value } : { kind: 'symbol', symbol: item.value, ...(item.path ? { path: item.path } : {}) };
  if (!v.extraPills.some((p) => pillKey(p) === pillKey(pill))) v.extraPills = [...v.extraPills, pill];
  const next = removeMentionAt(v.draft, caret);
  v.draft = next.text;
  v.mention = undefined;
  return next.caret;
}

/** A pill's ×: a mentioned pill goes; an editor pill is hidden until the editor context changes. */
export function removePill(v: ViewState, p: ContextPill): void {
  const k = pillKey(p);
  if (v.extraPills.some((x) => pillKey(x) === k)) v.extraPills = v.extraPills.filter((x) => pillKey(x) !== k);
  else v.removedPills = [...v.removedPills, k];
}
