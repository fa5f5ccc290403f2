// The context engine's editor side: VS Code's definition providers (language servers) as a definition
// source that sharpens tree-sitter's answer within a small time budget, and a file-system watcher that
// keeps each folder's symbol index current when files change outside the editor. See
// docs/architecture.md §3 Context.
import * as vscode from 'vscode';
import { posix } from 'node:path';
import type { ContextEngine, DefinitionAnswer, DefinitionSource } from '../../core/context';
import type { PackedContext } from '../../core/context';
import { isSourceFile } from '../../core/context';
import { isIgnoredPath, walkWorkspace } from '../../core/context';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { DisposableStore, toDisposable, type IDisposable } from '../../core/util';

type Located = vscode.Location | vscode.LocationLink;

function target(l: Located): { uri: vscode.Uri; line: number } {
  return 'targetUri' in l ? { uri: l.targetUri, line: (l.targetSelectionRange ?? l.targetRange).start.line } : { uri: l.uri, line: l.range.start.line };
}

/** Definitions from the editor's providers: the definition of each name, else its type's definition.
 * Queries run in parallel; on abort the answers so far are returned. */
export function languageServerSource(): DefinitionSource {
  return (file, queries, signal) => new Promise((resolve) => {
    const uri = vscode.Uri.file(file);
    const out: DefinitionAnswer[] = [];
    let pending = queries.length;
    const done = () => resolve([...out]);
    if (pending === 0 || signal.aborted) return done();
    signal.addEventListener('abort', done, { once: true });
    for (const q of queries) {
      const pos = new vscode.Position(q.line, q.column);
      void (async () => {
        try {
          let found = await vscode.commands.executeCommand<Located[] | undefined>('vscode.executeDefinitionProvider', uri, pos);
          if (!found?.length && !signal.aborted) found = await vscode.commands.executeCommand<Located[] | undefined>('vscode.executeTypeDefinitionProvider', uri, pos);
          const hit = (found ?? []).map(target).find((t) => t.uri.scheme === 'file');
          if (hit && !signal.aborted) out.push({ query: q, file: hit.uri.fsPath, line: hit.line });
        } catch {
          // A provider that fails answers nothing; tree-sitter's answer stands.
        } finally {
          if (--pending === 0) done();
        }
      })();
    }
  });
}

/** Feeds created, changed and deleted files of one folder to its index, debounced; ignored paths
 * (skipped folders, .gitignore rules) and unsupported files are dropped. */
export class IndexWatcher implements IDisposable {
  private readonly store = new DisposableStore();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly folder: vscode.WorkspaceFolder, private readonly engine: ContextEngine, private readonly delayMs = 250) {
    const watcher = this.store.add(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*')));
    const queue = (uri: vscode.Uri) => this.queue(uri);
    this.store.add(watcher.onDidCreate(queue));
    this.store.add(watcher.onDidChange(queue));
    this.store.add(watcher.onDidDelete(queue));
    this.store.add(toDisposable(() => clearTimeout(this.timer)));
  }

  private queue(uri: vscode.Uri): void {
    const rel = posix.normalize(vscode.workspace.asRelativePath(uri, false).split('\\').join('/'));
    if (rel.startsWith('..') || posix.isAbsolute(rel) || rel === '.') return;
    // Any other path may be a folder: the watcher reports a folder created (or deleted) with its files
    // as one event for the folder, so flush() looks inside it.
    this.pending.add(rel);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.flushing = this.flushing.then(() => this.flush()); }, this.delayMs);
  }

  private async flush(): Promise<void> {
    const root = this.folder.uri.fsPath;
    const files = new Set<string>();
    for (const rel of this.pending) {
      if (isSourceFile(rel) || posix.basename(rel) === 'go.mod') { files.add(rel); continue; }
      // A folder: what is indexed under it (deleted or changed), and what is in it now.
      for (const f of this.engine.index.files) if (f.startsWith(`${rel}/`)) files.add(f);
      const isDir = await fs.stat(join(root, rel)).then((st) => st.isDirectory(), () => false);
      // (A child path asks whether the folder itself is skipped or ignored: a created node_modules is not walked.)
      if (isDir && !(await isIgnoredPath(root, `${rel}/-`))) {
        for (const f of (await walkWorkspace(join(root, rel), { git: false, include: isSourceFile })).files) files.add(`${rel}/${f.rel}`);
      }
    }
    this.pending.clear();
    for (const rel of files) {
      if (await isIgnoredPath(root, rel)) continue;
      await this.engine.index.updateFile(rel).catch(() => undefined);
    }
  }

  /** Resolves once every change seen so far has reached the index (tests, and callers that need it). */
  async settled(): Promise<void> {
    if (this.pending.size) {
      clearTimeout(this.timer);
      this.flushing = this.flushing.then(() => this.flush());
    }
    await this.flushing;
  }

  dispose(): void {
    this.store.dispose();
  }
}

export interface ContextServices extends IDisposable {
  /** The packed context at a position (1-based line and column), with the language servers unless told not to. */
  contextAt(uri: vscode.Uri, line: number, column: number, options?: { budget?: number; languageServer?: boolean }): Promise<PackedContext | undefined>;
  /** Resolves once the watchers have fed every change seen so far to the indexes. */
  settled(): Promise<void>;
}

/** For every workspace folder: its engine gets the language-server source and a watcher. */
export function registerContextServices(deps: { engineFor(root: string): ContextEngine }): ContextServices {
  const store = new DisposableStore();
  const watchers = new Map<string, IndexWatcher>();
  const source = languageServerSource();
  const attach = (folder: vscode.WorkspaceFolder) => {
    const root = folder.uri.fsPath;
    if (folder.uri.scheme !== 'file' || watchers.has(root)) return;
    const engine = deps.engineFor(root);
    engine.setDefinitionSource(source);
    watchers.set(root, new IndexWatcher(folder, engine));
  };
  for (const f of vscode.workspace.workspaceFolders ?? []) attach(f);
  store.add(vscode.workspace.onDidChangeWorkspaceFolders((e) => {
    for (const f of e.removed) { watchers.get(f.uri.fsPath)?.dispose(); watchers.delete(f.uri.fsPath); }
    for (const f of e.added) attach(f);
  }));
  store.add(toDisposable(() => { for (const w of watchers.values()) w.dispose(); watchers.clear(); }));
  return {
    async contextAt(uri, line, column, options = {}) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) return undefined;
      attach(folder);
      const engine = deps.engineFor(folder.uri.fsPath);
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      return engine.context({ file: uri.fsPath, line, column, budget: options.budget, languageServer: options.languageServer ?? true, text: open?.isDirty ? open.getText() : undefined });
    },
    async settled() {
      await Promise.all([...watchers.values()].map((w) => w.settled()));
    },
    dispose: () => store.dispose(),
  };
}
