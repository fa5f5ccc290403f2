// What a model needs and where it will run, worked out by node-llama-cpp before anything is loaded
// (GgufInsights, from the header the worker read once: readModelFile): GPU layers that fit the free VRAM, the
// largest context up to the wanted size that fits what is left, and the RAM/VRAM that takes. It is said in plain
// words; only a model that cannot run at all (not even a 2048-token context) is refused. Runs in the worker.
import { freemem, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

type Nlc = typeof import('node-llama-cpp');
type Llama = import('node-llama-cpp').Llama;
type GgufFileInfo = import('node-llama-cpp').GgufFileInfo;

export interface MemoryPlan {
  gpuLayers: number;
  totalLayers: number;
  contextSize: number;
  useMmap: boolean;
  /** Estimated use at that context, weights + context. */
  ramBytes: number;
  vramBytes: number;
  ramFreeBytes: number;
  ramTotalBytes: number;
  vramFreeBytes: number;
  vramTotalBytes: number;
  placement: 'gpu' | 'split' | 'cpu';
  /** The plan in one paragraph for the log, the status tooltip and the CLI. */
  summary: string;
}

export class ModelWontFitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelMemoryError';
  }
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const size = (n: number): string => (n >= GiB ? `${(n / GiB).toFixed(1)} GiB` : `${Math.max(0, Math.round(n / MiB))} MiB`);

/** MemAvailable on Linux (it counts reclaimable cache), else os.freemem(). */
function availableRam(): number {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch { /* not Linux */ }
  return freemem();
}

export interface PlanRequest {
  /** The model's header as node-llama-cpp read it, split parts spliced (readModelFile's ggufInfo). */
  fileInfo: GgufFileInfo;
  /** An explicit context size (a setting or flag): used as is, or refused when it cannot fit. */
  contextSize?: number;
  /** Without one: the largest context up to this that fits. */
  maxContextSize: number;
  gpu: 'auto' | false;
  /** Test hook: pretend this much RAM is free (and no VRAM). */
  freeMemoryBytes?: number;
  name?: string;
}

export async function planMemory(nlc: Nlc, llama: Llama, req: PlanRequest): Promise<MemoryPlan> {
  const insights = await nlc.GgufInsights.from(req.fileInfo, llama);
  const override = req.freeMemoryBytes;
  const ramState = async () => (override !== undefined ? { total: Math.max(override, totalmem()), free: override } : { total: totalmem(), free: availableRam() });
  const vramState = async () => (override !== undefined ? { total: 0, free: 0, unifiedSize: 0 } : await llama.getVramState());
  const swapState = async () => {
    if (override !== undefined) return { total: 0, free: 0 };
    const swap = await llama.getSwapState();
    return { total: swap.maxSize, free: Math.max(0, swap.maxSize - swap.used) };
  };
  const resolver = insights.configurationResolver;
  const { gpuLayers, useMmap } = req.gpu === false || override !== undefined
    ? { gpuLayers: 0, useMmap: true }
    : await resolver.resolveModelGpuLayersV2('auto', { getVramState: vramState });
  const train = insights.trainContextSize ?? req.maxContextSize;
  const wanted = req.contextSize ?? Math.min(req.maxContextSize, train);
  const ram = await ramState();
  const vram = await vramState();
  let contextSize: number;
  try {
    contextSize = await resolver.resolveContextContextSize(req.contextSize ?? { min: Math.min(2048, wanted), max: wanted }, {
      modelGpuLayers: gpuLayers, modelTrainContextSize: train, useMmap, sequences: 1,
      getRamState: ramState, getVramState: vramState, getSwapState: swapState, llamaGpu: override !== undefined ? false : llama.gpu,
    });
  } catch {
    const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers, useMmap });
    const ctx = await insights.estimateContextResourceRequirementsV2({ contextSize: wanted, modelGpuLayers: gpuLayers, sequences: 1, useMmap });
    const need = model.cpuRam + ctx.cpuRam + model.gpuVram + ctx.gpuVram;
    const have = ram.free + vram.free;
    throw new ModelWontFitError(`not enough memory for ${req.name ?? 'the model'}: it needs about ${size(need)} (weights ${size(model.cpuRam + model.gpuVram)} + context ${size(ctx.cpuRam + ctx.gpuVram)} for ${wanted} tokens) but only ${size(ram.free)} of RAM${vram.total > 0 ? ` and ${size(vram.free)} of VRAM` : ''} ${have === 1 ? 'is' : 'are'} free. ${req.contextSize !== undefined ? 'Lower the context size (setting qwq.model.contextSize, or 0 for the largest that fits), ' : ''}Use a smaller quantization or model, or free memory.`);
  }
  const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers, useMmap });
  const ctx = await insights.estimateContextResourceRequirementsV2({ contextSize, modelGpuLayers: gpuLayers, sequences: 1, useMmap });
  const totalLayers = insights.totalLayers;
  const placement = gpuLayers <= 0 ? 'cpu' : gpuLayers >= totalLayers ? 'gpu' : 'split';
  const ramBytes = model.cpuRam + ctx.cpuRam;
  const vramBytes = model.gpuVram + ctx.gpuVram;
  const where = placement === 'gpu' ? `fully on the GPU (${llama.gpu}, all ${totalLayers} layers)`
    : placement === 'split' ? `split: ${gpuLayers} of ${totalLayers} layers on the GPU (${llama.gpu}), the rest on the CPU`
      : `on the CPU only${llama.gpu ? ' (the model does not fit the free VRAM)' : ' (no GPU backend)'}`;
  const shrunk = contextSize < wanted ? ` (reduced from ${wanted} to fit)` : '';
  const summary = `${req.name ?? 'The model'} needs about ${size(ramBytes)} of RAM${vramBytes > 0 ? ` and ${size(vramBytes)} of VRAM` : ''} with a ${contextSize}-token context${shrunk}. `
    + `This machine has ${size(ram.free)} of ${size(ram.total)} RAM free${vram.total > 0 ? ` and ${size(vram.free)} of ${size(vram.total)} VRAM free` : ''}. It runs ${where}.`;
  return {
    gpuLayers, totalLayers, contextSize, useMmap, ramBytes, vramBytes, ramFreeBytes: ram.free, ramTotalBytes: ram.total,
    vramFreeBytes: vram.free, vramTotalBytes: vram.total, placement, summary,
  };
}
