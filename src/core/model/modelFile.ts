// What a GGUF file is, from its header alone: architecture, size, shape, FIM support. Also refuses files that
// llama.cpp would choke on (unknown architecture, missing keys that abort the process) before any load.
import { type GgufFileInfo, GgufHeader, GgufMetadataValue, ModelFileError, printable, readGguf, readGgufHeader } from './ggufHeader';

/** Text-generation architectures of the llama.cpp bundled with node-llama-cpp 3.22.1 (GgufArchitectureType). */
export const SUPPORTED_ARCHITECTURES = new Set(('llama llama4 deci falcon grok gpt2 gptj gptneox mpt baichuan starcoder refact bloom stablelm qwen qwen2 '
  + 'qwen2moe qwen2vl qwen3 qwen3moe qwen3next qwen3vl qwen3vlmoe qwen35 qwen35moe phi2 phi3 phimoe plamo plamo2 plamo3 codeshell orion '
  + 'internlm2 minicpm minicpm3 gemma gemma2 gemma3 gemma3n gemma4 starcoder2 mamba mamba2 jamba falcon-h1 xverse command-r cohere2 '
  + 'cohere2moe dbrx olmo olmo2 olmoe openelm arctic deepseek deepseek2 deepseek32 deepseek4 chatglm glm4 glm4moe bitnet t5 jais jais2 '
  + 'nemotron nemotron_h nemotron_h_moe exaone exaone4 exaone-moe rwkv6 rwkv6qwen2 rwkv7 arwkv7 granite granitemoe granitehybrid chameleon '
  + 'plm bailingmoe bailingmoe2 dots1 arcee afmoe ernie4_5 ernie4_5-moe hunyuan-moe hunyuan-dense smollm3 gpt-oss lfm2 lfm2moe dream '
  + 'smallthinker llada llada-moe seed_oss grovemoe apertus minimax-m2 mistral3 mistral4 mimo2 step35 maincoder kimi-linear nanbeige').split(' '));

/** Recurrent / hybrid architectures legitimately lack attention keys. */
const NON_ATTENTION = /mamba|rwkv|jamba|falcon-h1|nemotron_h|granitehybrid|kimi-linear|qwen3next|lfm2/;

export interface ModelFileInfo {
  path: string;
  architecture: string;
  name?: string;
  parameters: number;
  fileSizeBytes: number;
  weightsBytes: number;
  trainContextSize: number;
  layers: number;
  embeddingLength: number;
  headCount: number;
  headCountKv: number;
  /** F16 KV cache bytes per token of context. */
  kvBytesPerToken: number;
  hasInfill: boolean;
  chatTemplate?: string;
  /** File type / quantization name when the header says (general.file_type). */
  fileType?: number;
}

function num(v: GgufMetadataValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v) && v.length > 0) return Math.max(...v.map((x) => num(x) ?? 0)); // per-layer arrays
  return undefined;
}

const FIM_TOKEN_SETS = [
  ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'],
  ['<fim_prefix>', '<fim_suffix>', '<fim_middle>'],
  ['<|fim▁begin|>', '<|fim▁hole|>', '<|fim▁end|>'],
];

/** Reads and validates a model file; every refusal is a ModelFileError that names the cause. */
export async function inspectModelFile(path: string): Promise<ModelFileInfo> {
  return describeHeader(path, await readGgufHeader(path));
}

/**
 * The worker's one read of a model's header: the checked facts, and node-llama-cpp's file info (a split model's
 * parts spliced in) for the memory plan, which used to read the header again (~130 ms for QwQ's 152k-token
 * vocabulary; bench/model.bench.ts).
 */
export async function readModelFile(path: string): Promise<{ file: ModelFileInfo; ggufInfo: GgufFileInfo }> {
  const { header, fileInfo } = await readGguf(path, { spliceSplitFiles: true });
  const file = describeHeader(path, header);
  // A split model's other parts hold the rest of its tensors (the header facts are the first part's).
  if (fileInfo.splicedParts > 1) file.parameters = (fileInfo.fullTensorInfo ?? []).reduce((sum, t) => sum + t.dimensions.reduce((a: number, b) => a * Number(b), 1), 0);
  return { file, ggufInfo: fileInfo };
}

export function describeHeader(path: string, h: GgufHeader): ModelFileInfo {
  const m = h.metadata;
  const arch = m['general.architecture'];
  if (typeof arch !== 'string') throw new ModelFileError(`${path} is not a usable model: the GGUF header has no general.architecture`, 'invalid');
  if (!SUPPORTED_ARCHITECTURES.has(arch)) {
    throw new ModelFileError(`${path} has architecture "${printable(arch)}", which this runtime cannot run as a chat model (supported include qwen2, qwen3, llama, gemma3, phi3…)`, 'unsupported');
  }
  const required = [`${arch}.context_length`, `${arch}.embedding_length`, `${arch}.block_count`];
  // llama.cpp asserts (SIGABRT) instead of throwing when these are missing (docs/architecture.md §2).
  if (!NON_ATTENTION.test(arch)) required.push(`${arch}.feed_forward_length`, `${arch}.attention.head_count`);
  const missing = required.filter((k) => m[k] === undefined);
  if (missing.length) throw new ModelFileError(`${path} is missing required metadata ${missing.join(', ')}; llama.cpp would abort on it`, 'invalid');
  if (typeof m['tokenizer.ggml.model'] !== 'string' || !Array.isArray(m['tokenizer.ggml.tokens'])) {
    throw new ModelFileError(`${path} has no tokenizer (tokenizer.ggml.model / tokenizer.ggml.tokens are missing)`, 'invalid');
  }
  if (m['tokenizer.ggml.model'] === 'gpt2' && !Array.isArray(m['tokenizer.ggml.merges'])) {
    throw new ModelFileError(`${path} has a BPE tokenizer without tokenizer.ggml.merges`, 'invalid');
  }
  const embd = num(m[`${arch}.embedding_length`])!;
  const heads = num(m[`${arch}.attention.head_count`]) ?? 1;
  const headsKv = num(m[`${arch}.attention.head_count_kv`]) ?? heads;
  const layers = num(m[`${arch}.block_count`])!;
  const keyLen = num(m[`${arch}.attention.key_length`]) ?? embd / Math.max(heads, 1);
  const valueLen = num(m[`${arch}.attention.value_length`]) ?? embd / Math.max(heads, 1);
  const tokens = m['tokenizer.ggml.tokens'] as GgufMetadataValue[];
  const tokenSet = new Set(tokens.filter((t) => typeof t === 'string' && t.startsWith('<')) as string[]);
  const hasInfill = FIM_TOKEN_SETS.some((set) => set.every((t) => tokenSet.has(t)))
    || (m['tokenizer.ggml.fim_pre_token_id'] !== undefined && m['tokenizer.ggml.fim_suf_token_id'] !== undefined && m['tokenizer.ggml.fim_mid_token_id'] !== undefined);
  const parameters = h.tensors.reduce((sum, t) => sum + t.dims.reduce((a, b) => a * b, 1), 0);
  return {
    path,
    architecture: arch,
    name: typeof m['general.name'] === 'string' ? m['general.name'] : undefined,
    parameters,
    fileSizeBytes: h.fileSize,
    weightsBytes: h.fileSize - h.dataOffset,
    trainContextSize: num(m[`${arch}.context_length`])!,
    layers,
    embeddingLength: embd,
    headCount: heads,
    headCountKv: headsKv,
    kvBytesPerToken: NON_ATTENTION.test(arch) ? 0 : layers * headsKv * (keyLen + valueLen) * 2,
    hasInfill,
    chatTemplate: typeof m['tokenizer.chat_template'] === 'string' ? m['tokenizer.chat_template'] : undefined,
    fileType: num(m['general.file_type']),
  };
}
