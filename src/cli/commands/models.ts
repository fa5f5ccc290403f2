// `qwq-coder models info|pull|list [--json]`: model management. `info` reads the GGUF header only (no load);
// `pull` downloads with progress (size first, resumable, Ctrl-C cancels); `list` shows the models dir.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HandledError, UsageError, type CliCommand } from '../command';
import {
  createModelDownloader, downloadedModelPath, defaultModelsDir, DEFAULT_MODEL, formatBytes, inspectModelFile, resolveModelSource,
  type ModelFileInfo,
} from '../../core/model';
import { asHandled } from './chat';

/** node-llama-cpp's estimate (GgufInsights) of what the model needs at `ctx` tokens: on the CPU, and fully on a GPU. */
async function memoryEstimate(path: string, ctx: number): Promise<{ cpuRamBytes: number; gpuVramBytes: number; gpuRamBytes: number } | undefined> {
  try {
    const nlc = await import('node-llama-cpp');
    const insights = await nlc.GgufInsights.from(await nlc.readGgufFileInfo(path));
    const at = async (gpuLayers: number) => {
      const m = await insights.estimateModelResourceRequirementsV2({ gpuLayers });
      const c = await insights.estimateContextResourceRequirementsV2({ contextSize: ctx, modelGpuLayers: gpuLayers, sequences: 1 });
      return { ram: m.cpuRam + c.cpuRam, vram: m.gpuVram + c.gpuVram };
    };
    const cpu = await at(0);
    const gpu = await at(insights.totalLayers);
    return { cpuRamBytes: cpu.ram, gpuVramBytes: gpu.vram, gpuRamBytes: gpu.ram };
  } catch {
    return undefined;
  }
}

function describe(info: ModelFileInfo, mem: Awaited<ReturnType<typeof memoryEstimate>>, ctx: number): string {
  return [
    `path:          ${info.path}`,
    `name:          ${info.name ?? '(none)'}`,
    `architecture:  ${info.architecture}`,
    `parameters:    ${info.parameters.toLocaleString('en-US')}`,
    `file size:     ${formatBytes(info.fileSizeBytes)}`,
    `context:       ${info.trainContextSize} tokens (trained)`,
    `layers:        ${info.layers}, heads ${info.headCount} (KV ${info.headCountKv}), width ${info.embeddingLength}`,
    `KV cache:      ${formatBytes(info.kvBytesPerToken)} per token (F16)`,
    `memory:        ${mem ? `at ${ctx} tokens about ${formatBytes(mem.cpuRamBytes)} of RAM on the CPU, or ${formatBytes(mem.gpuVramBytes)} of VRAM (+ ${formatBytes(mem.gpuRamBytes)} RAM) fully on a GPU` : 'no estimate'}`,
    `fill-in-middle: ${info.hasInfill ? 'yes' : 'no'}`,
    `chat template: ${info.chatTemplate ? (info.chatTemplate.includes('<think>') ? 'yes (opens <think>)' : 'yes') : 'no'}`,
  ].join('\n');
}

function jsonInfo(info: ModelFileInfo): Record<string, unknown> {
  const { chatTemplate, ...rest } = info;
  return { ...rest, hasChatTemplate: chatTemplate !== undefined };
}

export const modelsCommand: CliCommand = {
  async run(args, io) {
    const [sub, positionalModel, ...extra] = args.positionals;
    if (extra.length) throw new UsageError(`models: unexpected argument ${JSON.stringify(extra[0])}`);
    const json = args.values.json === true;
    const modelsDir = typeof args.values['models-dir'] === 'string' ? args.values['models-dir'] : defaultModelsDir();
    const spec = positionalModel ?? (typeof args.values.model === 'string' ? args.values.model : DEFAULT_MODEL);
    try {
      if (sub === 'info') {
        const source = resolveModelSource(spec, modelsDir, io.cwd);
        const onDisk = source.kind === 'path' ? source.localPath : downloadedModelPath(source.localPath);
        if (onDisk === undefined) throw new HandledError(`${spec} is not downloaded yet; run 'qwq-coder models pull ${spec}'`);
        const info = await inspectModelFile(onDisk);
        const ctx = Math.min(32768, info.trainContextSize);
        const mem = await memoryEstimate(onDisk, ctx);
        io.stdout(json ? `${JSON.stringify({ source: spec, ...jsonInfo(info), memory: mem ? { contextSize: ctx, ...mem } : null }, null, 2)}\n` : `${describe(info, mem, ctx)}\n`);
        return 0;
      }
      if (sub === 'pull') {
        const source = resolveModelSource(spec, modelsDir, io.cwd);
        if (source.kind === 'path') {
          await inspectModelFile(source.localPath);
          io.stdout(json ? `${JSON.stringify({ path: source.localPath, downloaded: false })}\n` : `${source.localPath} is a local file; nothing to pull\n`);
          return 0;
        }
        const d = await createModelDownloader(source);
        if (!json) io.stderr(`${spec}: ${formatBytes(d.totalBytes)} from ${d.url}${d.files > 1 ? ` in ${d.files} files` : ''}${d.resuming ? ' (resuming an earlier download)' : ''}\n`);
        const path = await d.download({
          signal: io.signal,
          onProgress: json ? undefined : (p) => {
            const pct = ((p.downloadedBytes / p.totalBytes) * 100).toFixed(1);
            const eta = p.etaSeconds !== undefined ? `, ${Math.ceil(p.etaSeconds)} s left` : '';
            io.stderr(`\r${pct}% ${formatBytes(p.downloadedBytes)} of ${formatBytes(p.totalBytes)} at ${formatBytes(p.bytesPerSecond)}/s${eta}   `);
          },
        });
        if (!json) io.stderr('\n');
        io.stdout(json ? `${JSON.stringify({ path, bytes: d.totalBytes, downloaded: true })}\n` : `${path}\n`);
        return 0;
      }
      if (sub === 'list') {
        const files = existsSync(modelsDir) ? readdirSync(modelsDir).filter((f) => f.endsWith('.gguf')).sort() : [];
        const rows = await Promise.all(files.map(async (f) => {
          const path = join(modelsDir, f);
          try {
            const info = await inspectModelFile(path);
            return { path, bytes: info.fileSizeBytes, architecture: info.architecture, parameters: info.parameters, ok: true };
          } catch (e) {
            return { path, bytes: statSync(path).size, ok: false, problem: (e as Error).message };
          }
        }));
        if (json) io.stdout(`${JSON.stringify({ modelsDir, models: rows }, null, 2)}\n`);
        else if (rows.length === 0) io.stdout(`no models in ${modelsDir}\n`);
        else for (const r of rows) io.stdout(`${formatBytes(r.bytes).padStart(10)}  ${r.ok ? `${r.architecture}` : `unusable: ${r.problem}`}  ${r.path}\n`);
        return 0;
      }
      throw new UsageError(sub ? `models: unknown subcommand '${sub}' (info, pull, list)` : 'models needs a subcommand: info, pull or list');
    } catch (e) {
      throw asHandled(e);
    }
  },
};
