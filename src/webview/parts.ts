// The panel's small template pieces and the context every template gets. lit-html keeps the DOM between
// renders (it only writes what changed), so focus, the caret, a selection and the scroll position stay where
// the person left them while snapshots and thought tokens stream in.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { PanelCommand, ToExtension } from '../protocol';
import { create, RunCommandToExtension } from '../protocol';
import type { ViewState } from './viewState';

export type Post = (msg: ToExtension) => void;

/** What every template needs: where to post, the view state, and how to ask for the next render. */
export interface Ctx {
  post: Post;
  view: ViewState;
  now: number;
  /** <details> the person opened or closed by hand, by key (kept across reloads by main.ts). */
  open: Record<string, boolean>;
  /** The view state changed: persist it and render again. */
  onChange(): void;
  /** A <details> was toggled by hand: persist, nothing to render. */
  onToggle(): void;
  /** Show this thread in full. */
  focusTask(taskId: string): void;
}

export function button(label: string, onClick: () => void, opts: { className?: string; key: string; title?: string }): TemplateResult {
  return html`<button class=${opts.className ?? ''} title=${opts.title ?? nothing} data-key=${opts.key} @click=${onClick}>${label}</button>`;
}

export const command = (ctx: Ctx, c: PanelCommand) => (): void => ctx.post(create(RunCommandToExtension, { command: c }));

/**
 * A fold: open by default or as the person left it. Only a person's toggle is remembered (a click, or Enter/Space,
 * on the summary); the 'toggle' event also fires for the default set at render time, which must not stick.
 */
export function details(ctx: Ctx, key: string, summary: unknown, openByDefault: boolean, ...body: unknown[]): TemplateResult {
  const remember = (e: Event): void => {
    ctx.open[key] = !((e.currentTarget as HTMLElement).parentElement as HTMLDetailsElement).open;
    ctx.onToggle();
  };
  return html`<details data-key=${key} .open=${ctx.open[key] ?? openByDefault}><summary @click=${remember}>${summary}</summary>${body}</details>`;
}
