// `qwq-coder edit`'s name, summary, usage and options (the implementation: ../commands/edit.ts).
import { jsonOption, TESTS_HELP, type CliCommandSpec } from '../command';
import { ISOLATION_USAGE, isolationOptions } from '../commands/isolationFlags';

export const editSpec: CliCommandSpec = {
  name: 'edit',
  summary: 'Plan, write and verify an edit with the model and your tests; prints the verified diff',
  async usage() {
    const { DEFAULT_MODEL } = await import('../../core/model');
    const { agentDefaults, taskKinds } = await import('../../core/agent');
    return `Usage: qwq-coder edit --workspace W --task "…" [--file F] [--model M] [--max-rounds N] [--json]
       [--kind K] [--lines A-B] [--symbol S] [--editor-model M] [--candidates N] [--apply]
       [--token-budget N] [--time-budget S] [--thought-budget N] [--threads N] [--context-size N]
       [--tests related|all] [--timeout S] [--test-command C] [--no-tools] [--base-url U [--api-key K]]
       [--isolation auto|sandbox|copy] [--network] [--env NAME]...

QwQ plans (thinking streamed, read-only tools: read_file, find_definition, search_text, list_tests,
run_tests), a second call writes the edit under a JSON-schema grammar, and the workspace's own tests judge
it in a shadow copy. Failures go back to the model for up to --max-rounds rounds (default ${agentDefaults.maxRounds}).

  --kind         ${taskKinds.join(' | ')} (default: read from --task;
                 fix-failing-tests needs no --task: the failing tests are the task)
  --model        GGUF path, hf: URI or URL (default $QWQ_MODEL or ${DEFAULT_MODEL})
  --editor-model a separate model that writes the edits (default: the same model)
  --candidates   edits sampled per round, ranked by their test results (default 1)
  --apply        write the VERIFIED diff into the workspace (only if its files did not change meanwhile);
                 without it the diff is printed and nothing in the workspace is ever written
  --token-budget all tokens the models may process (default ${agentDefaults.tokenBudget})
  --time-budget  seconds for the whole task (default ${agentDefaults.timeBudgetMs / 1000})
  --base-url     an OpenAI-compatible server (vLLM, SGLang, llama.cpp server, Ollama), for example
                 http://127.0.0.1:8080/v1; --model (and --editor-model) are then its model names.
                 The API key comes from --api-key or $QWQ_API_KEY.
  --timeout      seconds per test run (default 120)
${TESTS_HELP}

Running this command trusts the workspace: its test command runs (in a shadow copy, never in W).
${ISOLATION_USAGE}
Output: events as text, or one JSON object per line with --json (the agent's typed events, then
{"type":"result",…}). The verified diff is printed, not written, unless --apply is given. Exit 0 with a verified diff; 1 with no verified edit (the best unverified
candidate is printed, marked NOT VERIFIED); 2 on a usage error. An explain task exits 0 with its
explanation.`;
  },
  options: {
    workspace: { type: 'string' }, task: { type: 'string' }, file: { type: 'string' }, model: { type: 'string' },
    'max-rounds': { type: 'string' }, kind: { type: 'string' }, lines: { type: 'string' }, symbol: { type: 'string' },
    'editor-model': { type: 'string' }, candidates: { type: 'string' }, apply: { type: 'boolean', default: false },
    'token-budget': { type: 'string' }, 'time-budget': { type: 'string' }, 'thought-budget': { type: 'string' },
    threads: { type: 'string' }, 'context-size': { type: 'string' }, tests: { type: 'string' }, timeout: { type: 'string' },
    'test-command': { type: 'string' }, 'no-tools': { type: 'boolean', default: false },
    'base-url': { type: 'string' }, 'api-key': { type: 'string' }, ...isolationOptions, ...jsonOption,
  },
};
