// `qwq-coder apply --file F --edits E [--out O] [--json]` (docs/architecture.md §6 CLI contract): applies the SEARCH/REPLACE blocks in E
// to F. Path lines, prose and fences in E are ignored. Writes O (default F) only when every block applied.
// F and O must be regular files (or absent) outside any .git/, .hg/ or .svn/ folder; the write is atomic and
// every byte of F outside the edited lines (a BOM, Latin-1 text, line endings) is kept as it was.
import { constants, realpathSync } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { HandledError, requireString, type CliCommand } from '../command';
import {
  applyBlocksToBytes, changeBytes, checkWritable, parseEdits, readEditTarget, syntaxCheck, unifiedDiff, vcsRefusal, writeAtomic,
  EditParseError, type ApplyFailure,
} from '../../core/edits';
import { lazySyntaxErrorCounter } from './syntaxCounter';
import { useBaselineWasmCompiler } from './wasmTier';

/** The edits can come from a pipe (`--edits <(…)`), so a FIFO is read, up to a cap; devices are refused. */
const MAX_EDITS_BYTES = 64 * 1024 * 1024;

async function readEditsFile(path: string): Promise<Buffer> {
  const s = await stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new HandledError(`edits file not found: ${path}`);
    throw new HandledError(`cannot read ${path}: ${e.message}`);
  });
  if (!s.isFile() && !s.isFIFO()) throw new HandledError(`cannot read ${path}: it is not a regular file or a pipe`);
  const fh = await open(path, constants.O_RDONLY).catch((e: Error) => { throw new HandledError(`cannot read ${path}: ${e.message}`); });
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(1 << 20);
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_EDITS_BYTES) throw new HandledError(`cannot read ${path}: more than ${MAX_EDITS_BYTES / 1024 / 1024} MB of edits`);
      chunks.push(buf.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** The path, and where it leads when it is a symlink, must not be inside a version-control folder. */
function vcsCheck(path: string): string | undefined {
  let real: string | undefined;
  try { real = realpathSync(path); } catch { try { real = resolve(realpathSync(dirname(path)), path.split(/[\\/]/).pop()!); } catch { /* new folder */ } }
  return vcsRefusal(path) ?? (real ? vcsRefusal(real) : undefined);
}

/** One line for stderr: the first line of each failure. The full messages ("did you mean …") are in --json. */
function oneLine(failures: ApplyFailure[]): string {
  return failures.map((f) => f.message.split('\n')[0]).join('; ');
}

export const applyCommand: CliCommand = {
  async run(args, io) {
    useBaselineWasmCompiler(); // one file's syntax check
    const file = resolve(io.cwd, requireString(args, 'file'));
    const editsPath = resolve(io.cwd, requireString(args, 'edits'));
    const out = typeof args.values.out === 'string' && args.values.out !== '' ? resolve(io.cwd, args.values.out) : file;
    const json = args.values.json === true;

    for (const p of new Set([file, out])) {
      const refusal = vcsCheck(p);
      if (refusal) return fail(io, json, [{ blockIndex: 0, path: p, reason: 'vcs-folder', message: refusal }]);
    }
    const editsText = await readEditsFile(editsPath);
    let blocks;
    try {
      blocks = parseEdits(editsText.toString('utf8')).blocks;
    } catch (e) {
      if (e instanceof EditParseError) return fail(io, json, [{ blockIndex: 0, reason: 'malformed', message: e.message }]);
      throw e;
    }
    if (blocks.some((b) => b.deleteFile)) throw new HandledError('apply edits one file; a diff that deletes a file is not supported here');

    const state = await readEditTarget(file);
    if (state.kind === 'not-regular') return fail(io, json, [{ blockIndex: 0, path: file, reason: 'not-regular-file', message: state.message }]);
    if (state.kind === 'unreadable') throw new HandledError(state.message);
    const bytes = state.kind === 'file' ? state.bytes : undefined;
    const r = applyBlocksToBytes(bytes, blocks.map((b) => ({ ...b, path: undefined })), { path: file, indexes: blocks.map((_, i) => i) });
    if (!r.ok) return fail(io, json, r.failures);
    const { before, after } = r.change;

    const failure = await syntaxCheck(lazySyntaxErrorCounter(), file, file, before, after, blocks.map((_, i) => i));
    if (failure) return fail(io, json, [failure]);

    try {
      await mkdir(dirname(out), { recursive: true });
      await checkWritable(out);
      await writeAtomic(out, changeBytes(r.change));
    } catch (e) {
      const reason = /not a regular file/.test((e as Error).message) ? 'not-regular-file' : 'write-failed';
      return fail(io, json, [{ blockIndex: 0, path: out, reason, message: `not written: ${(e as Error).message}; ${out} was not changed` }]);
    }
    if (json) {
      const diff = unifiedDiff([{ path: file, before, after }]);
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
