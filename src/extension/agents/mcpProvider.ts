// `qwq-coder mcp` for VS Code's own MCP client (docs/architecture.md, "Other agents"): the server definition
// runs the extension's bundled CLI with the editor's Node (process.execPath, ELECTRON_RUN_AS_NODE), in the first
// workspace folder. An untrusted workspace gets `--no-verify`: the server then runs no test at all. Trust
// granted later changes the definition (its version), so VS Code offers to restart it.
import * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../../core/util/lifecycle';
import { mcpDefinition } from './mcpDefinition';

export const MCP_PROVIDER_ID = 'qwq-coder.mcp';

export function registerMcpProvider(context: Pick<vscode.ExtensionContext, 'extensionPath'>, version: string): IDisposable & { definitions(): vscode.McpStdioServerDefinition[] } {
  const store = new DisposableStore();
  const changed = store.add(new vscode.EventEmitter<void>());
  const current = (): vscode.McpStdioServerDefinition => {
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
    const d = mcpDefinition(context.extensionPath, version, vscode.workspace.isTrusted, folder);
    const def = new vscode.McpStdioServerDefinition(d.label, d.command, d.args, d.env, d.version);
    if (d.cwd) def.cwd = vscode.Uri.file(d.cwd);
    return def;
  };
  store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()));
  store.add(vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()));
  store.add(vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () => [current()],
    // Trust is read again when the server starts: a definition handed out before trust changed never runs tests
    // in an untrusted workspace.
    resolveMcpServerDefinition: (server) => {
      if (!(server instanceof vscode.McpStdioServerDefinition)) return server;
      server.args = current().args;
      return server;
    },
  }));
  return { definitions: () => [current()], dispose: () => store.dispose() };
}
