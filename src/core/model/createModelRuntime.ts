// One entry point for callers (agent, CLI, extension): settings-like config in, a ModelRuntime out.
// `kind: 'openai'` (or a baseUrl) picks the OpenAI-compatible server; anything else runs locally.
import type { ObservableModelRuntime, RuntimeConfig, LocalRuntimeConfig, RemoteRuntimeConfig } from './types';
import { LlamaRuntime } from './llamaRuntime';
import { OpenAiRuntime } from './openaiRuntime';

export function isRemoteConfig(config: RuntimeConfig): config is RemoteRuntimeConfig {
  return config.kind === 'openai';
}

export function createModelRuntime(config: RuntimeConfig): ObservableModelRuntime {
  if (isRemoteConfig(config)) return new OpenAiRuntime(config);
  return new LlamaRuntime(config as LocalRuntimeConfig);
}
