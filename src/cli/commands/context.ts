// `qwq-coder context --file F --line L --column C [--budget N] [--workspace W] [--task T]` (docs/architecture.md §6):
// the context the model would see at a cursor, as JSON {snippets:[{path,startLine,endLine,kind,symbol,text}], tokens}.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HandledError, optionalInt, requireString, UsageError, workspaceFile, type CliCommand } from '../command';
import { disposeSharedPool } from '../../core/context';
import { ContextEngine, defaultBudget } from '../../core/context';

function requireInt(args: Parameters<CliCommand['run']>[0], name: string, min: number): number {
  const n = optionalInt(args, name, min);
  if (n === undefined) throw new UsageError(`missing --${name}`);
  return n;
}

export async function requireDirectory(path: string): Promise<void> {
  let isDir = false;
  try { isDir = (await stat(path)).isDirectory(); } catch { /* reported below */ }
  if (!isDir) throw new HandledError(`workspace is not a directory: ${path}`);
}

export const contextCommand: CliCommand = {
  async run(args, io) {
    const workspace = resolve(io.cwd, typeof args.values.workspace === 'string' ? args.values.workspace : '.');
    const file = workspaceFile(workspace, io.cwd, requireString(args, 'file'));
    const line = requireInt(args, 'line', 1);
    const column = requireInt(args, 'column', 1);
    const budget = optionalInt(args, 'budget', 1) ?? defaultBudget;
    await requireDirectory(workspace);
    try {
      if (!(await stat(file)).isFile()) throw new HandledError(`not a file: ${file}`);
    } catch (e) {
      if (e instanceof HandledError) throw e;
      throw new HandledError(`file not found: ${file}`);
    }
    const engine = new ContextEngine(workspace);
    try {
      const packed = await engine.context({ file, line, column, budget, task: typeof args.values.task === 'string' ? args.values.task : undefined });
      const snippets = packed.snippets.map((s) => ({ path: s.path, startLine: s.startLine, endLine: s.endLine, kind: s.kind, symbol: s.symbol ?? null, text: s.text }));
      io.stdout(`${JSON.stringify({ snippets, tokens: packed.tokens })}\n`);
      return 0;
    } finally {
      engine.dispose();
      // The answer is written: no warm worker may keep the process alive.
      disposeSharedPool();
    }
  },
};
