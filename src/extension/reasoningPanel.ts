import * as vscode from 'vscode';
import { createNonce } from './nonce';
import { DisposableStore, Emitter } from '../core/util';
import {
  create, dispatch, EventsToWebview, MentionsToWebview, parse, SnapshotToWebview, StateToWebview, SubmitResultToWebview, TO_EXTENSION,
  type CandidateRef, type ContextPill, type MentionItem, type MessageHandlers, type PanelSnapshot, type ToWebview,
} from '../protocol';
import type { PanelStore } from './panelStore';
import { errorMessage } from '../core/util';

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

  /**
   * What the webview sends is untrusted (a compromised page, or a stale one after an update): it is parsed
   * against its definition first, and a message that fails is logged and dropped, never half-handled.
   */
  private onMessage(msg: unknown): void {
    this.messages.fire(msg);
    const parsed = parse(TO_EXTENSION, msg);
    if (!parsed.ok) {
      this.log.error(`panel: dropped a message from the webview: ${parsed.error}`);
      return;
    }
    try {
      dispatch(this.handlers, parsed.message)?.catch((e) => this.log.error(`panel action failed: ${errorMessage(e)}`));
    } catch (e) {
      this.log.error(`panel action failed: ${errorMessage(e)}`);
    }
  }

  /** One handler per message the webview may send; the payloads are parsed already, lengths are capped here. */
  private readonly handlers: MessageHandlers<typeof TO_EXTENSION, Promise<void> | void> = {
    ready: () => {
      this.tasks.flush(); // anything pending is in the state we are about to send
      void this.post(create(SnapshotToWebview, this.snapshot()));
      void this.post(create(StateToWebview, { state: this.tasks.state }));
    },
    runCommand: ({ command }) => { void vscode.commands.executeCommand(command); },
    acceptCandidate: (ref) => this.actions.accept(ref),
    rejectCandidate: (ref) => this.actions.reject(ref),
    openDiff: ({ file, ...ref }) => this.actions.openDiff(ref, file),
    previewCandidate: (ref) => this.actions.preview(ref),
    applyUnverified: (ref) => this.actions.applyUnverified(ref),
    submit: ({ instruction, kind, pills, requestId }) => {
      this.answerSubmit(requestId, this.actions.submit(instruction.trim().slice(0, 8000), kind ?? 'edit-selection', pills.slice(0, 20)));
    },
    followUp: ({ taskId, text, candidateId, requestId }) => {
      this.answerSubmit(requestId, this.actions.followUp(taskId, text.trim().slice(0, 8000), candidateId));
    },
    completeMention: async ({ requestId, kind, query }) => {
      const capped = query.slice(0, 200);
      const items = await this.actions.completeMention(kind, capped);
      void this.post(create(MentionsToWebview, { requestId, kind, query: capped, items: items.slice(0, 50) }));
    },
    removeTask: ({ taskId }) => this.actions.removeTask(taskId),
    openLocation: ({ path, line, taskId }) => this.actions.openLocation(path, line, taskId),
    cancelTask: ({ taskId }) => this.actions.cancel(taskId),
    clearHistory: () => this.actions.clearHistory(),
  };

  /** Tells the composer whether its text became a task; an error is a refusal too (the text stays). */
  private answerSubmit(requestId: string | undefined, started: Promise<boolean>): void {
    const reply = (ok: boolean): void => { if (requestId !== undefined) void this.post(create(SubmitResultToWebview, { requestId: requestId.slice(0, 100), started: ok })); };
    started.then(reply, (e) => { this.log.error(`panel action failed: ${errorMessage(e)}`); reply(false); });
  }

  dispose(): void {
    this.store.dispose();
    this.viewStore.dispose();
    this.view = undefined;
  }
}
