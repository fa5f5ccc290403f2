// `qwq-coder models`'s name, summary, usage and options (the implementation: ../commands/models.ts).
import { jsonOption, type CliCommandSpec } from '../command';

export const modelsSpec: CliCommandSpec = {
  name: 'models',
  summary: 'Model management: info (from the GGUF header), pull (download with progress), list',
  async usage() {
    const { DEFAULT_MODEL } = await import('../../core/model');
    return `Usage: qwq-coder models info [M] [--json]
       qwq-coder models pull [M] [--json]
       qwq-coder models list [--json]

M is a GGUF path, hf:user/repo:QUANT or an https URL (default ${DEFAULT_MODEL}).
  --models-dir D   where hf:/URL models are stored (default ~/.cache/qwq-coder/models)
  --model M        the same as the positional M`;
  },
  options: { model: { type: 'string' }, 'models-dir': { type: 'string' }, ...jsonOption },
  allowPositionals: true,
};
