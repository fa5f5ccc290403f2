// The agent loop (docs/architecture.md §1): context → plan (QwQ thinks, may call read-only tools) → edit (a second call under
// a JSON-schema grammar, thinking off) → verify (shadow workspace, the user's own tests) → repair (the failure
// goes back), for up to maxRounds. Every dependency is a parameter (ports.ts), so the loop is unit-tested
// with test doubles and run for real by the CLI and the extension. It never writes a user file: edits are
// applied in memory and verified in the verifier's shadow copy.
import type { ChatMessage, ChatResult, ModelRuntime, SamplingOptions } from '../model/types';
import type { PackedContext } from '../context/types';
import type { FileChange } from '../edits/types';
import type { AgentEvent, AgentOutcomeKind, AgentPhase } from './events';
import { BudgetExceeded, Budget } from './budget';
import { bestCandidate, candidateVerdict, compareCandidates, recordDecision, summarize, verdictReason, type Candidate } from './candidates';
import { verifyForTask } from './acceptance';
import type { AcceptanceTask } from '../verify';
import { EDIT_SCHEMA, parseEditReply } from './editSchema';
import { editPrompt, historyMessages, planPrompt, withAttachments, repairPrompt, trimOutput, viewFile, promptLimits, type FileView, type RepairFeedback } from './prompts';
import { systemClock, type AgentDeps, type AgentOptions, type TestRun, type VerifierSession } from './ports';
import { taskWritesCode, validateTask, type AgentTask } from './task';
import { createTools } from './tools';
import { QWQ_SAMPLING } from '../model';
import { definedOnly } from '../util';
import { errorMessage } from '../util';

export const agentDefaults = {
  maxRounds: 3,
  candidatesPerRound: 1,
  tokenBudget: 120_000,
  timeBudgetMs: 30 * 60_000,
  thoughtBudget: 8192,
  planMaxTokens: 2048,
  editMaxTokens: 4096,
  contextTokens: 4096,
  tools: true,
  trusted: false,
} satisfies Required<Omit<AgentOptions, 'sampling'>>;

type Resolved = Required<Omit<AgentOptions, 'sampling'>> & { sampling: SamplingOptions };

export function resolveOptions(o: AgentOptions = {}): Resolved {
  // QwQ-32B's model-card sampling (never greedy, no repeat penalty), unless the caller chose otherwise.
  const r: Resolved = { ...agentDefaults, ...definedOnly(o), sampling: { ...QWQ_SAMPLING, ...o.sampling } } as Resolved;
  for (const k of ['maxRounds', 'candidatesPerRound', 'tokenBudget', 'timeBudgetMs', 'planMaxTokens', 'editMaxTokens', 'contextTokens'] as const) {
    if (!Number.isInteger(r[k]) || r[k] < 1) throw new RangeError(`${k} must be a positive integer, got ${r[k]}`);
  }
  if (!Number.isInteger(r.thoughtBudget) || r.thoughtBudget < 0) throw new RangeError(`thoughtBudget must be an integer ≥ 0, got ${r.thoughtBudget}`);
  return r;
}

export interface AgentResult {
  outcome: AgentOutcomeKind;
  message: string;
  /** Accepted candidates, best first (usually one: the loop stops at the first accepted round). */
  verified: Candidate[];
  /** The best candidate overall: verified, or the best failing one (clearly not verified). */
  best?: Candidate;
  candidates: Candidate[];
  explanation?: string;
  rounds: number;
  tokensUsed: number;
  elapsedMs: number;
}

type Emit = (e: AgentEvent) => void;

/** Runs one task to its outcome. Resolves (never rejects) once every resource it opened is released. */
export async function runAgent(task: AgentTask, deps: AgentDeps, options: AgentOptions = {}, emit: Emit = () => {}, signal?: AbortSignal): Promise<AgentResult> {
  validateTask(task);
  return new AgentRun(task, deps, resolveOptions(options), emit).run(signal);
}

class AgentRun {
  private readonly ctl = new AbortController();
  private readonly clock;
  private readonly budget: Budget;
  private session: VerifierSession | undefined;
  private baseline: TestRun | undefined;
  private targets: string[] = [];
  private packed: PackedContext = { snippets: [], tokens: 0 };
  private readonly candidates: Candidate[] = [];
  private round = 0;
  private toolCalls = 0;
  private fileList: string[] | undefined;

  constructor(private readonly task: AgentTask, private readonly deps: AgentDeps, private readonly opts: Resolved, private readonly emitRaw: Emit) {
    this.clock = deps.clock ?? systemClock;
    this.budget = new Budget(opts.tokenBudget, opts.timeBudgetMs, this.clock);
  }

  private get signal(): AbortSignal { return this.ctl.signal; }

  private emit(e: AgentEvent): void {
    try { this.emitRaw(e); } catch { /* a failing listener must not break the task */ }
  }

  private phase(phase: AgentPhase): void {
    this.emit({ type: 'phase', taskId: this.task.id, phase, round: this.round });
  }

  private warn(message: string): void {
    this.emit({ type: 'warning', taskId: this.task.id, message });
  }

  async run(outer?: AbortSignal): Promise<AgentResult> {
    const onAbort = () => this.ctl.abort(outer?.reason ?? new Error('cancelled'));
    if (outer?.aborted) onAbort();
    outer?.addEventListener('abort', onAbort, { once: true });
    // The time budget aborts whatever is running, model call or test run, through the same signal.
    const timer = this.clock.setTimeout(() => this.ctl.abort(new BudgetExceeded('time', `time budget of ${Math.round(this.opts.timeBudgetMs / 1000)} s spent`)), this.opts.timeBudgetMs);
    this.emit({ type: 'task-started', taskId: this.task.id, kind: this.task.kind, instruction: this.task.instruction, files: this.task.file ? [this.task.file] : [], maxRounds: this.opts.maxRounds });
    let result: Omit<AgentResult, 'candidates' | 'rounds' | 'tokensUsed' | 'elapsedMs'>;
    try {
      result = await this.steps();
    } catch (e) {
      result = this.interrupted(e);
    } finally {
      timer.dispose();
      outer?.removeEventListener('abort', onAbort);
    }
    // Release the shadow copy before saying "finished": a listener may check that nothing is left behind.
    if (this.session) {
      try { await this.session.dispose(); } catch (e) { this.warn(`could not remove the shadow workspace: ${(e as Error).message}`); }
      this.session = undefined;
    }
    this.round = Math.max(this.round, 0);
    this.phase('done');
    this.emit({ type: 'task-finished', taskId: this.task.id, outcome: result.outcome, message: result.message, best: result.best ? summarize(result.best) : undefined, explanation: result.explanation });
    return { ...result, candidates: this.candidates, rounds: this.round, tokensUsed: this.budget.tokensUsed, elapsedMs: this.budget.elapsedMs };
  }

  /** Cancellation, a spent budget, or an unexpected error: keep the best candidate so far, clearly unverified. */
  private interrupted(e: unknown): Omit<AgentResult, 'candidates' | 'rounds' | 'tokensUsed' | 'elapsedMs'> {
    const reason = this.signal.aborted ? this.signal.reason : e;
    if (reason instanceof BudgetExceeded) return this.noVerifiedEdit(`${reason.message}`);
    if (this.signal.aborted) return { outcome: 'cancelled', message: 'cancelled: nothing was changed', verified: [] };
    return { outcome: 'failed', message: errorMessage(e).split('\n')[0], verified: [] };
  }

  /** Between phases: a cancelled task starts nothing new, even if the step it just finished ignored the signal. */
  private checkpoint(): void {
    this.signal.throwIfAborted();
  }

  private async steps(): Promise<Omit<AgentResult, 'candidates' | 'rounds' | 'tokensUsed' | 'elapsedMs'>> {
    this.checkpoint();
    this.phase('context');
    // The baseline comes first: for a fix, the failing tests say where to look.
    if (taskWritesCode(this.task.kind)) {
      const stop = await this.openVerifier();
      if (stop) return stop;
    }
    this.packed = withAttachments(this.task, await this.deps.context.gather({ task: this.task, targets: this.targets, budgetTokens: this.opts.contextTokens, signal: this.signal }));
    this.checkpoint();
    this.emit({
      type: 'context', taskId: this.task.id, tokens: this.packed.tokens,
      items: this.packed.snippets.map((s) => ({ path: s.path, startLine: s.startLine, endLine: s.endLine, kind: s.kind, symbol: s.symbol })),
    });
    const selectionText = await this.selectionText();

    // A follow-up carries its conversation: earlier requests and final answers, never earlier thinking.
    const architect: ChatMessage[] = [...historyMessages(this.task.history), {
      role: 'user',
      content: planPrompt({
        task: this.task, selectionText, snippets: this.packed.snippets, tools: this.opts.tools ? this.toolNames() : [],
        baseline: this.baseline ? { runner: this.baseline.runner, targets: this.targets, output: this.baselineOutput() } : undefined,
      }),
    }];

    if (this.task.kind === 'explain') {
      this.round = 1;
      this.phase('plan');
      const explanation = await this.think(architect, 'explain');
      return explanation
        ? { outcome: 'no-edit', message: 'explained (no edit)', verified: [], explanation }
        : { outcome: 'failed', message: 'the model gave no explanation', verified: [] };
    }

    let applyFeedback: string | undefined;
    for (this.round = 1; this.round <= this.opts.maxRounds; this.round++) {
      this.phase(this.round === 1 ? 'plan' : 'repair');
      const plan = await this.think(architect, 'architect');
      architect.push({ role: 'assistant', content: plan }); // the final answer only (QwQ card)
      this.emit({ type: 'plan', taskId: this.task.id, text: plan });

      this.phase('edit');
      const round: Candidate[] = [];
      for (let i = 1; i <= this.opts.candidatesPerRound; i++) round.push(await this.writeCandidate(i, plan, applyFeedback));
      this.candidates.push(...round);

      if (this.session && round.some((c) => c.changes)) {
        this.phase('verify');
        for (const c of round) if (c.changes) await this.verifyCandidate(c);
      }
      const accepted = round.filter((c) => c.accepted).sort(compareCandidates);
      if (accepted.length > 0) {
        const best = accepted[0];
        return { outcome: 'verified', message: `Verified (attempt ${this.round} of ${this.opts.maxRounds}). ${verdictReason(best)}`, verified: accepted, best };
      }
      const best = bestCandidate(round)!;
      // Without tests there is nothing to learn from a candidate that applied: stop and say so.
      if (best.changes && !this.session) return this.noVerifiedEdit('tests did not run (untrusted workspace or no verifier)');
      if (best.run && (best.run.verdict === 'no-tests' || best.run.verdict === 'untrusted')) return this.noVerifiedEdit(best.run.message || best.run.verdict);
      if (this.round < this.opts.maxRounds) {
        architect.push({ role: 'user', content: repairPrompt(this.feedback(best)) });
        applyFeedback = best.applyError && !best.invalidReply ? best.applyError : undefined;
      }
    }
    this.round = this.opts.maxRounds;
    return this.noVerifiedEdit(`${this.opts.maxRounds} round(s) without a verified edit`);
  }

  /** The final outcome when nothing was accepted: the best applied candidate, marked unverified, or no edit. */
  private noVerifiedEdit(why: string): Omit<AgentResult, 'candidates' | 'rounds' | 'tokensUsed' | 'elapsedMs'> {
    const best = bestCandidate(this.candidates.filter((c) => c.changes));
    if (!best) return { outcome: 'no-edit', message: `no verified edit: ${why}; no candidate edit applied`, verified: [] };
    return { outcome: 'unverified', message: `no verified edit: ${why}. The best attempt (${best.round} of ${this.opts.maxRounds}) is NOT verified: ${this.verdictLine(best)}`, verified: [], best };
  }

  /** The candidate's verdict and its reason, as one line (the same words the card shows). */
  private verdictLine(c: Candidate): string {
    const verdict = candidateVerdict(c);
    return verdict ? `${verdict}: ${verdictReason(c)}` : verdictReason(c);
  }

  private async selectionText(): Promise<string | undefined> {
    if (!this.task.file || !this.task.selection) return undefined;
    const text = await this.deps.files.read(this.task.file);
    if (text === undefined) throw new Error(`the task's file does not exist: ${this.task.file}`);
    return text.split('\n').slice(this.task.selection.startLine - 1, this.task.selection.endLine).join('\n');
  }

  /** Opens the shadow workspace and runs the baseline. Returns an outcome when the task cannot go on. */
  private async openVerifier(): Promise<Omit<AgentResult, 'candidates' | 'rounds' | 'tokensUsed' | 'elapsedMs'> | undefined> {
    if (!this.opts.trusted || !this.deps.openVerifier) {
      this.warn(this.opts.trusted ? 'no verifier: edits cannot be verified' : 'untrusted workspace: tests will not run, so no edit can be verified');
      if (this.task.kind === 'fix-failing-tests') return { outcome: 'no-edit', message: 'no verified edit: fixing failing tests needs the tests to run (trust the workspace)', verified: [] };
      return undefined;
    }
    this.session = await this.deps.openVerifier(this.task, this.signal);
    this.checkpoint();
    // Only a fix (its targets) and generate-tests (which tests are new) need the baseline in the prompt. For
    // the other tasks it runs while the model plans (not awaited): the candidate's verification then finds it
    // done, so the tests' time hides behind the model's instead of adding to it.
    if (this.task.kind !== 'fix-failing-tests' && this.task.kind !== 'generate-tests') {
      this.session.baseline(this.signal).catch(() => undefined);
      return undefined;
    }
    this.baseline = await this.session.baseline(this.signal);
    this.checkpoint();
    const failing = this.baseline.tests.filter((t) => t.status === 'failed').map((t) => t.id);
    this.targets = this.task.kind === 'fix-failing-tests' ? failing : [];
    this.emit({
      type: 'baseline', taskId: this.task.id, runner: this.baseline.runner, message: this.baseline.message,
      passed: this.baseline.tests.filter((t) => t.status === 'passed').length, failed: failing.length, failing, targets: this.targets,
    });
    if (this.task.kind === 'fix-failing-tests') {
      if (this.baseline.problem === 'no-tests') return { outcome: 'no-edit', message: `no verified edit: no tests found (${this.baseline.message})`, verified: [] };
      // A build error is a failing suite without per-test results: still worth fixing, judged by the verdict.
      if (failing.length === 0 && this.baseline.problem !== 'error') return { outcome: 'no-edit', message: 'all tests pass already: nothing to fix', verified: [] };
    }
    return undefined;
  }

  private baselineOutput(): string | undefined {
    if (!this.baseline) return undefined;
    const failing = this.baseline.tests.filter((t) => t.status === 'failed' && t.output);
    const text = failing.length ? failing.map((t) => `${t.id}\n${t.output}`).join('\n\n') : (this.baseline.problem ? this.baseline.output : undefined);
    return text ? trimOutput(text) : undefined;
  }

  private toolNames(): string[] {
    return ['read_file', 'find_definition', 'search_text', 'list_tests', ...(this.session ? ['run_tests'] : [])];
  }

  /** A thinking call: thoughts stream as events; returns the final answer (or, if none, the end of the thoughts). */
  private async think(messages: ChatMessage[], call: 'architect' | 'explain'): Promise<string> {
    this.checkpoint();
    this.budget.check(64);
    const tools = this.opts.tools
      ? createTools({ files: this.deps.files, context: this.deps.context, session: this.session, signal: this.signal }, (name, args, run) => this.toolCall(name, args, run))
      : undefined;
    const ask = (withTools: typeof tools) => this.chat(this.deps.architect, messages, call, {
      thoughtBudget: this.opts.thoughtBudget,
      maxTokens: this.budget.cap(this.opts.thoughtBudget + this.opts.planMaxTokens),
      tools: withTools,
      onChunk: (c) => this.emit({ type: c.kind === 'thought' ? 'thought' : 'answer', taskId: this.task.id, text: c.text }),
    });
    let res: ChatResult;
    try {
      res = await ask(tools);
    } catch (e) {
      // node-llama-cpp validates a tool call's arguments itself and throws out of the whole call when they do
      // not fit the schema (its integer grammar admits `1e+83`, its validator does not): the model never sees
      // that error. One bad call must not end the task: plan again, without tools.
      if (!tools || this.signal.aborted) throw e;
      this.warn(`a tool call from the model was rejected by the runtime (${(e as Error).message}); planning again without tools`);
      res = await ask(undefined);
    }
    if (res.stopReason === 'loop') this.warn(`the model's thinking went into a loop and was stopped${res.stopDetail ? `: ${res.stopDetail}` : ''}`);
    if (res.stopReason === 'thoughtBudget') this.warn('the thought budget was reached; the model answered from its reasoning so far');
    const answer = res.answer.trim();
    if (answer) return answer;
    // No final answer (the tokens ran out while thinking): hand the editor the end of the reasoning rather than
    // nothing. It is not put into history as a thought; the loop stores this text as the (poor) plan.
    if (res.thought.trim()) {
      this.warn('the model gave no final answer; using the end of its reasoning as the plan');
      return res.thought.trim().slice(-2000);
    }
    return '';
  }

  private async toolCall(name: string, args: unknown, run: () => Promise<string>): Promise<string> {
    const callId = `${this.task.id}-tool${++this.toolCalls}`;
    this.emit({ type: 'tool-call', taskId: this.task.id, callId, name, args });
    try {
      const result = await run();
      this.emit({ type: 'tool-result', taskId: this.task.id, callId, ok: true, summary: result.length > 300 ? `${result.slice(0, 300)}…` : result });
      return result;
    } catch (e) {
      if (this.signal.aborted) throw e;
      // The model gets the error as the tool's answer: it can correct the call, as it was trained to.
      const message = `error: ${(e as Error).message}`;
      this.emit({ type: 'tool-result', taskId: this.task.id, callId, ok: false, summary: message });
      return message;
    }
  }

  private async chat(runtime: ModelRuntime, messages: ChatMessage[], call: 'architect' | 'editor' | 'explain', extra: Parameters<ModelRuntime['chat']>[1]): Promise<ChatResult> {
    const res = await runtime.chat(messages, { ...this.opts.sampling, ...extra, signal: this.signal });
    this.budget.charge(res.stats);
    this.emit({
      type: 'stats', taskId: this.task.id, call,
      stats: { promptTokens: res.stats.promptTokens, completionTokens: res.stats.completionTokens, reusedTokens: res.stats.reusedTokens, tokensPerSecond: res.stats.tokensPerSecond, timeToFirstTokenMs: res.stats.timeToFirstTokenMs, ...(res.stats.predictions ? { predictions: res.stats.predictions } : {}) },
    });
    this.emit({ type: 'budget', taskId: this.task.id, tokensUsed: this.budget.tokensUsed, tokenBudget: this.budget.tokenBudget, elapsedMs: this.budget.elapsedMs, timeBudgetMs: this.budget.timeBudgetMs });
    if (res.stopReason === 'aborted' || this.signal.aborted) throw this.signal.reason ?? new Error('cancelled');
    if (res.stopReason === 'error') throw new Error(`the model failed${res.stopDetail ? `: ${res.stopDetail}` : ''}`);
    return res;
  }

  /** The editor call: the plan becomes edit blocks under the grammar, then they are applied in memory. */
  private async writeCandidate(index: number, plan: string, applyFeedback: string | undefined): Promise<Candidate> {
    this.checkpoint();
    this.budget.check(16);
    const id = `${this.task.id}-r${this.round}c${index}`;
    const prompt = editPrompt({ task: this.task, plan, files: await this.editorFiles(plan), applyFeedback });
    // Several candidates differ by seed only; one candidate keeps the caller's seed (reproducible runs).
    const seed = this.opts.candidatesPerRound > 1 ? (this.opts.sampling.seed ?? 0) + index - 1 + (this.round - 1) * this.opts.candidatesPerRound : this.opts.sampling.seed;
    const res = await this.chat(this.deps.editor ?? this.deps.architect, [{ role: 'user', content: prompt }], 'editor', {
      jsonSchema: EDIT_SCHEMA as unknown as Record<string, unknown>,
      thoughtBudget: 0, // docs/architecture.md §2: a grammar masks <think>; this call only transcribes the plan
      maxTokens: this.budget.cap(this.opts.editMaxTokens),
      seed,
    });
    const candidate: Candidate = { id, task: this.acceptanceTask(), round: this.round, index, blocks: [], diff: '', targetsStillFailing: [], accepted: false };
    const parsed = parseEditReply(res.answer);
    if (!parsed.ok) {
      candidate.invalidReply = true;
      candidate.applyError = res.stopReason === 'maxTokens' ? `${parsed.error}: the reply was cut at ${this.opts.editMaxTokens} tokens (edit less at a time)` : parsed.error;
    } else if (parsed.blocks.length === 0) {
      candidate.invalidReply = true;
      candidate.applyError = 'the edit is empty: it changes nothing';
    } else {
      candidate.blocks = parsed.blocks;
      const applied = await this.deps.applyEdits(parsed.blocks, this.deps.files, this.signal);
      if (applied.ok) {
        candidate.changes = applied.changes;
        candidate.diff = this.deps.diff(applied.changes);
      } else {
        candidate.applyError = applied.failures.map((f) => f.message).join('\n\n');
      }
    }
    if (candidate.applyError) this.emit({ type: 'apply-failed', taskId: this.task.id, round: this.round, message: candidate.applyError });
    this.emit({ type: 'candidate', taskId: this.task.id, candidate: summarize(candidate) });
    return candidate;
  }

  /** The files the editor sees in full: the task's file, then the files the plan names, within the prompt limit. */
  private async editorFiles(plan: string): Promise<FileView[]> {
    this.fileList ??= await this.deps.files.list(this.signal);
    const wanted: string[] = [];
    const add = (p: string) => { if (!wanted.includes(p)) wanted.push(p); };
    if (this.task.file) add(this.task.file);
    for (const p of this.fileList) if (plan.includes(p)) add(p);
    for (const p of this.fileList) {
      const base = p.split('/').pop()!;
      if (base.length > 3 && base.includes('.') && new RegExp(`(^|[^\\w./-])${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(plan)) add(p);
    }
    // Nothing named: fall back to where the context engine looked (the scopes and definitions it found).
    if (wanted.length === 0) for (const s of this.packed.snippets) if (s.kind !== 'repomap') add(s.path);
    const views: FileView[] = [];
    let total = 0;
    for (const p of wanted) {
      const text = await this.deps.files.read(p);
      if (text === undefined) continue;
      const view = viewFile(p, text, p === this.task.file ? this.task.selection : undefined);
      if (total + view.text.length > promptLimits.filesChars && views.length > 0) break;
      total += view.text.length;
      views.push(view);
    }
    return views;
  }

  private async verifyCandidate(c: Candidate): Promise<void> {
    const session = this.session!;
    this.checkpoint();
    this.budget.check(0);
    // The same diff as an earlier attempt gets that attempt's result: tests are not re-run, and the same edit can
    // never be badged differently in two rounds.
    const same = this.candidates.find((p) => p !== c && p.run && p.diff === c.diff);
    if (same) {
      Object.assign(c, { run: same.run, decision: same.decision, targetsStillFailing: same.targetsStillFailing, accepted: same.accepted, rejection: same.rejection, mutation: same.mutation });
      this.warn(`attempt ${c.round} wrote the same edit as attempt ${same.round}; its result stands`);
    } else {
      // The acceptance policy decides (verify/policy/decide.ts); the loop only records what it said.
      const { run, decision, mutation } = await verifyForTask(this.acceptanceTask(), withCarried(this.task.carried, c.changes!), {
        session, files: this.deps.files, signal: this.signal,
        findDefinition: this.deps.context.findDefinition?.bind(this.deps.context),
        mutationRange: this.packed.snippets.find((s) => s.path === this.task.file && this.task.symbol && s.symbol === this.task.symbol && s.kind !== 'repomap'),
        onOutput: (stream, text) => this.emit({ type: 'test-output', taskId: this.task.id, candidateId: c.id, stream, text }),
        onMutation: (description, killed) => this.emit({ type: 'mutation-check', taskId: this.task.id, candidateId: c.id, mutation: description, killed }),
      });
      recordDecision(c, run, decision, mutation);
    }
    const summary = summarize(c);
    this.emit({ type: 'verdict', taskId: this.task.id, candidateId: c.id, verdict: summary.verdict!, summary: summary.reason ?? '', ...(summary.reasonSaid ? { summarySaid: summary.reasonSaid } : {}), ...(c.run?.isolation ? { isolation: c.run.isolation } : {}) });
    this.emit({ type: 'candidate', taskId: this.task.id, candidate: summary });
  }

  /** The task as the policy holds an edit to it: for a fix, the tests that failed on the unedited code. */
  private acceptanceTask(): AcceptanceTask {
    return { kind: this.task.kind, file: this.task.file, selection: this.task.selection, symbol: this.task.symbol, targets: this.targets };
  }

  private feedback(c: Candidate): RepairFeedback {
    if (c.invalidReply) return { kind: 'invalid-reply', message: c.applyError! };
    if (c.applyError) return { kind: 'apply', message: c.applyError };
    const run = c.run!;
    const output = run.failureOutput ? trimOutput(run.failureOutput) : undefined;
    if (c.rejection && this.task.kind === 'generate-tests') return { kind: 'generate', problem: c.rejection, diff: c.diff, output };
    return { kind: 'tests', verdict: run.verdict, newlyFailing: run.newlyFailing, targetsStillFailing: c.targetsStillFailing, output, diff: c.diff, reason: run.message };
  }
}

/** A follow-up's edit with the files of the candidate it refines that it left alone: what Accept would write. */
function withCarried(carried: readonly FileChange[] | undefined, changes: FileChange[]): FileChange[] {
  const own = new Set(changes.map((c) => c.path));
  return [...(carried ?? []).filter((c) => !own.has(c.path)), ...changes];
}
