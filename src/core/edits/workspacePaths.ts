// Keeps edits inside the workspace: relative paths only, no '..' escapes, no symlink that leads out.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';

export type PathCheck = { ok: true; abs: string; rel: string } | { ok: false; message: string };

export function resolveInWorkspace(workspace: string, path: string): PathCheck {
  const p = path.trim().replace(/\\/g, '/');
  if (p === '') return { ok: false, message: 'the block names no file path' };
  if (isAbsolute(p) || /^[a-zA-Z]:\//.test(p) || p.startsWith('~')) {
    return { ok: false, message: `refused: '${path}' is an absolute path; edits must name files relative to the workspace` };
  }
  const rel = normalize(p).replace(/\\/g, '/');
  if (rel === '..' || rel.startsWith('../') || rel === '.') {
    return { ok: false, message: `refused: '${path}' is outside the workspace` };
  }
  const realRoot = realpathSync(workspace);
  const abs = join(realRoot, rel);
  // The deepest existing ancestor decides: a symlinked folder (or file) may point outside the workspace.
  let probe = abs;
  for (;;) {
    let real: string | undefined;
    try { real = realpathSync(probe); } catch { /* does not exist yet: check its parent */ }
    if (real !== undefined) {
      if (real !== realRoot && !real.startsWith(realRoot + sep)) {
        return { ok: false, message: `refused: '${path}' leads outside the workspace through a symbolic link` };
      }
      break;
    }
    const up = dirname(probe);
    if (up === probe) break;
    probe = up;
  }
  return { ok: true, abs, rel: relative(realRoot, abs).split(sep).join('/') };
}
