// Where a model comes from: a local GGUF path, an `hf:user/repo:QUANT` (or `hf:user/repo/file.gguf`) URI,
// or an http(s) URL. Remote models map to a fixed file in the models dir, so "is it downloaded?" needs no
// network.
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';

export const DEFAULT_MODEL = 'hf:Qwen/QwQ-32B-GGUF:Q4_K_M';

export type ModelSource =
  | { kind: 'path'; spec: string; localPath: string }
  | { kind: 'hf'; spec: string; localPath: string; user: string; repo: string; quant?: string; file?: string; branch: string }
  | { kind: 'url'; spec: string; localPath: string; url: string };

export function defaultModelsDir(): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'qwq-coder', 'models');
}

/** Parses a model spec; throws a clear Error for a malformed hf: URI. */
export function resolveModelSource(spec: string, modelsDir = defaultModelsDir(), cwd = process.cwd()): ModelSource {
  const s = spec.trim();
  if (s.startsWith('hf:')) {
    const body = s.slice(3);
    const [pathPart, branch = 'main'] = body.split('#');
    const quantMatch = /^([^/\s:]+)\/([^/\s:]+):([^/\s:]+)$/.exec(pathPart!);
    if (quantMatch) {
      const [, user, repo, quant] = quantMatch as unknown as [string, string, string, string];
      return { kind: 'hf', spec: s, user, repo, quant, branch, localPath: join(modelsDir, `hf_${user}_${repo}_${quant}.gguf`) };
    }
    const fileMatch = /^([^/\s:]+)\/([^/\s:]+)\/(.+\.gguf)$/i.exec(pathPart!);
    if (fileMatch) {
      const [, user, repo, file] = fileMatch as unknown as [string, string, string, string];
      return { kind: 'hf', spec: s, user, repo, file, branch, localPath: join(modelsDir, `hf_${user}_${repo}_${basename(file)}`) };
    }
    throw new Error(`malformed Hugging Face model URI ${JSON.stringify(spec)}: use hf:user/repo:QUANT (for example ${DEFAULT_MODEL}) or hf:user/repo/file.gguf`);
  }
  if (/^https?:\/\//i.test(s)) {
    const url = new URL(s);
    const name = basename(url.pathname) || 'model.gguf';
    // A short hash of the URL keeps two servers' "model.gguf" apart.
    const tag = createHash('sha256').update(s).digest('hex').slice(0, 8);
    return { kind: 'url', spec: s, url: s, localPath: join(modelsDir, `${tag}_${name.endsWith('.gguf') ? name : `${name}.gguf`}`) };
  }
  const expanded = s.startsWith('~/') ? join(homedir(), s.slice(2)) : s;
  return { kind: 'path', spec: s, localPath: resolve(cwd, expanded) };
}
