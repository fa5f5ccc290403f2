// `#file:` and `#symbol:` in the composer: completions while typing (workspace files, the symbol index) and,
// when a task starts, the mentioned file's or symbol's text, which the prompt shows first (docs/architecture.md §6).
import * as vscode from 'vscode';
import type { Attachment } from '../../core/agent/task';
import type { ContextEngine } from '../../core/context/engine';
import type { ContextPill, MentionItem } from '../../protocol/messages';
import type { EditorWorkspaceFiles } from './editorFiles';
import { rankMentions } from './mentionRank';

const MAX_ITEMS = 20;
/** Folders nobody attaches on purpose, and the ones that make a listing slow. */
const EXCLUDE = '**/{node_modules,.git,.hg,.svn,dist,out,build,coverage,.venv,__pycache__,target}/**';

export interface MentionDeps { engineFor(root: string): ContextEngine | undefined }

export class Mentions {
  /** The workspace's files, listed once per folder set and refreshed after a short while (typing asks often). */
  private files: { at: number; paths: string[] } | undefined;

  constructor(private readonly deps: MentionDeps) {}

  async complete(kind: 'file' | 'symbol', query: string): Promise<MentionItem[]> {
    return kind === 'file' ? this.completeFile(query) : this.completeSymbol(query);
  }

  private async completeFile(query: string): Promise<MentionItem[]> {
    if (!this.files || Date.now() - this.files.at > 10_000) {
      const uris = await vscode.workspace.findFiles('**/*', EXCLUDE, 5000);
      this.files = { at: Date.now(), paths: uris.map((u) => vscode.workspace.asRelativePath(u, false)) };
    }
    return rankMentions(this.files.paths, query, MAX_ITEMS).map((p) => ({ value: p }));
  }

  private async completeSymbol(query: string): Promise<MentionItem[]> {
    const items: MentionItem[] = [];
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      const engine = this.deps.engineFor(f.uri.fsPath);
      if (!engine) continue;
      await engine.ready();
      const names = rankMentions([...engine.index.definitionNames()], query, MAX_ITEMS);
      for (const name of names) {
        const at = engine.index.definitions(name)[0];
        if (at) items.push({ value: name, path: at.file, detail: `${at.file}:${at.tag.row + 1}` });
      }
    }
    return items.slice(0, MAX_ITEMS);
  }

  /** The text of each mentioned file and symbol, read the way the agent reads (unsaved editor text included). */
  async resolve(folder: vscode.WorkspaceFolder, pills: readonly ContextPill[], files: EditorWorkspaceFiles): Promise<Attachment[]> {
    const out: Attachment[] = [];
    const engine = this.deps.engineFor(folder.uri.fsPath);
    for (const p of pills) {
      if (p.kind === 'file' && p.path) {
        const text = await files.read(p.path);
        if (text !== undefined) out.push({ kind: 'file', path: p.path, startLine: 1, endLine: text.split('\n').length, text });
      } else if (p.kind === 'symbol' && p.symbol && engine) {
        await engine.ready();
        const defs = engine.index.definitions(p.symbol);
        const at = defs.find((d) => d.file === p.path) ?? defs[0];
        if (!at) continue;
        const text = await files.read(at.file);
        if (text === undefined) continue;
        const lines = text.split('\n').slice(at.tag.startRow, at.tag.endRow + 1);
        out.push({ kind: 'symbol', path: at.file, symbol: p.symbol, startLine: at.tag.startRow + 1, endLine: at.tag.startRow + lines.length, text: lines.join('\n') });
      }
    }
    return out;
  }
}
