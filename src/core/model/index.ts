// The model runtime's public surface (docs/architecture.md §2).
export * from './types';
export { createModelRuntime, isRemoteConfig } from './createModelRuntime';
export { LlamaRuntime, ModelProcessCrashedError, resolveWorkerEntry, DEFAULT_CONTEXT_SIZE } from './llamaRuntime';
export { OpenAiRuntime } from './openaiRuntime';
export { inspectModelFile, SUPPORTED_ARCHITECTURES } from './modelFile';
export type { ModelFileInfo } from './modelFile';
export { readGgufHeader, ModelFileError } from './ggufHeader';
export { availableMemoryBytes, formatBytes, ModelMemoryError } from './memoryCheck';
export { resolveModelSource, defaultModelsDir, DEFAULT_MODEL } from './modelSource';
export type { ModelSource } from './modelSource';
export { createModelDownloader, downloadedModelPath, DownloadError } from './modelDownloader';
export { LoopDetector, findPeriodicTail } from './loopDetector';
export { QWQ_SAMPLING } from './sampling';
export { defaultThreadCount, physicalCoreCount, logicalCoreCount, checkThreadCount, ThreadCountError } from './threads';
export { listServerModels, detectReasoningFormat, reasoningFormatOf } from './serverProbe';
export type { ReasoningFormat } from './serverProbe';
