// User-facing strings go through l10n.t. In the extension host it is vscode.l10n.t (installed by activate());
// pure modules that unit tests load without VS Code use it too, and there it formats the English message.
// scripts/l10n-extract.mjs collects every l10n.t('…') literal into l10n/bundle.l10n.json, and the core's message
// table (core/verify/messages.ts), which say() renders.
import { renderMessage, type Message } from '../core/verify/messages';

export type L10nArg = string | number | boolean;
type Translate = (message: string, ...args: L10nArg[]) => string;

/** Replaces {0}, {1}, … like vscode.l10n.t does when no translation is loaded. */
export function formatMessage(message: string, ...args: L10nArg[]): string {
  return message.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));
}

let translate: Translate = formatMessage;

export const l10n = {
  t(message: string, ...args: L10nArg[]): string { return translate(message, ...args); },
  /** Called once by activate() with vscode.l10n.t. */
  use(fn: Translate): void { translate = fn; },
  /** A core message in the user's language: its English template is the translation key. */
  say(m: Message): string { return renderMessage(m, (template, args) => translate(template, ...args)); },
};
