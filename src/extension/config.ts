import type * as vscode from 'vscode';

/** The settings this extension reads, in one typed shape (package.json `contributes.configuration`). */
export interface QwqSettings {
  /** Where the reasoning model runs: a local GGUF, or an OpenAI-compatible server (`server`). */
  modelProvider: 'local' | 'server';
  /** GGUF path, `hf:` URI or URL; empty means "not configured". */
  model: string;
  /** Context size in tokens; 0: the largest that fits, up to 32768. */
  contextSize: number;
  /** CPU threads for the model; 0 means "physical cores minus one". */
  threads: number;
  server: ServerSettings;
  thoughtBudget: number;
  maxRounds: number;
  /** The small FIM model for ghost text (GGUF path, hf: URI or URL); empty: no local inline model. */
  inlineModel: string;
  /** Instead of a local inline model: a model name on `server.url`. */
  inlineServerModel: string;
  inlineEnabled: boolean;
  inlineVerify: 'off' | 'background';
  inlineDebounceMs: number;
  testsCommand: string;
  testsTimeoutSeconds: number;
  /** qwq.tests.sandbox: run tests in the bubblewrap sandbox where it works (Linux). */
  testsSandbox: boolean;
  /** qwq.tests.network: the host's network inside the sandbox (default off). */
  testsNetwork: boolean;
  /** qwq.tests.env: credential-looking variables the tests may see anyway. */
  testsEnv: string[];
  /** Speculative decoding: a small draft model sharing QwQ's tokenizer, and prompt lookup. */
  speculative: SpeculativeSettings;
}

export interface ServerSettings {
  /** Base URL, for example http://127.0.0.1:8080/v1; empty: none. */
  url: string;
  /** The server's model name. */
  model: string;
  /** Extra headers (never the API key, which lives in SecretStorage). */
  headers: Record<string, string>;
}

export interface SpeculativeSettings {
  /** GGUF path of the draft model; empty: no draft model. */
  draftModel: string;
  /** Tokens the draft must be ahead before the target waits for it (0: never wait). */
  draftMinTokens: number;
  /** Prompt lookup: predicts tokens copied from the prompt, which edits do a lot. */
  promptLookup: boolean;
}

/** Settings whose change needs the reasoning model loaded again. */
export const MODEL_RELOAD_KEYS = [
  'qwq.model.provider', 'qwq.model.source', 'qwq.model.contextSize', 'qwq.model.threads',
  'qwq.server.url', 'qwq.server.model', 'qwq.server.headers', 'qwq.speculative',
] as const;

/** Settings whose change needs the inline model loaded again. */
export const INLINE_RELOAD_KEYS = ['qwq.inline.model', 'qwq.inline.serverModel', 'qwq.server.url', 'qwq.server.headers', 'qwq.model.threads'] as const;

/** Settings that name a model, a server or a command: a workspace may not set them in Restricted Mode. */
export const RESTRICTED_KEYS = [
  'model.provider', 'model.source', 'server.url', 'server.model', 'server.headers',
  'inline.model', 'inline.serverModel', 'speculative.draftModel', 'tests.command', 'tests.sandbox', 'tests.network', 'tests.env',
] as const;

type ConfigurationSource = Pick<typeof vscode.workspace, 'getConfiguration'>;

function stringRecord(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
}

/** Reads the `qwq.*` settings, falling back to the manifest defaults for anything out of range. */
export function readSettings(workspace: ConfigurationSource): QwqSettings {
  const c = workspace.getConfiguration('qwq');
  const int = (key: string, dflt: number, min: number): number => {
    const v = c.get<number>(key, dflt);
    return typeof v === 'number' && Number.isInteger(v) && v >= min ? v : dflt;
  };
  const str = (key: string): string => { const v = c.get<string>(key, ''); return typeof v === 'string' ? v.trim() : ''; };
  const verify = c.get<string>('inline.verify', 'off');
  return {
    modelProvider: c.get<string>('model.provider', 'local') === 'server' ? 'server' : 'local',
    model: str('model.source'),
    contextSize: int('model.contextSize', 0, 0),
    threads: int('model.threads', 0, 0),
    server: { url: str('server.url'), model: str('server.model'), headers: stringRecord(c.get('server.headers')) },
    thoughtBudget: int('agent.thoughtBudget', 8192, 0),
    maxRounds: int('agent.maxRounds', 3, 1),
    inlineModel: str('inline.model'),
    inlineServerModel: str('inline.serverModel'),
    inlineEnabled: c.get<boolean>('inline.enabled', true) !== false,
    inlineVerify: verify === 'background' ? 'background' : 'off',
    inlineDebounceMs: int('inline.debounceMs', 150, 0),
    testsCommand: c.get<string>('tests.command', '') ?? '',
    testsTimeoutSeconds: int('tests.timeoutSeconds', 120, 1),
    testsSandbox: c.get<boolean>('tests.sandbox', true) !== false,
    testsNetwork: c.get<boolean>('tests.network', false) === true,
    testsEnv: (c.get<unknown[]>('tests.env', []) ?? []).filter((v): v is string => typeof v === 'string'),
    speculative: {
      draftModel: str('speculative.draftModel'),
      draftMinTokens: int('speculative.draftMinTokens', 0, 0),
      promptLookup: c.get<boolean>('speculative.promptLookup', false) === true,
    },
  };
}

/** The inspect() slice the trust check needs. */
type Inspectable = { inspect(key: string): { workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined };

/**
 * The restricted settings (model, server, inline model, draft model, test command) that the workspace itself
 * sets, in `.vscode/settings.json` or a folder's settings. In Restricted Mode none of them may be acted on:
 * a repository could otherwise point llama.cpp at a crafted GGUF inside it, or a server that collects code.
 */
export function workspaceSetRestrictedKeys(config: Inspectable): string[] {
  return RESTRICTED_KEYS.filter((k) => {
    const i = config.inspect(k);
    return i !== undefined && (i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined);
  }).map((k) => `qwq.${k}`);
}
