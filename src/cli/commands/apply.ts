// `qwq-coder apply --file F --edits E [--out O] [--json]` (DESIGN §7): applies the SEARCH/REPLACE blocks in E
// to F. Path lines, prose and fences in E are ignored. Writes O (default F) only when every block applied.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { HandledError, jsonOption, requireString, type CliCommand } from '../command';
import { applyBlocksToText, isBinary, parseEdits, syntaxCheck, unifiedDiff, EditParseError, type ApplyFailure, type SyntaxErrorCounter } from '../../core/edits';
import { loadSyntaxErrorCounter } from './syntaxCounter';

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HandledError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/** One line for stderr: the first line of each failure. The full messages ("did you mean …") are in --json. */
function oneLine(failures: ApplyFailure[]): string {
  return failures.map((f) => f.message.split('\n')[0]).join('; ');
}

export const applyCommand: CliCommand = {
  name: 'apply',
  summary: 'Apply SEARCH/REPLACE blocks (or a unified diff) to one file; writes nothing unless every block applies',
  usage: `Usage: qwq-coder apply --file F --edits E [--out O] [--json]

Applies every SEARCH/REPLACE block in E to F (path lines, prose and code fences in E are ignored).
Writes O (default: F) only when every block applied; on failure writes nothing and exits 1.
An empty SEARCH creates F (an error when F exists and is not empty). Line endings and the final
newline of F are preserved.`,
  options: { file: { type: 'string' }, edits: { type: 'string' }, out: { type: 'string' }, ...jsonOption },
  async run(args, io) {
    const file = resolve(io.cwd, requireString(args, 'file'));
    const editsPath = resolve(io.cwd, requireString(args, 'edits'));
    const out = typeof args.values.out === 'string' && args.values.out !== '' ? resolve(io.cwd, args.values.out) : file;
    const json = args.values.json === true;

    const editsText = await readOptional(editsPath);
    if (editsText === undefined) throw new HandledError(`edits file not found: ${editsPath}`);
    let blocks;
    try {
      blocks = parseEdits(editsText.toString('utf8')).blocks;
    } catch (e) {
      if (e instanceof EditParseError) return fail(io, json, [{ blockIndex: 0, reason: 'malformed', message: e.message }]);
      throw e;
    }
    if (blocks.some((b) => b.deleteFile)) throw new HandledError('apply edits one file; a diff that deletes a file is not supported here');

    const bytes = await readOptional(file);
    if (bytes && isBinary(bytes)) return fail(io, json, [{ blockIndex: 0, path: file, reason: 'binary', message: `${file} is a binary file; text edits are refused on binary files` }]);
    const before = bytes?.toString('utf8');
    const r = applyBlocksToText(before, blocks.map((b) => ({ ...b, path: undefined })), { path: file });
    if (!r.ok) return fail(io, json, r.failures);

    const counter: SyntaxErrorCounter | undefined = await loadSyntaxErrorCounter();
    if (counter) {
      const failure = await syntaxCheck(counter, file, file, before, r.text, blocks.map((_, i) => i));
      if (failure) return fail(io, json, [failure]);
    }

    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, r.text);
    if (json) {
      const diff = unifiedDiff([{ path: file, before, after: r.text }]);
      io.stdout(`${JSON.stringify({ ok: true, file, out, blocks: blocks.length, levels: r.levels, diff })}\n`);
    } else {
      io.stdout(`applied ${blocks.length} block(s) to ${file}${out !== file ? ` → ${out}` : ''}\n`);
    }
    return 0;
  },
};

function fail(io: { stdout(t: string): void; stderr(t: string): void }, json: boolean, failures: ApplyFailure[]): number {
  if (json) io.stdout(`${JSON.stringify({ ok: false, failures })}\n`);
  io.stderr(`qwq-coder: apply: ${oneLine(failures)}\n`);
  return 1;
}
