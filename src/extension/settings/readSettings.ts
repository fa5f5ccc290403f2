// Reads the qwq.* settings through the table, for one workspace folder (resource-scoped settings such as
// qwq.tests.command differ per folder in a multi-root workspace) or for the window.
import type * as vscode from 'vscode';
import { manifestDefault, RESTRICTED_SETTINGS, SETTINGS, type SettingKey, type SettingValue } from './settingsTable';

/** The settings this extension reads, in one typed shape. */
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

/** The slice of workspace.getConfiguration this module uses (so its tests run with a small fake). */
export type ConfigurationSource = { getConfiguration(section: string, scope?: vscode.Uri): Pick<vscode.WorkspaceConfiguration, 'get'> };

/** One setting, validated; the manifest default when it is unset or out of range. */
export function readSetting<K extends SettingKey>(config: Pick<vscode.WorkspaceConfiguration, 'get'>, key: K): SettingValue<K> {
  const value = SETTINGS[key].validate(config.get(key));
  return (value ?? manifestDefault(key)) as SettingValue<K>;
}

/** Reads the `qwq.*` settings as they apply to `folder` (a workspace folder's uri), or to the window. */
export function readSettings(workspace: ConfigurationSource, folder?: vscode.Uri): QwqSettings {
  const c = workspace.getConfiguration('qwq', folder);
  const get = <K extends SettingKey>(key: K): SettingValue<K> => readSetting(c, key);
  return {
    modelProvider: get('model.provider'),
    model: get('model.source'),
    contextSize: get('model.contextSize'),
    threads: get('model.threads'),
    server: { url: get('server.url'), model: get('server.model'), headers: get('server.headers') },
    thoughtBudget: get('agent.thoughtBudget'),
    maxRounds: get('agent.maxRounds'),
    inlineModel: get('inline.model'),
    inlineServerModel: get('inline.serverModel'),
    inlineEnabled: get('inline.enabled'),
    inlineVerify: get('inline.verify'),
    inlineDebounceMs: get('inline.debounceMs'),
    testsCommand: get('tests.command'),
    testsTimeoutSeconds: get('tests.timeoutSeconds'),
    testsSandbox: get('tests.sandbox'),
    testsNetwork: get('tests.network'),
    testsEnv: get('tests.env'),
    speculative: {
      draftModel: get('speculative.draftModel'),
      draftMinTokens: get('speculative.draftMinTokens'),
      promptLookup: get('speculative.promptLookup'),
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
  return RESTRICTED_SETTINGS.filter((id) => {
    const i = config.inspect(id.slice('qwq.'.length));
    return i !== undefined && (i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined);
  });
}
