// `qwq-coder chat [--model M] [--max-tokens N] [--thought-budget N] [--json] "prompt"`: one chat turn with the
// model. Thinking streams to stderr, the answer to stdout; --json prints {thought, answer, stopReason, stats}.
import { resolve } from 'node:path';
import { HandledError, optionalInt, UsageError, type CliCommand, type ParsedArgs } from '../command';
import { checkThreadCount, ThreadCountError, createModelRuntime, DEFAULT_MODEL, DownloadError, ModelFileError, ModelMemoryError, ModelProcessCrashedError, type ObservableModelRuntime, type RuntimeConfig } from '../../core/model';

export function runtimeFromArgs(args: ParsedArgs, cwd: string): ObservableModelRuntime {
  const str = (k: string): string | undefined => (typeof args.values[k] === 'string' && args.values[k] !== '' ? args.values[k] as string : undefined);
  const contextSize = optionalInt(args, 'context-size', 512);
  const threads = threadsArg(args);
  const baseUrl = str('base-url');
  let config: RuntimeConfig;
  if (baseUrl) {
    if (!str('model')) throw new UsageError('--base-url needs --model (the server\'s model name)');
    config = { kind: 'openai', baseUrl, model: str('model')!, apiKey: str('api-key'), contextSize };
  } else {
    const model = str('model') ?? DEFAULT_MODEL;
    const asSpec = (m: string): string => (/^(hf:|https?:\/\/)/i.test(m) ? m : resolve(cwd, m));
    const draft = str('draft-model');
    config = {
      model: asSpec(model),
      modelsDir: str('models-dir'), contextSize, threads, gpu: args.values.cpu === true ? false : 'auto',
      ...(draft ? { draftModel: asSpec(draft) } : {}),
      ...(args.values['prompt-lookup'] === true ? { promptLookup: true } : {}),
    };
  }
  return createModelRuntime(config);
}

/** --threads: a whole number from 1 to the machine's logical cores (a usage error otherwise). */
export function threadsArg(args: ParsedArgs): number | undefined {
  const threads = optionalInt(args, 'threads', 1);
  if (threads === undefined) return undefined;
  try { return checkThreadCount(threads, '--threads'); } catch (e) { throw new UsageError((e as Error).message); }
}

/** Model failures the user can act on are "handled" (exit 1, one line). */
export function asHandled(e: unknown): unknown {
  if (e instanceof ModelFileError || e instanceof ModelMemoryError || e instanceof DownloadError || e instanceof ModelProcessCrashedError || e instanceof ThreadCountError) return new HandledError(e.message);
  if (e instanceof Error && /not downloaded yet|cannot reach|answered HTTP|no model loaded|not available/.test(e.message)) return new HandledError(e.message);
  return e;
}

export const chatCommand: CliCommand = {
  async run(args, io) {
    const prompt = args.positionals.join(' ').trim();
    if (!prompt) throw new UsageError('chat needs a prompt, for example: qwq-coder chat "explain this error"');
    const maxTokens = optionalInt(args, 'max-tokens', 1);
    const thoughtBudget = optionalInt(args, 'thought-budget', 0);
    const json = args.values.json === true;
    const rt = runtimeFromArgs(args, io.cwd);
    try {
      let inThought = false;
      const r = await rt.chat([{ role: 'user', content: prompt }], {
        maxTokens, thoughtBudget, signal: io.signal,
        onChunk: json ? undefined : (c) => {
          if (c.kind === 'thought') { if (!inThought) { inThought = true; io.stderr('<think>\n'); } io.stderr(c.text); return; }
          if (inThought) { inThought = false; io.stderr('\n</think>\n'); }
          io.stdout(c.text);
        },
      });
      if (json) io.stdout(`${JSON.stringify(r, null, 2)}\n`);
      else {
        if (inThought) io.stderr('\n</think>\n');
        io.stdout('\n');
        if (r.stopDetail) io.stderr(`(${r.stopReason}: ${r.stopDetail})\n`);
      }
      return r.stopReason === 'error' ? 1 : 0;
    } catch (e) {
      throw asHandled(e);
    } finally {
      await rt.dispose();
    }
  },
};
