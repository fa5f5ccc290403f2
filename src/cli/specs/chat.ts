// `qwq-coder chat`'s name, summary, usage and options (the implementation: ../commands/chat.ts).
import { jsonOption, type CliCommandSpec } from '../command';
import { modelOptions, modelOptionsUsage } from './modelOptions';

export const chatSpec: CliCommandSpec = {
  name: 'chat',
  summary: 'One chat turn with the model: thinking on stderr, the answer on stdout',
  async usage() {
    return `Usage: qwq-coder chat [--model M] [--max-tokens N] [--thought-budget N] [--json] "prompt"

${await modelOptionsUsage()}
  --max-tokens N      most tokens to generate (thinking included)
  --thought-budget N  most tokens to think (0: answer at once)
  --json              print {thought, answer, stopReason, stopDetail, stats}`;
  },
  options: { ...modelOptions, 'max-tokens': { type: 'string' }, 'thought-budget': { type: 'string' }, ...jsonOption },
  allowPositionals: true,
};
