// `qwq-coder apply`'s name, summary, usage and options (the implementation: ../commands/apply.ts).
import { jsonOption, type CliCommandSpec } from '../command';

export const applySpec: CliCommandSpec = {
  name: 'apply',
  summary: 'Apply SEARCH/REPLACE blocks (or a unified diff) to one file; writes nothing unless every block applies',
  usage: `Usage: qwq-coder apply --file F --edits E [--out O] [--json]

Applies every SEARCH/REPLACE block in E to F (path lines, prose and code fences in E are ignored).
Writes O (default: F) only when every block applied; on failure writes nothing and exits 1.
An empty SEARCH creates F (an error when F exists and is not empty). Line endings and the final
newline of F are preserved, and so is every byte outside the edited lines (a BOM, non-UTF-8 text).
A file that is not valid UTF-8 is edited only where SEARCH matches its bytes exactly.
F and O must be regular files (or not exist yet), outside .git/, .hg/ and .svn/. The write is
atomic: a temporary file beside O, renamed over it, keeping O's mode.`,
  options: { file: { type: 'string' }, edits: { type: 'string' }, out: { type: 'string' }, ...jsonOption },
};
