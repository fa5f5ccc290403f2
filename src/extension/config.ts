import type * as vscode from 'vscode';

/** The settings this extension reads, in one typed shape (package.json `contributes.configuration`). */
export interface QwqSettings {
  /** GGUF path, `hf:` URI or URL; empty means "not configured". */
  model: string;
  /** Optional small FIM model for inline suggestions; empty: QwQ with an empty think block. */
  inlineModel: string;
  contextSize: number;
  thoughtBudget: number;
  maxRounds: number;
  inlineEnabled: boolean;
  inlineVerify: 'off' | 'background';
  inlineDebounceMs: number;
  /** CPU threads for the model; 0 means "physical cores minus one" (RECIPES §3b). */
  threads: number;
  testsCommand: string;
  testsTimeoutSeconds: number;
  /** qwq.tests.sandbox: run tests in the bubblewrap sandbox where it works (Linux). */
  testsSandbox: boolean;
  /** qwq.tests.network: network inside the sandbox. */
  testsNetwork: boolean;
  /** Speculative decoding (RECIPES §2): a small draft model sharing QwQ's tokenizer, and prompt lookup. */
  speculative: SpeculativeSettings;
}

export interface SpeculativeSettings {
  /** GGUF path of the draft model; empty: no draft model. */
  draftModel: string;
  /** Tokens the draft must be ahead before the target waits for it (0: never wait). */
  draftMinTokens: number;
  /** Prompt lookup: predicts tokens copied from the prompt, which edits do a lot. */
  promptLookup: boolean;
}

type ConfigurationSource = Pick<typeof vscode.workspace, 'getConfiguration'>;

/** Reads the `qwq.*` settings, falling back to the manifest defaults for anything out of range. */
export function readSettings(workspace: ConfigurationSource): QwqSettings {
  const c = workspace.getConfiguration('qwq');
  const num = (key: string, dflt: number, min: number): number => {
    const v = c.get<number>(key, dflt);
    return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : dflt;
  };
  const verify = c.get<string>('inline.verify', 'off');
  return {
    model: (c.get<string>('model', '') ?? '').trim(),
    inlineModel: (c.get<string>('inline.model', '') ?? '').trim(),
    contextSize: num('contextSize', 32768, 512),
    thoughtBudget: num('thoughtBudget', 8192, 0),
    maxRounds: num('maxRounds', 3, 1),
    inlineEnabled: c.get<boolean>('inline.enabled', true) !== false,
    inlineVerify: verify === 'background' ? 'background' : 'off',
    inlineDebounceMs: num('inline.debounceMs', 150, 0),
    threads: num('threads', 0, 0),
    testsCommand: c.get<string>('tests.command', '') ?? '',
    testsTimeoutSeconds: num('tests.timeoutSeconds', 120, 1),
    testsSandbox: c.get<boolean>('tests.sandbox', true) !== false,
    testsNetwork: c.get<boolean>('tests.network', true) !== false,
    speculative: {
      draftModel: (c.get<string>('speculative.draftModel', '') ?? '').trim(),
      draftMinTokens: num('speculative.draftMinTokens', 0, 0),
      promptLookup: c.get<boolean>('speculative.promptLookup', false) === true,
    },
  };
}
