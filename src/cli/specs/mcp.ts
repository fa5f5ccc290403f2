// `qwq-coder mcp`'s name, summary, usage and options (the implementation: ../commands/mcp.ts).
import { type CliCommandSpec } from '../command';
import { ISOLATION_USAGE, isolationOptions } from '../commands/isolationFlags';

export const mcpSpec: CliCommandSpec = {
  name: 'mcp',
  summary: 'A Model Context Protocol server on stdio: qwq_verifyEdit, qwq_codeContext, qwq_repoMap for other agents',
  usage: `Usage: qwq-coder mcp [--no-verify] [--workspace W] [--isolation auto|sandbox|copy] [--network] [--env NAME]...

Serves the Model Context Protocol on stdin/stdout. Tools:
  qwq_verifyEdit   verify a patch (unified diff or SEARCH/REPLACE) with the workspace's own tests in a sandboxed
                   shadow copy; returns the verdict, the newly failing/passing tests and the reason
  qwq_codeContext  the code context at a file/line/column or for a symbol
  qwq_repoMap      a ranked outline of the workspace
--workspace is the folder used when a call names none (default: the current directory).
--no-verify: read-only; qwq_verifyEdit runs no test and answers 'untrusted' (use it for folders you do not trust).
${ISOLATION_USAGE}
Example: claude mcp add qwq-coder -- qwq-coder mcp`,
  options: { 'no-verify': { type: 'boolean', default: false }, workspace: { type: 'string' }, ...isolationOptions, json: { type: 'boolean', default: false } },
};
