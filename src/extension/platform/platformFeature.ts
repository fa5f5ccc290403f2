// The platform around the features: Restricted Mode (which settings an untrusted workspace may not choose),
// temp folders left by a killed run, and the walkthrough on first activation.
import * as vscode from 'vscode';
import { sweepStaleRuns } from '../../core/verify';
import type { IDisposable } from '../../core/util';
import type { ExtensionCtx } from '../extensionContext';
import { workspaceSetRestrictedKeys } from '../settings';
import { l10n } from '../l10n';

export interface PlatformFeature extends IDisposable {
  /**
   * In Restricted Mode a model, server or command that the workspace's own settings name is never used: the
   * reason, when one of `keys` (full ids) is set by the workspace; undefined when it may be used.
   */
  blockedBy(keys: readonly string[]): string | undefined;
  /** The steps after every feature registered: the walkthrough, and the log line saying so. */
  activated(): void;
}

export function registerPlatform(ctx: ExtensionCtx): PlatformFeature {
  // Shadow and results folders left by a killed run (their owner process is gone) are removed, off the activation path.
  const sweep = setImmediate(() => {
    try {
      const swept = sweepStaleRuns();
      if (swept.removed.length) ctx.log.info(`removed ${swept.removed.length} temp folder(s) left by an earlier run that was killed`);
    } catch { /* best effort */ }
  });
  return {
    blockedBy(keys) {
      if (vscode.workspace.isTrusted) return undefined;
      const set = workspaceSetRestrictedKeys(vscode.workspace.getConfiguration('qwq')).filter((k) => keys.includes(k));
      if (set.length === 0) return undefined;
      return l10n.t('Restricted Mode: this workspace\'s settings choose {0}. QwQ Coder does not load a model or contact a server that an untrusted workspace chose. Trust the workspace, or set the model in your user settings.', set.join(', '));
    },
    activated() {
      openWalkthroughOnce(ctx.extension);
      ctx.log.info(`QwQ Coder ${ctx.version} activated (workspace trusted: ${vscode.workspace.isTrusted})`);
    },
    dispose: () => clearImmediate(sweep),
  };
}

/**
 * The first activation opens the walkthrough, once (unless the user turned startup editors off). Its steps
 * complete themselves from context keys (trackContextKeys), each ANDed with qwq.walkthroughReady, which is set
 * only once the walkthrough is registered: VS Code records a completion key that is already true when a
 * walkthrough registers as seen without ticking the step, and never ticks it later in that session (a model
 * ready before the Welcome page had loaded stayed unticked while the status bar said ready).
 */
function openWalkthroughOnce(context: vscode.ExtensionContext): void {
  const KEY = 'qwq.walkthroughShown';
  const ready = (): void => { void vscode.commands.executeCommand('setContext', 'qwq.walkthroughReady', true); };
  const open = !context.globalState.get<boolean>(KEY)
    && (vscode.workspace.getConfiguration('workbench').get<string>('startupEditor') !== 'none' || !!process.env.QWQ_FIRST_RUN);
  if (!open) { setTimeout(ready, 5000); return; }
  void context.globalState.update(KEY, true);
  const openIt = () => Promise.resolve(vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#qwq.gettingStarted`, false));
  // Asked before the workbench settled, the command can end on the generic Welcome page (seen under `npm start`:
  // the workbench's own startup page, opened into the same tab, replaces ours). Ours and the generic page are one
  // editor, which the API shows the same way (label "Welcome", no tab input), so which one shows cannot be read.
  // What can be seen is that something changed that tab after ours was shown: only then is it asked once more,
  // and only if the user has done nothing since, so that it does not take focus from someone at work (re-showing
  // it every time did: it closed Quick Open under a user, and an Escape then sent the walkthrough back to the
  // generic page, VS Code's welcome.goBack).
  let watch: ReturnType<typeof watchWelcomeTab> | undefined;
  void openIt().then(() => { watch = watchWelcomeTab(); return new Promise((r) => setTimeout(r, 3000)); }).then(() => {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    const again = watch?.replaced() && !watch.userActive() && tab && isWelcomeTab(tab);
    watch?.dispose();
    return again ? openIt() : undefined;
  }).then(ready, ready);
  // Trusting the workspace (the walkthrough's second step) makes the workbench put its generic Welcome page in
  // the walkthrough's tab: show ours again, with that step now ticked.
  const onTrust = vscode.workspace.onDidGrantWorkspaceTrust(() => {
    onTrust.dispose();
    setTimeout(() => {
      if (vscode.window.tabGroups.all.some((g) => g.tabs.some(isWelcomeTab))) void openIt();
    }, 1000);
  });
  context.subscriptions.push(onTrust);
}

/** A Welcome tab: the walkthrough or the generic Welcome page (one editor, with no tab input the API can name). */
function isWelcomeTab(tab: vscode.Tab): boolean {
  return tab.label === 'Welcome' && tab.input === undefined;
}

/**
 * From now on: whether a Welcome tab was opened or changed (its editor was given other options, by the workbench
 * or by someone), and whether the user did anything: opened, closed or switched another editor or tab, moved the
 * cursor or typed in an editor, or used a terminal. (Typing in Quick Open or the palette is not seen: the API
 * says nothing of it.)
 */
function watchWelcomeTab(): { replaced(): boolean; userActive(): boolean } & vscode.Disposable {
  let replaced = false;
  let active = false;
  const saw = () => { active = true; };
  const subs = [
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      const tabs = [...e.opened, ...e.closed, ...e.changed];
      if (tabs.some((t) => !isWelcomeTab(t))) active = true;
      if ([...e.opened, ...e.changed].some(isWelcomeTab)) replaced = true;
    }),
    vscode.window.tabGroups.onDidChangeTabGroups(saw),
    vscode.window.onDidChangeActiveTextEditor((e) => { if (e) saw(); }),
    vscode.window.onDidChangeTextEditorSelection(saw),
    vscode.window.onDidChangeActiveTerminal(saw),
    vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length && (e.document.uri.scheme === 'file' || e.document.uri.scheme === 'untitled')) saw(); }),
  ];
  return { replaced: () => replaced, userActive: () => active, dispose: () => { for (const d of subs) d.dispose(); } };
}
