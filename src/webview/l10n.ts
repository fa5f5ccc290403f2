// The panel's strings go through @vscode/l10n, which works outside the extension host: the extension sends
// the loaded bundle (vscode.l10n.bundle) with the snapshot, and config() installs it. Without a bundle the
// English message is formatted. scripts/l10n-extract.mjs collects these l10n.t('…') literals too.
import * as vl10n from '@vscode/l10n';
import { renderMessage, type Message } from '../protocol';

let configured: string | undefined;

export const l10n = {
  t(message: string, ...args: Array<string | number | boolean>): string {
    return vl10n.t(message, ...args);
  },
  /** A core message (the verdict sentences) in the user's language: its English template is the translation key. */
  say(m: Message): string {
    return renderMessage(m, (template, args) => vl10n.t(template, ...args));
  },
  /** Installs a bundle (message → translation); the same bundle again is a no-op. */
  config(contents: Record<string, string> | undefined): void {
    if (!contents) return;
    const key = JSON.stringify(contents);
    if (key === configured) return;
    configured = key;
    vl10n.config({ contents });
  },
};
