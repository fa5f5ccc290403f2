// `qwq-coder complete`'s name, summary, usage and options (the implementation: ../commands/complete.ts).
import { jsonOption, type CliCommandSpec } from '../command';
import { modelOptions, modelOptionsUsage } from './modelOptions';

export const completeSpec: CliCommandSpec = {
  name: 'complete',
  summary: 'Inline completion at a cursor: FIM when the model has it, else an answer-only prompt',
  async usage() {
    return `Usage: qwq-coder complete --file F --line L --column C [--model M] [--max-tokens N] [--json]

Lines and columns are 1-based. Prints the text to insert at the cursor.
${await modelOptionsUsage()}
  --max-tokens N      most tokens to generate (default 64)
  --json              print {text, mode: "fim"|"chat", stopReason, stats}`;
  },
  options: { ...modelOptions, file: { type: 'string' }, line: { type: 'string' }, column: { type: 'string' }, 'max-tokens': { type: 'string' }, ...jsonOption },
};
