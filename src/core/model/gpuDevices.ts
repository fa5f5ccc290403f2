// GPU 'auto' makes node-llama-cpp try its CUDA and Vulkan builds before the CPU one, which costs seconds at
// every load. On Linux a usable GPU always shows up as a device node, so when none exists we go straight to
// the CPU build; elsewhere (macOS Metal, Windows) we let node-llama-cpp probe.
import { readdirSync } from 'node:fs';

/** Device nodes that a CUDA (nvidia*, WSL's dxg) or Vulkan/ROCm (dri/renderD*) GPU would create. */
export function linuxGpuDeviceFound(devEntries: string[], driEntries: string[]): boolean {
  return devEntries.some((e) => /^nvidia\d|^nvidiactl$|^dxg$|^kfd$/.test(e)) || driEntries.some((e) => e.startsWith('renderD'));
}

function list(dir: string): string[] {
  try { return readdirSync(dir); } catch { return []; }
}

/** Whether probing for a GPU can find one on this machine (always true off Linux: we cannot tell cheaply). */
export function gpuMayBePresent(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return true;
  return linuxGpuDeviceFound(list('/dev'), list('/dev/dri'));
}
