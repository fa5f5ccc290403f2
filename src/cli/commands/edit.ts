// `qwq-coder edit --workspace W --task "…" [--file F] [--model M] [--max-rounds N] [--json]` (docs/architecture.md §6): the
// whole loop. Prints the agent's events (readable text, or JSON lines with --json), then the verified diff or
// why there is none. Exit 0 only with a verified diff. It never writes the user's files, except with --apply,
// and then only a verified edit onto files that have not changed since they were verified.
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { HandledError, optionalInt, testsOption, UsageError, workspaceFile, type CliCommand, type CliIO, type ParsedArgs } from '../command';
import { requireDirectory } from './context';
import { threadsArg } from './chat';
import { createModelRuntime, DEFAULT_MODEL } from '../../core/model';
import type { ModelRuntime } from '../../core/model';
import { runAgent, type AgentResult } from '../../core/agent';
import type { AgentEvent } from '../../core/agent';
import { createAgentDeps } from '../../core/agent';
import { inferTaskKind, newTaskId, taskKinds, validateTask, TaskError, type AgentTask, type TaskKind } from '../../core/agent';
import { writeChanges, WriteRefusedError } from '../../core/edits';
import { isolationArgs } from './isolationFlags';

const str = (args: ParsedArgs, name: string): string | undefined => (typeof args.values[name] === 'string' && args.values[name] !== '' ? args.values[name] as string : undefined);

/** One readable line (or block) per event; thoughts and answers stream inline, as they come. */
export function formatEvent(e: AgentEvent, state: { streaming?: 'thought' | 'answer' }): string {
  const close = state.streaming ? '\n' : '';
  const line = (text: string) => { const out = `${close}${text}\n`; state.streaming = undefined; return out; };
  switch (e.type) {
    case 'thought':
    case 'answer': {
      const head = state.streaming === e.type ? '' : `${close}${e.type === 'thought' ? '  thinking: ' : '  answer: '}`;
      state.streaming = e.type;
      return head + e.text;
    }
    case 'task-started': return line(`task ${e.taskId}: ${e.kind}${e.instruction ? `: ${e.instruction}` : ''}`);
    case 'phase': return e.phase === 'done' ? '' : line(`[${e.phase}${e.round ? ` round ${e.round}` : ''}]`);
    case 'baseline': return line(`  baseline (${e.runner}): ${e.passed} passed, ${e.failed} failed${e.targets.length ? `; targets: ${e.targets.join(', ')}` : ''}`);
    case 'context': return line(`  context: ${e.items.length} snippet(s), ${e.tokens} tokens: ${[...new Set(e.items.map((i) => i.path))].join(', ')}`);
    case 'plan': return line(`  plan: ${e.text.split('\n').join('\n        ')}`);
    case 'tool-call': return line(`  tool ${e.name}(${JSON.stringify(e.args)})`);
    case 'tool-result': return line(`  tool ${e.ok ? 'result' : 'error'}: ${e.summary.split('\n')[0]}`);
    case 'apply-failed': return line(`  edit did not apply: ${e.message.split('\n').join('\n    ')}`);
    case 'candidate': return e.candidate.verdict || e.candidate.applyError ? '' : line(`  candidate ${e.candidate.id}: ${e.candidate.files.join(', ')} (${e.candidate.changedLines ?? 0} changed lines)`);
    case 'test-output': return '';
    case 'verdict': return line(`  verdict ${e.candidateId}: ${e.verdict}: ${e.summary}`);
    case 'mutation-check': return line(`  mutation ${e.mutation}: ${e.killed ? 'caught by the new tests' : 'NOT caught'}`);
    case 'stats': return line(`  ${e.call ?? 'model'}: ${e.stats.promptTokens} prompt (${e.stats.reusedTokens} cached) + ${e.stats.completionTokens} generated tokens, ${e.stats.tokensPerSecond.toFixed(1)} tok/s${e.stats.predictions ? `, predicted tokens ${e.stats.predictions.validated} validated / ${e.stats.predictions.refuted} refuted` : ''}`);
    case 'budget': return '';
    case 'warning': return line(`  warning: ${e.message}`);
    case 'task-finished': return line(`${e.outcome}: ${e.message}`);
  }
}

/** Writes a verified edit, but only onto files that still hold the text it was verified against. */
async function applyVerified(workspace: string, result: AgentResult): Promise<string[]> {
  const changes = result.best?.changes ?? [];
  // writeChanges refuses paths in .git/ and non-regular files, checks every file still holds the exact
  // bytes that were verified, and writes atomically (restoring the others if one write fails).
  try {
    await writeChanges(workspace, changes);
  } catch (e) {
    if (e instanceof WriteRefusedError) throw new HandledError(`${e.message.replace(/since the edit was made/, 'since the edit was verified; run edit again')}`);
    throw e;
  }
  return changes.map((c) => c.path);
}

function parseLines(v: string | undefined): { startLine: number; endLine: number } | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(v);
  if (!m) throw new UsageError(`--lines must be L or A-B (1-based), got ${JSON.stringify(v)}`);
  return { startLine: Number(m[1]), endLine: Number(m[2] ?? m[1]) };
}

export const editCommand: CliCommand = {
  async run(args, io) {
    const json = args.values.json === true;
    const workspace = resolve(io.cwd, str(args, 'workspace') ?? '.');
    const instruction = str(args, 'task') ?? '';
    const kindArg = str(args, 'kind');
    if (kindArg !== undefined && !taskKinds.includes(kindArg as TaskKind)) throw new UsageError(`--kind must be one of ${taskKinds.join(', ')}, got ${JSON.stringify(kindArg)}`);
    const kind = (kindArg as TaskKind | undefined) ?? (instruction ? inferTaskKind(instruction) : 'fix-failing-tests');
    const tests = testsOption(args);
    if (kind !== 'fix-failing-tests' && !instruction) throw new UsageError('missing --task');
    const fileArg = str(args, 'file');
    let file: string | undefined;
    if (fileArg !== undefined) {
      const rel = relative(workspace, workspaceFile(workspace, io.cwd, fileArg));
      if (rel.startsWith('..') || resolve(workspace, rel) === workspace) throw new UsageError(`--file must be inside the workspace: ${fileArg}`);
      file = rel.split(sep).join('/');
    }
    const secs = (name: string) => { const n = optionalInt(args, name, 1); return n === undefined ? undefined : n * 1000; };
    const options = {
      maxRounds: optionalInt(args, 'max-rounds', 1), candidatesPerRound: optionalInt(args, 'candidates', 1),
      tokenBudget: optionalInt(args, 'token-budget', 1), timeBudgetMs: secs('time-budget'), thoughtBudget: optionalInt(args, 'thought-budget', 0),
      tools: args.values['no-tools'] !== true, trusted: true,
    };
    const threads = threadsArg(args);
    const baseUrl = str(args, 'base-url');
    if (baseUrl !== undefined && !/^https?:\/\/\S+$/i.test(baseUrl)) throw new UsageError(`--base-url must be an http:// or https:// URL, got ${JSON.stringify(baseUrl)}`);
    if (baseUrl !== undefined && str(args, 'model') === undefined) throw new UsageError('--base-url needs --model (the server\'s model name)');
    const apiKey = str(args, 'api-key') ?? (process.env.QWQ_API_KEY || undefined);
    const contextSize = optionalInt(args, 'context-size', 512);
    const iso = isolationArgs(args);
    await requireDirectory(workspace);
    const task: AgentTask = { id: newTaskId(), kind, instruction, workspace, file, selection: parseLines(str(args, 'lines')), symbol: str(args, 'symbol') };
    try { validateTask(task); } catch (e) { if (e instanceof TaskError) throw new UsageError(e.message); throw e; }
    if (file !== undefined) {
      try { await readFile(join(workspace, file)); } catch { throw new HandledError(`file not found: ${file}`); }
    }

    const emitLine = (text: string) => { if (text) io.stdout(text); };
    const state: { streaming?: 'thought' | 'answer' } = {};
    const print = (e: AgentEvent) => emitLine(json ? `${JSON.stringify(e)}\n` : formatEvent(e, state));

    const model = str(args, 'model') ?? process.env.QWQ_MODEL ?? DEFAULT_MODEL;
    const runtimes: ModelRuntime[] = [];
    const load = async (spec: string): Promise<ModelRuntime> => {
      const rt = createModelRuntime(baseUrl !== undefined
        ? { kind: 'openai', baseUrl, model: spec, apiKey, ...(contextSize !== undefined ? { contextSize } : {}) }
        : { model: spec, threads, contextSize, gpu: 'auto' });
      runtimes.push(rt);
      if (!json) io.stdout(`loading ${spec}…\n`);
      try {
        const info = await rt.load(io.signal);
        if (!json) io.stdout(`loaded ${info.architecture} (${info.contextSize} context tokens)\n`);
      } catch (e) {
        throw new HandledError(`cannot load model ${spec}: ${(e as Error).message.split('\n')[0]}`);
      }
      return rt;
    };
    let deps: ReturnType<typeof createAgentDeps> | undefined;
    try {
      const architect = await load(model);
      const editorSpec = str(args, 'editor-model');
      const editor = editorSpec ? await load(editorSpec) : undefined;
      deps = createAgentDeps({ workspace, architect, editor, trusted: true, tests, timeoutMs: secs('timeout'), testCommand: str(args, 'test-command'), ...iso });
      const result = await runAgent(task, deps, options, print, io.signal);
      if (state.streaming) io.stdout('\n');
      return await report(io, json, workspace, result, args.values.apply === true);
    } finally {
      deps?.dispose();
      await Promise.all(runtimes.map((r) => r.dispose().catch(() => undefined)));
    }
  },
};

async function report(io: CliIO, json: boolean, workspace: string, result: AgentResult, apply: boolean): Promise<number> {
  const best = result.best;
  const verified = result.outcome === 'verified';
  let applied: string[] = [];
  if (verified && apply) applied = await applyVerified(workspace, result);
  if (json) {
    io.stdout(`${JSON.stringify({
      type: 'result', outcome: result.outcome, verified, message: result.message, diff: best?.diff ?? '', verdict: best?.run?.verdict ?? null,
      rounds: result.rounds, tokensUsed: result.tokensUsed, durationMs: result.elapsedMs, applied, explanation: result.explanation ?? null,
    })}\n`);
  } else {
    if (result.explanation) io.stdout(`\n${result.explanation}\n`);
    if (best?.diff) io.stdout(`\n${verified ? 'VERIFIED diff' : 'NOT VERIFIED: best candidate (its tests did not pass or did not run)'}:\n${best.diff}`);
    if (applied.length) io.stdout(`applied to ${applied.join(', ')}\n`);
    else if (verified && best?.diff) io.stdout('not written: run again with --apply to write this verified diff into the workspace\n');
    io.stdout(`${result.tokensUsed} tokens, ${(result.elapsedMs / 1000).toFixed(1)} s, ${result.rounds} round(s)\n`);
  }
  if (verified || (result.outcome === 'no-edit' && result.explanation)) return 0;
  io.stderr(`qwq-coder: ${result.message.split('\n')[0]}\n`);
  return 1;
}
