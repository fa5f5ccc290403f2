// `qwq-coder mcp [--no-verify] [--workspace W] [isolation flags]` (docs/architecture.md, "Other agents"): a Model
// Context Protocol server on stdio serving qwq_verifyEdit, qwq_codeContext and qwq_repoMap (src/core/agent/agentTools.ts)
// to any agent (VS Code, Claude Code, Codex CLI, Cursor, Zed). stdout carries the protocol only; logs go to stderr.
// The server never writes a file of a workspace: verify runs in a shadow copy; --no-verify runs nothing at all.
import { resolve } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { type CliCommand } from '../command';
import { version } from '../../../package.json';
import { AGENT_TOOLS, runAgentTool, type AgentToolHost, type AgentToolName } from '../../core/agent';
import { disposeSharedPool } from '../../core/context';
import { ContextEngine } from '../../core/context';
import { errorMessage } from '../../core/util';
import { lazySyntaxErrorCounter } from './syntaxCounter';
import { loadImportGraph } from './verify';
import { isolationArgs } from './isolationFlags';

/** What qwq_verifyEdit's structuredContent promises (the rest of PatchReport is there too). */
const verifyOutput = z.looseObject({
  verdict: z.enum(['verified', 'regressed', 'not-fixed', 'inconclusive', 'no-tests', 'error', 'untrusted']),
  accepted: z.boolean(),
  reason: z.string(),
  newlyFailing: z.array(z.looseObject({ id: z.string(), path: z.string().optional(), line: z.number().optional() })),
  newlyPassing: z.array(z.looseObject({ id: z.string(), path: z.string().optional(), line: z.number().optional() })),
  command: z.string(),
  isolation: z.string().optional(),
  judgeFiles: z.array(z.string()),
  audit: z.array(z.string()),
});

export const mcpCommand: CliCommand = {
  async run(args, io) {
    const iso = isolationArgs(args);
    const engines = new Map<string, ContextEngine>();
    const host: AgentToolHost = {
      mayRunTests: args.values['no-verify'] !== true,
      defaultWorkspace: resolve(io.cwd, typeof args.values.workspace === 'string' ? args.values.workspace : '.'),
      engineFor: (root) => {
        let e = engines.get(root);
        if (!e) { e = new ContextEngine(root); engines.set(root, e); }
        return e;
      },
      countSyntaxErrors: lazySyntaxErrorCounter(),
      buildImportGraph: await loadImportGraph(),
      ...iso,
    };
    const server = new McpServer({ name: 'qwq-coder', version }, {
      instructions: host.mayRunTests
        ? 'qwq_verifyEdit tells whether a patch passes the workspace\'s own tests (run in a sandboxed copy; the workspace is never written). Only verdict "verified" means it passed.'
        : 'Read-only (--no-verify): qwq_verifyEdit runs no test and answers "untrusted". qwq_codeContext and qwq_repoMap read code.',
    });
    for (const name of Object.keys(AGENT_TOOLS) as AgentToolName[]) {
      const tool = AGENT_TOOLS[name];
      server.registerTool(name, {
        title: tool.title,
        description: name === 'qwq_verifyEdit' && !host.mayRunTests ? `${tool.description} This server is read-only (--no-verify): it runs no test.` : tool.description,
        inputSchema: tool.input,
        ...(name === 'qwq_verifyEdit' ? { outputSchema: verifyOutput } : {}),
        annotations: { readOnlyHint: tool.readOnly, openWorldHint: false, destructiveHint: false, idempotentHint: tool.readOnly },
      }, async (input: unknown, extra: { signal: AbortSignal }) => {
        const signal = AbortSignal.any([extra.signal, io.signal]);
        const answer = await runAgentTool(host, name, input, signal);
        return { content: [{ type: 'text' as const, text: answer.text }], structuredContent: answer.structured as unknown as Record<string, unknown> };
      });
    }
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((done) => {
      transport.onclose = () => done();
      process.stdin.once('end', () => { void server.close(); });
      io.signal.addEventListener('abort', () => { void server.close(); }, { once: true });
    });
    transport.onerror = (e) => io.stderr(`qwq-coder mcp: ${errorMessage(e)}\n`);
    await server.connect(transport);
    io.stderr(`qwq-coder mcp ${version}: serving on stdio${host.mayRunTests ? '' : ' (read-only: --no-verify)'}\n`);
    await closed;
    for (const e of engines.values()) e.dispose();
    disposeSharedPool();
    return 0;
  },
};
