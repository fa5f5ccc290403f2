// Ghost text on the fast path: no thinking (FIM when the model has FIM tokens, else QwQ with an empty think
// block), debounced, cancelled on every keystroke (VS Code cancels the token; we abort the generation), and
// shaped by the pure postprocess functions. The runtime keeps one sequence, so the stable prefix of
// consecutive requests is served from the KV cache.
import * as vscode from 'vscode';
import type { ModelRuntime } from '../../core/model';
import type { IDisposable } from '../../core/util';
import type { QwqSettings } from '../settings';
import { shapeInlineCompletion } from './postprocess';
import { errorMessage } from '../../core/util';

/** How much of the document goes around the cursor (characters; the context engine adds definitions). */
const PREFIX_CHARS = 6000;
const SUFFIX_CHARS = 2000;

export interface InlineRequest {
  /** Workspace-relative path, for the context engine. */
  path?: string;
  languageId: string;
  prefix: string;
  suffix: string;
  line: number;
  column: number;
  /** The document and its whole text at the time of the request (the context engine diffs it against the
   * version it has; a later version must not be paired with this request's line and column). */
  uri?: vscode.Uri;
  text?: string;
}

/** The slice of the model and context the provider needs; tests and the extension pass real ones. */
export interface InlineEngine {
  complete(req: InlineRequest, signal: AbortSignal): Promise<string>;
}

/** Background verification of a multi-line suggestion (setting qwq.inline.verify = background). */
export type InlineVerifier = (doc: vscode.TextDocument, position: vscode.Position, text: string, signal: AbortSignal) => Promise<boolean>;

export function delay(ms: number, token: vscode.CancellationToken): Promise<boolean> {
  return new Promise((resolve) => {
    if (token.isCancellationRequested) { resolve(false); return; }
    const timer = setTimeout(() => { sub.dispose(); resolve(true); }, ms);
    const sub = token.onCancellationRequested(() => { clearTimeout(timer); sub.dispose(); resolve(false); });
  });
}

/** Runs a runtime's fast path: infill when it has FIM tokens, otherwise an answer-only chat. */
export async function fastPathComplete(runtime: ModelRuntime, hasInfill: boolean, req: InlineRequest, context: string, signal: AbortSignal): Promise<string> {
  const common = { maxTokens: 128, temperature: 0.2, topP: 0.95, topK: 40, signal };
  if (hasInfill) return (await runtime.infill(context + req.prefix, req.suffix, common)).text;
  const r = await runtime.chat([
    { role: 'system', content: 'You complete code. Reply with only the code that goes at <CURSOR>, no explanation, no code fence.' },
    { role: 'user', content: `${context}${req.prefix}<CURSOR>${req.suffix}` },
  ], { ...common, thoughtBudget: 0 });
  return r.answer.replace(/^```\w*\n?|```\s*$/g, '');
}

export class QwqInlineProvider implements vscode.InlineCompletionItemProvider, IDisposable {
  /** Suggestions verified in the background, by document version and offset. */
  private readonly verified = new Map<string, string>();
  private verifying: AbortController | undefined;
  /** For tests and the status bar: requests started, and those cancelled by a newer keystroke. */
  readonly counters = { requests: 0, cancelled: 0, shown: 0 };
  onVerified?: (text: string) => void;

  constructor(
    private readonly engine: InlineEngine,
    private readonly settings: () => QwqSettings,
    private readonly relativePath: (uri: vscode.Uri) => string | undefined,
    private readonly verifier: InlineVerifier | undefined,
    private readonly log: Pick<vscode.LogOutputChannel, 'debug' | 'warn'>,
  ) {}

  async provideInlineCompletionItems(doc: vscode.TextDocument, position: vscode.Position, _ctx: vscode.InlineCompletionContext, token: vscode.CancellationToken): Promise<vscode.InlineCompletionItem[] | undefined> {
    const s = this.settings();
    if (!s.inlineEnabled) return undefined;
    if (!(await delay(s.inlineDebounceMs, token))) { this.counters.cancelled++; return undefined; }
    const offset = doc.offsetAt(position);
    const key = `${doc.uri.toString()}@${doc.version}:${offset}`;
    const cached = this.verified.get(key);
    if (cached !== undefined) return [new vscode.InlineCompletionItem(cached, new vscode.Range(position, position))];

    const text = doc.getText();
    const req: InlineRequest = {
      path: this.relativePath(doc.uri), languageId: doc.languageId,
      prefix: text.slice(Math.max(0, offset - PREFIX_CHARS), offset), suffix: text.slice(offset, offset + SUFFIX_CHARS),
      line: position.line + 1, column: position.character + 1, uri: doc.uri, text,
    };
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    this.counters.requests++;
    try {
      const raw = await this.engine.complete(req, abort.signal);
      if (token.isCancellationRequested) { this.counters.cancelled++; return undefined; }
      const linePrefix = doc.lineAt(position.line).text.slice(0, position.character);
      const shaped = shapeInlineCompletion(raw, linePrefix, req.suffix);
      if (shaped === undefined) return undefined;
      this.counters.shown++;
      if (s.inlineVerify === 'background' && this.verifier && shaped.includes('\n')) this.verifyInBackground(doc, position, key, shaped);
      return [new vscode.InlineCompletionItem(shaped, new vscode.Range(position, position))];
    } catch (e) {
      if (!abort.signal.aborted) this.log.warn(`inline: ${errorMessage(e)}`);
      return undefined;
    } finally {
      sub.dispose();
    }
  }

  private verifyInBackground(doc: vscode.TextDocument, position: vscode.Position, key: string, text: string): void {
    this.verifying?.abort();
    const abort = new AbortController();
    this.verifying = abort;
    void this.verifier!(doc, position, text, abort.signal).then((ok) => {
      if (!ok || abort.signal.aborted) return;
      this.verified.set(key, text);
      if (this.verified.size > 50) this.verified.delete(this.verified.keys().next().value!);
      this.onVerified?.(text);
    }, (e) => this.log.debug(`inline verify: ${errorMessage(e)}`));
  }

  dispose(): void {
    this.verifying?.abort();
    this.verified.clear();
  }
}
