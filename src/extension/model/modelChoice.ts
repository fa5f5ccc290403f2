// Which model each role uses, from the settings: the reasoning model (local GGUF or a server) and the
// ghost-text model. Pure functions, so the choice is unit-tested without VS Code.
import type { QwqSettings } from '../settings';
import type { ModelChoice } from './modelService';

/** The reasoning model; `blocked` says why Restricted Mode forbids it (undefined: allowed). */
export function reasoningModelChoice(s: QwqSettings, blocked: string | undefined): ModelChoice {
  const server = s.modelProvider === 'server' && s.server.url ? { url: s.server.url, model: s.server.model, headers: s.server.headers } : undefined;
  return { model: s.model, threads: s.threads, contextSize: s.contextSize, speculative: s.speculative, server, blocked };
}

/** A small FIM model needs a small context: ghost text sends at most a few thousand tokens. */
export const INLINE_CONTEXT_SIZE = 8192;

/** The ghost-text model: a model on the server when one is named there, else the local inline model. */
export function inlineModelChoice(s: QwqSettings, blocked: string | undefined): ModelChoice {
  const server = s.inlineServerModel && s.server.url ? { url: s.server.url, model: s.inlineServerModel, headers: s.server.headers } : undefined;
  return { model: server ? '' : s.inlineModel, threads: s.threads, contextSize: INLINE_CONTEXT_SIZE, server, blocked };
}
