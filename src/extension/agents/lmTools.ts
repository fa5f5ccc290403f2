// The verifier and the context engine as VS Code Language Model Tools (docs/architecture.md, "Other agents"):
// agent mode, and any extension through vscode.lm.invokeTool, calls qwq_verifyEdit, qwq_codeContext and
// qwq_repoMap. The handlers are the core's (src/core/agent/agentTools.ts), the same ones the MCP server serves;
// package.json's languageModelTools schemas are generated from the same table. Tests run only in a trusted
// workspace: in Restricted Mode qwq_verifyEdit answers `untrusted` and runs nothing.
import * as vscode from 'vscode';
import { AGENT_TOOLS, runAgentTool, ToolInputError, type AgentToolHost, type AgentToolName } from '../../core/agent/agentTools';
import { DisposableStore, type IDisposable } from '../../core/util/lifecycle';
import type { ContextEngine } from '../../core/context/engine';
import type { QwqSettings } from '../settings';
import { invocationMessage } from './toolMessages';
import { detectTestCommand } from '../../core/verify/detect';

export interface LmToolsDeps {
  engineFor(root: string): ContextEngine;
  /** The qwq.* settings for a workspace folder (resource scope). */
  settings(folder?: string): QwqSettings;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>;
}

/** The host the core's tools run in: trust decides whether tests may run; the user's test settings apply. */
export function editorToolHost(deps: LmToolsDeps, folder: string | undefined, ws: Pick<typeof vscode.workspace, 'isTrusted' | 'workspaceFolders'> = vscode.workspace): AgentToolHost {
  const s = deps.settings(folder ?? ws.workspaceFolders?.[0]?.uri.fsPath);
  return {
    mayRunTests: ws.isTrusted,
    defaultWorkspace: ws.workspaceFolders?.[0]?.uri.fsPath,
    allowedRoots: () => (ws.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
    engineFor: deps.engineFor,
    isolation: s.testsSandbox ? 'auto' : 'copy',
    network: s.testsNetwork,
    envAllow: s.testsEnv,
    testCommand: () => s.testsCommand.trim() || undefined,
  };
}

class AgentLmTool implements vscode.LanguageModelTool<Record<string, unknown>> {
  constructor(private readonly name: AgentToolName, private readonly deps: LmToolsDeps) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<Record<string, unknown>>): vscode.PreparedToolInvocation {
    const input = options.input ?? {};
    const folder = typeof input.workspaceFolder === 'string' ? input.workspaceFolder : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    let command: string | undefined;
    if (this.name === 'qwq_verifyEdit' && folder) {
      const t = detectTestCommand(folder, this.deps.settings(folder).testsCommand);
      command = t ? [t.prefix, t.base].filter(Boolean).join(' && ') : undefined;
    }
    return { invocationMessage: invocationMessage(this.name, input, vscode.workspace.isTrusted, command) };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<Record<string, unknown>>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const folder = typeof options.input?.workspaceFolder === 'string' ? options.input.workspaceFolder : undefined;
      const answer = await runAgentTool(editorToolHost(this.deps, folder), this.name, options.input, abort.signal);
      this.deps.log.info(`tool ${this.name}: ${answer.text.split('\n')[0]}`);
      // The words first; then the same answer as JSON (the MCP tool's structuredContent) for callers that read
      // structure. (VS Code 1.104's tool results hold text parts only.)
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(answer.text), new vscode.LanguageModelTextPart(JSON.stringify(answer.structured))]);
    } catch (e) {
      // A caller's mistake goes back to the model as words it can act on; anything else is a real failure.
      if (e instanceof ToolInputError) return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(`error: ${e.message}`)]);
      throw e;
    } finally {
      sub.dispose();
    }
  }
}

export function registerLmTools(deps: LmToolsDeps): IDisposable {
  const store = new DisposableStore();
  for (const name of Object.keys(AGENT_TOOLS) as AgentToolName[]) store.add(vscode.lm.registerTool(name, new AgentLmTool(name, deps)));
  return store;
}
