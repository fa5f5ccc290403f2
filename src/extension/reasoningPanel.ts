import * as vscode from 'vscode';
import { createNonce } from './nonce';
import { DisposableStore, Emitter } from '../core/util/lifecycle';
import {
  AcceptCandidateToExtension, ApplyUnverifiedToExtension, CancelTaskToExtension, ClearHistoryToExtension, CompleteMentionToExtension, create, EventsToWebview,
  FollowUpToExtension, is, isCandidateRef, isPills, MentionsToWebview, OpenDiffToExtension, SubmitResultToWebview, OpenLocationToExtension, PANEL_COMMANDS,
  PreviewCandidateToExtension, ReadyToExtension, RejectCandidateToExtension, RemoveTaskToExtension, RunCommandToExtension,
  SnapshotToWebview, StateToWebview, SubmitToExtension,
  type CandidateRef, type ContextPill, type MentionItem, type PanelCommand, type PanelSnapshot, type ToWebview,
} from '../protocol/messages';
import type { PanelStore } from './panelStore';
import { errorMessage } from '../core/util/errors';

export const REASONING_VIEW_ID = 'qwq.reasoning';

/** What the panel's buttons do; the panel itself decides nothing (Accept re-checks everything). */
export interface PanelActions {
  accept(ref: CandidateRef): Promise<void>;
  reject(ref: CandidateRef): Promise<void>;
  openDiff(ref: CandidateRef, file?: string): Promise<void>;
  preview(ref: CandidateRef): Promise<void>;
  applyUnverified(ref: CandidateRef): Promise<void>;
  /** Resolves true once the task runs or waits in the queue; false when it was refused (the text is kept). */
  submit(instruction: string, kind: 'edit-selection' | 'explain', pills: ContextPill[]): Promise<boolean>;
  followUp(taskId: string, text: string, candidateId?: string): Promise<boolean>;
  /** Completions for `#file:` (workspace files) or `#symbol:` (the symbol index). */
  completeMention(kind: 'file' | 'symbol', query: string): Promise<MentionItem[]>;
  removeTask(taskId: string): void;
  openLocation(path: string, line: number, taskId?: string): Promise<void>;
  cancel(taskId: string): void;
  clearHistory(): void;
}

/** Builds the webview's HTML: a strict CSP with a nonce; scripts and styles only from media/. */
export function renderPanelHtml(webview: Pick<vscode.Webview, 'cspSource' | 'asWebviewUri'>, extensionUri: vscode.Uri, nonce: string): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'));
  const csp = [
    `default-src 'none'`,
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>QwQ Reasoning</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">QwQ Coder is starting…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** The reasoning side panel (a webview view). It owns its webview's listeners. */
export class ReasoningPanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly viewStore = new DisposableStore();
  private readonly store = new DisposableStore();
  private readonly viewResolved = this.store.add(new Emitter<void>());
  /** Fires each time VS Code resolves the view (it does again after the view was closed). */
  readonly onDidResolveView = this.viewResolved.event;
  private readonly messages = this.store.add(new Emitter<unknown>());
  /** Every message the webview sends, before it is checked (the test API records them). */
  readonly onDidReceiveMessage = this.messages.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly snapshot: () => PanelSnapshot,
    private readonly log: vscode.LogOutputChannel,
    private readonly tasks: PanelStore,
    private readonly actions: PanelActions,
  ) {
    this.store.add(tasks.onBatch((events) => { void this.post(create(EventsToWebview, { events })); }));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewStore.clear();
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] };
    view.webview.html = renderPanelHtml(view.webview, this.extensionUri, createNonce());
    this.viewStore.add(view.webview.onDidReceiveMessage((msg: unknown) => this.onMessage(msg)));
    this.viewStore.add(view.onDidDispose(() => { this.view = undefined; this.viewStore.clear(); }));
    this.log.info('reasoning panel resolved');
    this.viewResolved.fire();
  }

  get isVisible(): boolean { return this.view?.visible ?? false; }

  /** Pushes model state and trust to the webview, if it is open. */
  refresh(): void {
    void this.post(create(SnapshotToWebview, this.snapshot()));
  }

  private post(msg: ToWebview): Thenable<boolean> | undefined {
    return this.view?.webview.postMessage(msg);
  }

  private onMessage(msg: unknown): void {
    this.messages.fire(msg);
    const run = (p: Promise<void>): void => { p.catch((e) => this.log.error(`panel action failed: ${errorMessage(e)}`)); };
    if (is(ReadyToExtension, msg)) {
      this.tasks.flush(); // anything pending is in the state we are about to send
      void this.post(create(SnapshotToWebview, this.snapshot()));
      void this.post(create(StateToWebview, { state: this.tasks.state }));
    } else if (is(RunCommandToExtension, msg) && PANEL_COMMANDS.includes(msg.payload?.command as PanelCommand)) {
      void vscode.commands.executeCommand(msg.payload.command);
    } else if (is(AcceptCandidateToExtension, msg) && isCandidateRef(msg.payload)) {
      run(this.actions.accept(msg.payload));
    } else if (is(RejectCandidateToExtension, msg) && isCandidateRef(msg.payload)) {
      run(this.actions.reject(msg.payload));
    } else if (is(OpenDiffToExtension, msg) && isCandidateRef(msg.payload)) {
      run(this.actions.openDiff(msg.payload, typeof msg.payload.file === 'string' ? msg.payload.file : undefined));
    } else if (is(PreviewCandidateToExtension, msg) && isCandidateRef(msg.payload)) {
      run(this.actions.preview(msg.payload));
    } else if (is(ApplyUnverifiedToExtension, msg) && isCandidateRef(msg.payload)) {
      run(this.actions.applyUnverified(msg.payload));
    } else if (is(SubmitToExtension, msg) && typeof msg.payload?.instruction === 'string' && msg.payload.instruction.trim() !== '' && isPills(msg.payload.pills)) {
      this.answerSubmit(msg.payload.requestId, this.actions.submit(msg.payload.instruction.trim().slice(0, 8000), msg.payload.kind === 'explain' ? 'explain' : 'edit-selection', msg.payload.pills.slice(0, 20)));
    } else if (is(FollowUpToExtension, msg) && typeof msg.payload?.taskId === 'string' && typeof msg.payload.text === 'string' && msg.payload.text.trim() !== ''
      && (msg.payload.candidateId === undefined || typeof msg.payload.candidateId === 'string')) {
      this.answerSubmit(msg.payload.requestId, this.actions.followUp(msg.payload.taskId, msg.payload.text.trim().slice(0, 8000), msg.payload.candidateId));
    } else if (is(CompleteMentionToExtension, msg) && typeof msg.payload?.requestId === 'string' && (msg.payload.kind === 'file' || msg.payload.kind === 'symbol') && typeof msg.payload.query === 'string') {
      const { requestId, kind } = msg.payload;
      const query = msg.payload.query.slice(0, 200);
      run(this.actions.completeMention(kind, query).then((items) => { void this.post(create(MentionsToWebview, { requestId, kind, query, items: items.slice(0, 50) })); }));
    } else if (is(RemoveTaskToExtension, msg) && typeof msg.payload?.taskId === 'string') {
      this.actions.removeTask(msg.payload.taskId);
    } else if (is(OpenLocationToExtension, msg) && typeof msg.payload?.path === 'string' && Number.isInteger(msg.payload.line)
      && !msg.payload.path.startsWith('/') && !msg.payload.path.split('/').includes('..')) {
      run(this.actions.openLocation(msg.payload.path, msg.payload.line, typeof msg.payload.taskId === 'string' ? msg.payload.taskId : undefined));
    } else if (is(CancelTaskToExtension, msg) && typeof msg.payload?.taskId === 'string') {
      this.actions.cancel(msg.payload.taskId);
    } else if (is(ClearHistoryToExtension, msg)) {
      this.actions.clearHistory();
    } else {
      this.log.warn(`panel: ignored unknown or malformed message ${JSON.stringify(msg).slice(0, 200)}`);
    }
  }

  /** Tells the composer whether its text became a task; an error is a refusal too (the text stays). */
  private answerSubmit(requestId: unknown, started: Promise<boolean>): void {
    const reply = (ok: boolean): void => { if (typeof requestId === 'string') void this.post(create(SubmitResultToWebview, { requestId: requestId.slice(0, 100), started: ok })); };
    started.then(reply, (e) => { this.log.error(`panel action failed: ${errorMessage(e)}`); reply(false); });
  }

  dispose(): void {
    this.store.dispose();
    this.viewStore.dispose();
    this.view = undefined;
  }
}
