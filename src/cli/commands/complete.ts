// `qwq-coder complete --file F --line L --column C [--model M]`: the inline-completion fast path. No thinking:
// fill-in-the-middle when the model has FIM tokens, otherwise a chat turn with an empty think block.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HandledError, optionalInt, requireString, UsageError, type CliCommand } from '../command';
import { asHandled, runtimeFromArgs } from './chat';

/** Splits text at a 1-based line and column (the column may be one past the line's end). */
export function splitAtCursor(text: string, line: number, column: number): { prefix: string; suffix: string } {
  const lines = text.split('\n');
  if (line > lines.length) throw new HandledError(`--line ${line} is past the end of the file (${lines.length} lines)`);
  const current = lines[line - 1]!.replace(/\r$/, '');
  if (column > current.length + 1) throw new HandledError(`--column ${column} is past the end of line ${line} (${current.length} characters)`);
  const before = lines.slice(0, line - 1).join('\n') + (line > 1 ? '\n' : '');
  const offset = before.length + column - 1;
  return { prefix: text.slice(0, offset), suffix: text.slice(offset) };
}

export const completeCommand: CliCommand = {
  async run(args, io) {
    const file = resolve(io.cwd, requireString(args, 'file'));
    const line = optionalInt(args, 'line', 1);
    const column = optionalInt(args, 'column', 1);
    if (line === undefined || column === undefined) throw new UsageError('complete needs --line and --column (1-based)');
    const maxTokens = optionalInt(args, 'max-tokens', 1) ?? 64;
    let text: string;
    try { text = await readFile(file, 'utf8'); } catch { throw new HandledError(`file not found: ${file}`); }
    const { prefix, suffix } = splitAtCursor(text, line, column);
    const rt = runtimeFromArgs(args, io.cwd);
    try {
      const info = await rt.load(io.signal);
      let result: { text: string; stopReason: string; stats: unknown };
      let mode: 'fim' | 'chat';
      if (info.hasInfill) {
        mode = 'fim';
        result = await rt.infill(prefix, suffix, { maxTokens, temperature: 0.2, signal: io.signal });
      } else {
        mode = 'chat';
        const r = await rt.chat([
          { role: 'system', content: 'You complete code. Reply with only the code to insert at <CURSOR>, no explanation and no code fence.' },
          { role: 'user', content: `${prefix}<CURSOR>${suffix}` },
        ], { thoughtBudget: 0, maxTokens, temperature: 0.2, signal: io.signal });
        result = { text: r.answer, stopReason: r.stopReason, stats: r.stats };
      }
      if (args.values.json === true) io.stdout(`${JSON.stringify({ text: result.text, mode, stopReason: result.stopReason, stats: result.stats }, null, 2)}\n`);
      else io.stdout(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
      return 0;
    } catch (e) {
      throw asHandled(e);
    } finally {
      await rt.dispose();
    }
  },
};
