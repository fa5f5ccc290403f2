// The workspace as the agent reads it through the adapter: the editors' unsaved text first, the disk
// otherwise. Every read is recorded (text and document version), because that is exactly what a candidate
// is verified against, and what Accept later checks the user's files against.
import * as vscode from 'vscode';
import type { WorkspaceFiles } from '../../core/agent';
import type { ReadRecord } from '../review/candidatePatch';

/** Folders never worth listing for the model (the context engine applies .gitignore on top). */
export const LIST_EXCLUDE = '**/{node_modules,.git,.venv,venv,target,dist,out,build,__pycache__,.tools,.qwq-cache}/**';

/** A workspace-relative path with forward slashes, or undefined when the uri is outside the folder. */
export function toRelativePath(root: vscode.Uri, uri: vscode.Uri): string | undefined {
  const r = root.path.endsWith('/') ? root.path : `${root.path}/`;
  if (uri.scheme !== root.scheme || !uri.path.startsWith(r)) return undefined;
  return uri.path.slice(r.length);
}

export class EditorWorkspaceFiles implements WorkspaceFiles {
  readonly root: string;
  /** Every file read, by workspace-relative path: the first read wins (it is what the candidate was built on). */
  readonly reads = new Map<string, ReadRecord>();

  constructor(private readonly folder: vscode.Uri) {
    this.root = folder.fsPath;
  }

  async read(relPath: string): Promise<string | undefined> {
    const uri = vscode.Uri.joinPath(this.folder, relPath);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let record: ReadRecord | undefined;
    if (open) record = { text: open.getText(), version: open.version };
    else {
      try { record = { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) }; } catch { record = undefined; }
    }
    if (record && !this.reads.has(relPath)) this.reads.set(relPath, record);
    return record?.text;
  }

  async list(signal?: AbortSignal): Promise<string[]> {
    const cts = new vscode.CancellationTokenSource();
    signal?.addEventListener('abort', () => cts.cancel(), { once: true });
    try {
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, '**/*'), LIST_EXCLUDE, 5000, cts.token);
      return uris.flatMap((u) => toRelativePath(this.folder, u) ?? []).sort();
    } finally {
      cts.dispose();
    }
  }

  /** Unsaved editor texts under this folder, for the shadow workspace (it mirrors what the user sees). */
  unsavedTexts(): Map<string, string> {
    const out = new Map<string, string>();
    for (const d of vscode.workspace.textDocuments) {
      if (!d.isDirty) continue;
      const rel = toRelativePath(this.folder, d.uri);
      if (rel !== undefined) out.set(rel, d.getText());
    }
    return out;
  }
}
