// A GGUF file's header (metadata and tensor table), read by node-llama-cpp's readGgufFileInfo without loading
// the model, and checked the way llama.cpp checks it, so bad files are refused with a clear message in the
// parent process instead of aborting llama.cpp (docs/architecture.md §2: some missing keys SIGABRT).
// checkGgufBounds runs first: the library trusts every length in the file (see ggufBounds.ts for what that costs).
// The first call in a process imports node-llama-cpp's JS (not its native binding): 1.6–2.1 s and about 40 MiB
// more RSS, measured on this 2-core machine under load. So the model worker and the CLI call it, never the
// extension host: LlamaRuntime runs only checkGgufBounds before the fork (test/unit/model/hostImports.test.ts).
import { checkGgufBounds, ModelFileError, printable } from './ggufBounds';

export { ModelFileError, printable } from './ggufBounds';

type Nlc = typeof import('node-llama-cpp');

export type GgufMetadataValue = string | number | bigint | boolean | GgufMetadataValue[];

export interface GgufTensorInfo { name: string; dims: number[]; type: number; offset: number }

export interface GgufHeader {
  version: number;
  /** Flat keys as in the file ("qwen2.context_length"). */
  metadata: Record<string, GgufMetadataValue>;
  tensors: GgufTensorInfo[];
  /** Byte offset where tensor data starts (after alignment padding). */
  dataOffset: number;
  fileSize: number;
}

/** Bytes per block and elements per block of each ggml type (ggml.c type_traits); unknown types are skipped. */
const GGML_TYPE_SIZE: Record<number, [blockBytes: number, blockElems: number]> = {
  0: [4, 1], 1: [2, 1], 2: [18, 32], 3: [20, 32], 6: [22, 32], 7: [24, 32], 8: [34, 32], 9: [36, 32],
  10: [84, 256], 11: [110, 256], 12: [144, 256], 13: [176, 256], 14: [210, 256], 15: [292, 256],
  16: [66, 256], 17: [74, 256], 18: [98, 256], 19: [50, 256], 20: [18, 32], 21: [110, 256], 22: [82, 256],
  23: [136, 256], 24: [1, 1], 25: [2, 1], 26: [4, 1], 27: [8, 1], 28: [8, 1], 29: [56, 256], 30: [2, 1],
  34: [54, 256], 35: [66, 256], 39: [17, 32],
};

export function tensorByteSize(t: GgufTensorInfo): number | undefined {
  const traits = GGML_TYPE_SIZE[t.type];
  if (!traits) return undefined;
  const elems = t.dims.reduce((a, b) => a * b, 1);
  return Math.ceil(elems / traits[1]) * traits[0];
}

/** ggml types llama.cpp still reads (0..39, without the removed Q4_2/Q4_3/Q4_0_4_4… slots it rejects). */
const REMOVED_TYPES = new Set([4, 5, 31, 32, 33, 36, 37, 38]);

/**
 * The tensor table, checked the way llama.cpp's gguf loader checks it (it aborts or reads out of bounds
 * otherwise): every name is non-empty, printable UTF-8 and unique; every type is a ggml type; every
 * dimension is positive and the element count fits; every offset is aligned, inside the file, and the
 * tensors do not overlap. The first problem is named, with its tensor's index and (escaped) name.
 */
export function validateTensorTable(path: string, tensors: GgufTensorInfo[], alignment: number, dataOffset: number, fileSize: number): void {
  const seen = new Set<string>();
  const bad = (i: number, t: GgufTensorInfo, what: string): ModelFileError => new ModelFileError(`${path} has a corrupt tensor table: tensor ${i} ("${printable(t.name)}") ${what}`, 'invalid');
  const spans: Array<[number, number, number]> = [];
  for (const [i, t] of tensors.entries()) {
    if (t.name.length === 0 || t.name.length > 256) throw bad(i, t, `has a name of ${t.name.length} characters`);
    if (/[\u0000-\u001f\u007f\ufffd]/.test(t.name)) throw bad(i, t, 'has a name with control characters or invalid UTF-8');
    if (seen.has(t.name)) throw bad(i, t, 'appears twice');
    seen.add(t.name);
    if (!(t.type in GGML_TYPE_SIZE) || REMOVED_TYPES.has(t.type)) throw bad(i, t, `has unknown ggml type ${t.type}`);
    if (t.dims.some((d) => !Number.isSafeInteger(d) || d < 1)) throw bad(i, t, `has shape [${t.dims.join(', ')}] (every dimension must be at least 1)`);
    const elements = t.dims.reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(elements) || elements > fileSize * 64) throw bad(i, t, `has shape [${t.dims.join(', ')}], more elements than the file could hold`);
    const [, blockElems] = GGML_TYPE_SIZE[t.type]!;
    if (t.dims[0]! % blockElems !== 0) throw bad(i, t, `has a first dimension of ${t.dims[0]}, not a multiple of its type's block size ${blockElems}`);
    if (t.offset % alignment !== 0) throw bad(i, t, `has offset ${t.offset}, not a multiple of the alignment ${alignment}`);
    const bytes = tensorByteSize(t)!;
    if (dataOffset + t.offset > fileSize) throw bad(i, t, `starts at byte ${dataOffset + t.offset}, past the end of the ${fileSize}-byte file`);
    spans.push([t.offset, t.offset + bytes, i]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let k = 1; k < spans.length; k++) {
    const [start, , i] = spans[k]!;
    const [, prevEnd, j] = spans[k - 1]!;
    if (start < prevEnd) throw bad(i, tensors[i]!, `overlaps tensor ${j} ("${printable(tensors[j]!.name)}")`);
  }
}

/** node-llama-cpp nests metadata by dotted key ({ qwen2: { context_length } }); this puts the keys back. */
function flatten(nested: object, prefix = '', out: Record<string, GgufMetadataValue> = {}): Record<string, GgufMetadataValue> {
  for (const [k, v] of Object.entries(nested)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as object, key, out);
    else out[key] = v as GgufMetadataValue;
  }
  return out;
}

/** node-llama-cpp's reading of a GGUF header (metadata, tensor table, raw header bytes for its estimates). */
export type GgufFileInfo = import('node-llama-cpp').GgufFileInfo;

/** One read of a header: our checked view of the file, and node-llama-cpp's file info it came from. */
export interface GgufRead { header: GgufHeader; fileInfo: GgufFileInfo }

/** Reads and checks the header; throws ModelFileError naming the cause (missing, not GGUF, truncated…). */
export async function readGgufHeader(path: string): Promise<GgufHeader> {
  return (await readGguf(path, { spliceSplitFiles: false })).header;
}

/** llama.cpp's split naming (gguf-split, and node-llama-cpp's resolveSplitGgufParts): model-00001-of-00003.gguf. */
const SPLIT_PART = /-(\d{5})-of-(\d{5})\.gguf$/;

/** Every file of a split model named by its path (just the path otherwise), so each is bounds-checked first. */
function splitParts(path: string): string[] {
  const m = SPLIT_PART.exec(path);
  const count = m ? Number(m[2]) : 0;
  if (!m || count < 1 || Number(m[1]) < 1 || Number(m[1]) > count) return [path];
  const stem = path.slice(0, m.index);
  return Array.from({ length: count }, (_, i) => `${stem}-${String(i + 1).padStart(5, '0')}-of-${m[2]}.gguf`);
}

/**
 * Reads the header once for everything a load needs from it. With `spliceSplitFiles` the file info also holds
 * the other parts' tensor tables (GgufInsights needs them to size the whole model); each part is bounds-checked
 * before the library reads it. The checks here cover the file at `path`: its own tensor table and data.
 */
export async function readGguf(path: string, options: { spliceSplitFiles: boolean }): Promise<GgufRead> {
  const { version, fileSize } = checkGgufBounds(path);
  if (options.spliceSplitFiles) for (const part of splitParts(path)) if (part !== path) checkGgufBounds(part);
  const nlc: Nlc = await import('node-llama-cpp');
  const fileInfo = await nlc.readGgufFileInfo(path, { sourceType: 'filesystem', spliceSplitFiles: options.spliceSplitFiles, logWarnings: false })
    .catch((e: unknown) => { throw new ModelFileError(`${path} is not a valid GGUF: ${printable((e as Error).message, 200)}`, 'invalid'); });
  const metadata = flatten(fileInfo.metadata);
  const alignment = typeof metadata['general.alignment'] === 'number' ? metadata['general.alignment'] : 32;
  if (!Number.isInteger(alignment) || alignment < 1 || (alignment & (alignment - 1)) !== 0) {
    throw new ModelFileError(`${path} is not a valid GGUF: general.alignment is ${alignment}, not a power of two`, 'invalid');
  }
  // tensorInfo is this file's table (fullTensorInfo adds the other parts', whose offsets are into their own files).
  const tensors: GgufTensorInfo[] = (fileInfo.tensorInfo ?? []).map((t) => ({ name: t.name, dims: t.dimensions.map(Number), type: t.ggmlType, offset: Number(t.offset) }));
  const dataOffset = fileInfo.infoEndOffset ?? 0;
  validateTensorTable(path, tensors, alignment, dataOffset, fileSize);
  // The tensor data must be all there: a cut-off download otherwise loads and fails deep in llama.cpp.
  let dataEnd = dataOffset;
  for (const t of tensors) {
    const bytes = tensorByteSize(t);
    if (bytes !== undefined) dataEnd = Math.max(dataEnd, dataOffset + t.offset + bytes);
  }
  if (dataEnd > fileSize) {
    throw new ModelFileError(`${path} is truncated: its tensors need ${dataEnd} bytes but the file has ${fileSize} (an interrupted download? pull it again to resume)`, 'truncated');
  }
  return { header: { version, metadata, tensors, dataOffset, fileSize }, fileInfo };
}
