// `qwq-coder repomap`'s name, summary, usage and options (the implementation: ../commands/repomap.ts).
import { jsonOption, type CliCommandSpec } from '../command';

export const repomapSpec: CliCommandSpec = {
  name: 'repomap',
  summary: 'A ranked outline of the workspace (files and signatures) within a token budget',
  usage: `Usage: qwq-coder repomap --workspace W --budget N [--file F] [--task T] [--json]

Ranks files by personalized PageRank over the reference graph (biased to --file and to the words of
--task) and prints their most-referenced definitions as an outline within N tokens (default 1024).
--json prints {"snippets":[{path,startLine,endLine,kind,symbol,text}],"tokens":N}.`,
  options: { workspace: { type: 'string' }, budget: { type: 'string' }, file: { type: 'string' }, task: { type: 'string' }, ...jsonOption },
};
