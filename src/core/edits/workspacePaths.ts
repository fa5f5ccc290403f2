// Keeps edits inside the workspace: relative paths only, no '..' escapes, no symlink that leads out, and
// nothing inside a version-control folder. Only the path itself decides: a folder's name (node_modules,
// target, vendor…) never does, so `src/target/util.js` is an ordinary file.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { vcsFolderIn, vcsRefusal } from './vcsPaths';

export type PathCheck =
  | { ok: true; abs: string; rel: string }
  | { ok: false; message: string; reason: 'outside-workspace' | 'vcs-folder' };

export function resolveInWorkspace(workspace: string, path: string): PathCheck {
  const p = path.trim().replace(/\\/g, '/');
  if (p === '') return { ok: false, reason: 'outside-workspace', message: 'the block names no file path' };
  // A NUL byte cannot be in a file name; the OS would refuse it later, with a less useful error.
  if (p.includes('\0')) return { ok: false, reason: 'outside-workspace', message: `refused: ${JSON.stringify(path)} contains a NUL byte, which no file name can` };
  if (isAbsolute(p) || /^[a-zA-Z]:/.test(p) || p.startsWith('~')) {
    return { ok: false, reason: 'outside-workspace', message: `refused: '${path}' is an absolute path; edits must name files relative to the workspace` };
  }
  const rel = normalize(p).replace(/\\/g, '/').replace(/\/+$/, '');
  if (rel === '..' || rel.startsWith('../') || rel === '.' || rel === '') {
    return { ok: false, reason: 'outside-workspace', message: `refused: '${path}' is outside the workspace` };
  }
  const vcs = vcsRefusal(rel);
  if (vcs) return { ok: false, reason: 'vcs-folder', message: vcs };
  const realRoot = realpathSync(workspace);
  const abs = join(realRoot, rel);
  // The deepest existing ancestor decides: a symlinked folder (or file) may point outside the workspace,
  // or into its .git folder.
  let probe = abs;
  for (;;) {
    let real: string | undefined;
    try { real = realpathSync(probe); } catch { /* does not exist yet: check its parent */ }
    if (real !== undefined) {
      if (real !== realRoot && !real.startsWith(realRoot + sep)) {
        return { ok: false, reason: 'outside-workspace', message: `refused: '${path}' leads outside the workspace through a symbolic link (to ${real})` };
      }
      const realRel = relative(realRoot, real);
      if (vcsRefusal(realRel)) {
        return { ok: false, reason: 'vcs-folder', message: `refused: '${path}' leads into ${vcsFolderIn(realRel)}/ through a symbolic link; edits to the version-control folder are never applied` };
      }
      break;
    }
    const up = dirname(probe);
    if (up === probe) break;
    probe = up;
  }
  return { ok: true, abs, rel: relative(realRoot, abs).split(sep).join('/') };
}
