// An OpenAI-compatible server as the model (vLLM, SGLang, llama.cpp server, Ollama). The API key never
// lives in settings.json: it is kept in VS Code's SecretStorage under the server's origin, so a workspace
// that points qwq.server.url elsewhere never receives the key of another server.
import { OpenAiRuntime } from '../../core/model';
import type { ModelRuntime } from '../../core/model';
import type { ServerChoice } from './modelService';

/** The SecretStorage key of a server's API key: one per origin (scheme, host and port). */
export function serverSecretKey(url: string): string {
  let origin = url.trim();
  try { origin = new URL(url).origin; } catch { /* an invalid URL keys as written; the runtime rejects it */ }
  return `qwq.server.apiKey:${origin}`;
}

export function createServerRuntime(server: ServerChoice, opts: { contextSize: number }): ModelRuntime {
  return new OpenAiRuntime({
    kind: 'openai', baseUrl: server.url, model: server.model, apiKey: server.apiKey, headers: server.headers,
    ...(opts.contextSize > 0 ? { contextSize: opts.contextSize } : {}),
  });
}
