// `qwq-coder context`'s name, summary, usage and options (the implementation: ../commands/context.ts).
import { jsonOption, type CliCommandSpec } from '../command';

export const contextSpec: CliCommandSpec = {
  name: 'context',
  summary: 'The code context at a cursor (enclosing scope, definitions it uses, imports, repo map) as JSON',
  async usage() {
    const { defaultBudget } = await import('../../core/context');
    return `Usage: qwq-coder context --file F --line L --column C [--budget N] [--workspace W] [--task T] [--json]

Prints {"snippets":[{path,startLine,endLine,kind,symbol,text}],"tokens":N}. Lines and columns are
1-based; --file is relative to the workspace W (default: the current directory), and so are the paths
printed. kind is one of scope,
definition, signatures (one "line: text" per definition used), import, repomap, window. --budget is in tokens (default ${defaultBudget}); --task biases the repo map.`;
  },
  options: { file: { type: 'string' }, line: { type: 'string' }, column: { type: 'string' }, budget: { type: 'string' }, workspace: { type: 'string' }, task: { type: 'string' }, ...jsonOption },
};
