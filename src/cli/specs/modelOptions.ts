// The options every command that runs a model shares (chat, complete), and their usage lines.
import type { OptionSpec } from '../command';

export const modelOptions: OptionSpec = {
  model: { type: 'string' },
  'models-dir': { type: 'string' },
  'context-size': { type: 'string' },
  threads: { type: 'string' },
  'base-url': { type: 'string' },
  'api-key': { type: 'string' },
  cpu: { type: 'boolean', default: false },
  'draft-model': { type: 'string' },
  'prompt-lookup': { type: 'boolean', default: false },
};

/** The usage lines of modelOptions; async because the default model's name is the model zone's. */
export async function modelOptionsUsage(): Promise<string> {
  const { DEFAULT_MODEL } = await import('../../core/model');
  return `  --model M           a GGUF path, hf:user/repo:QUANT or URL (default ${DEFAULT_MODEL})
  --models-dir D      where hf:/URL models are stored (default ~/.cache/qwq-coder/models)
  --context-size N    context tokens (default 32768, reduced to what memory allows)
  --threads N         CPU threads (default: physical cores minus one)
  --cpu               do not try the GPU
  --draft-model D     speculative decoding with a smaller GGUF sharing the model's tokenizer
  --prompt-lookup     speculative decoding from the prompt (fast for edits that copy their input)
  --base-url U        use an OpenAI-compatible server instead (with --model as its model name)
  --api-key K         the server's API key`;
}
