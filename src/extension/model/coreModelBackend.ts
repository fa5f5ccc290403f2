// The model backend over the core's model module: where a model spec lives on disk, downloading it, and
// the crash-isolated runtime (node-llama-cpp in a child process).
import { existsSync } from 'node:fs';
import { resolveModelSource } from '../../core/model';
import { createModelDownloader, downloadedModelPath } from '../../core/model';
import type { ModelRuntime } from '../../core/model';
import type { LocatedModel, ModelBackend, RuntimeOptions, ServerChoice } from './modelService';

export type RuntimeFactory = (path: string, opts: RuntimeOptions) => ModelRuntime;

export function createCoreModelBackend(opts: {
  modelsDir?: string; workspaceRoot?: string; createRuntime: RuntimeFactory;
  createServerRuntime?(server: ServerChoice, o: Pick<RuntimeOptions, 'contextSize'>): ModelRuntime;
}): ModelBackend {
  const resolve = (spec: string) => resolveModelSource(spec, opts.modelsDir, opts.workspaceRoot);
  return {
    async locate(spec: string): Promise<LocatedModel> {
      const src = resolve(spec);
      const onDisk = src.kind === 'path' ? (existsSync(src.localPath) ? src.localPath : undefined) : downloadedModelPath(src.localPath);
      if (onDisk) return { kind: 'local', path: onDisk };
      return src.kind === 'path' ? { kind: 'missing', path: src.localPath } : { kind: 'remote', source: spec };
    },
    async download(spec, { signal, onProgress }) {
      const src = resolve(spec);
      if (src.kind === 'path') throw new Error(`${spec} is a local path: there is nothing to download`);
      const downloader = await createModelDownloader(src, { modelsDir: opts.modelsDir });
      return downloader.download({ signal, onProgress: (p) => onProgress(p.downloadedBytes, p.totalBytes || undefined) });
    },
    createRuntime: opts.createRuntime,
    ...(opts.createServerRuntime ? { createServerRuntime: opts.createServerRuntime } : {}),
  };
}
