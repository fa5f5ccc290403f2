// Test doubles for the agent loop's fast unit tests (the scenario tests use the real runtime and real tests).
// - ScriptedRuntimeDouble: an in-memory ModelRuntime that replays scripted replies (a test double, no model).
// - PredicateTestsDouble: a VerifierSession whose "tests" are predicates over the files' text (no runner).
// - FakeClock: time that moves only when the test says so.
import type { ChatMessage, ChatOptions, ChatResult, CompletionResult, ModelInfo, ModelRuntime } from '../../../src/core/model/types';
import type { FileChange } from '../../../src/core/edits/types';
import type { TestCaseResult } from '../../../src/core/verify/types';
import { auditPatch, decide, holdJudgeFiles, isTestFile } from '../../../src/core/verify';
import type { AgentContextProvider, CandidateRun, Clock, TestRun, VerifierSession, VerifyRequest } from '../../../src/core/agent/ports';
import { toDisposable, type IDisposable } from '../../../src/core/util/lifecycle';

export interface ScriptedReply {
  thought?: string;
  answer: string;
  /** Tool calls made before answering (the double calls the real handlers the loop passed). */
  tools?: Array<{ name: string; args: unknown }>;
  stopReason?: ChatResult['stopReason'];
  /** Waits for the signal to abort before replying (to test cancellation mid-call). */
  hang?: boolean;
  /** Runs when the call starts (e.g. to advance a fake clock). */
  onStart?: () => void;
  tokens?: number;
  /** Speculative-decoding counts the runtime reports for this call. */
  predictions?: { validated: number; refuted: number };
}

export interface RecordedCall { messages: ChatMessage[]; options: ChatOptions; toolResults: string[] }

/** A scripted in-memory ModelRuntime test double: replies in order; the last one repeats. */
export class ScriptedRuntimeDouble implements ModelRuntime {
  readonly calls: RecordedCall[] = [];
  constructor(private readonly replies: Array<ScriptedReply | ((messages: ChatMessage[], options: ChatOptions) => ScriptedReply)>) {}

  async load(): Promise<ModelInfo> {
    return { source: 'scripted-double', architecture: 'none', contextSize: 32768, hasInfill: false };
  }

  async chat(messages: ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
    const i = Math.min(this.calls.length, this.replies.length - 1);
    const spec = this.replies[i];
    const reply = typeof spec === 'function' ? spec(messages, options) : spec;
    const call: RecordedCall = { messages: structuredClone(messages), options, toolResults: [] };
    this.calls.push(call);
    reply.onStart?.();
    if (reply.hang) {
      await new Promise<void>((resolve) => {
        if (options.signal?.aborted) return resolve();
        options.signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    const stats = { promptTokens: 100, reusedTokens: 0, evaluatedTokens: 100, completionTokens: reply.tokens ?? 50, tokensPerSecond: 10, timeToFirstTokenMs: 1, durationMs: 5, ...(reply.predictions ? { predictions: reply.predictions } : {}) };
    if (options.signal?.aborted) return { thought: '', answer: '', stopReason: 'aborted', stats };
    if (reply.thought) options.onChunk?.({ kind: 'thought', text: reply.thought });
    for (const t of reply.tools ?? []) {
      const tool = options.tools?.[t.name];
      if (!tool) throw new Error(`scripted double: tool ${t.name} was not offered`);
      call.toolResults.push(String(await tool.handler(t.args, options.signal)));
    }
    if (reply.answer) options.onChunk?.({ kind: 'answer', text: reply.answer });
    return { thought: reply.thought ?? '', answer: reply.answer, stopReason: reply.stopReason ?? 'eos', stats };
  }

  async complete(): Promise<CompletionResult> { throw new Error('not used by the agent'); }
  async infill(): Promise<CompletionResult> { throw new Error('not used by the agent'); }
  async countTokens(text: string): Promise<number> { return Math.ceil(text.length / 4); }
  async dispose(): Promise<void> {}
}

export const edit = (path: string, search: string, replace: string): string => JSON.stringify({ edits: [{ path, search, replace }] });

export interface PredicateTest { id: string; passes(files: Map<string, string>): boolean }

/** A VerifierSession test double: tests are predicates over file text; it tracks residue like a shadow copy. */
export class PredicateTestsDouble implements VerifierSession {
  opened = 0;
  disposed = 0;
  verifies: FileChange[][] = [];
  /** When set, verify waits until the signal aborts (to test cancellation during a test run). */
  hangVerify = false;
  onVerifyStart?: () => void;

  constructor(private readonly files: Map<string, string>, private readonly tests: PredicateTest[]) {}

  /** Open sessions not yet disposed: "shadow residue". */
  get residue(): number { return this.opened - this.disposed; }

  open = async (): Promise<VerifierSession> => { this.opened++; return this; };

  private run(files: Map<string, string>, filter?: string): TestCaseResult[] {
    return this.tests.filter((t) => !filter || t.id.includes(filter)).map((t) => {
      const ok = t.passes(files);
      return { id: t.id, status: ok ? 'passed' : 'failed', output: ok ? undefined : `AssertionError: ${t.id} failed` };
    });
  }

  async baseline(): Promise<TestRun> {
    const tests = this.run(this.files);
    return { runner: 'predicates', tests, message: `${tests.length} tests` };
  }

  async runTests(filter: string | undefined): Promise<TestRun> {
    const tests = this.run(this.files, filter);
    return { runner: 'predicates', tests, message: `${tests.length} tests` };
  }

  async verify(changes: FileChange[], request: VerifyRequest): Promise<CandidateRun> {
    this.verifies.push(changes);
    this.onVerifyStart?.();
    if (this.hangVerify) {
      await new Promise<void>((resolve) => request.signal.addEventListener('abort', () => resolve(), { once: true }));
      throw request.signal.reason;
    }
    // Like verifyChanges: the candidate runs with the judge files as they were, and the real policy decides.
    const { held, judgeChanges } = holdJudgeFiles(request.task.kind, changes, { globs: [], dirs: [] });
    const apply = (cs: readonly FileChange[]): Map<string, string> => {
      const shadow = new Map(this.files);
      for (const c of cs) shadow.set(c.path, c.after);
      return shadow;
    };
    request.onOutput?.('stdout', `ran ${this.tests.length} tests\n`);
    return policyRun(request, changes, this.run(this.files), this.run(apply(held)), judgeChanges.length ? this.run(apply(changes)) : undefined);
  }

  async dispose(): Promise<void> { this.disposed++; }
}

/**
 * A candidate run as verifyChanges returns it, from per-test results the double computed: the real acceptance
 * policy decides its verdict. `after` is the run with the judge files held; `edited` the edit's own tests.
 */
export async function policyRun(request: VerifyRequest, changes: FileChange[], before: TestCaseResult[], after: TestCaseResult[], edited?: TestCaseResult[]): Promise<CandidateRun> {
  const { judgeChanges } = holdJudgeFiles(request.task.kind, changes, { globs: [], dirs: [] });
  const exit = (r: TestCaseResult[]): number => (r.some((t) => t.status === 'failed') ? 1 : 0);
  const asRun = (r: TestCaseResult[]) => ({ tests: r, exitCode: exit(r), reported: true, output: '' });
  const evidence = {
    task: request.task, baseline: asRun(before),
    run: { candidate: asRun(after), editedTests: edited && asRun(edited) },
    patch: { changes, judgeChanges, audit: await auditPatch(changes, isTestFile) },
  };
  const d = decide(request.task, evidence.baseline, evidence.run, evidence.patch);
  const count = (r: TestCaseResult[], s: string) => r.filter((t) => t.status === s).length;
  return {
    verdict: d.verdict,
    baseline: { passed: count(before, 'passed'), failed: count(before, 'failed') },
    candidate: { passed: count(after, 'passed'), failed: count(after, 'failed') },
    newlyFailing: d.newlyFailing, newlyPassing: d.newlyPassing, flaky: [], runner: 'predicates', durationMs: 1,
    message: d.message, reason: d.reason, marks: d.marks, targetsStillFailing: d.targetsStillFailing,
    failureOutput: after.filter((t) => t.status === 'failed').map((t) => t.output).join('\n') || undefined,
    tests: after, evidence,
  };
}

export const noContext: AgentContextProvider = { gather: async () => ({ snippets: [], tokens: 0 }) };

/** Time that moves only when a test calls advance(). */
export class FakeClock implements Clock {
  private t = 1_000_000;
  private timers: Array<{ at: number; fn: () => void; done: boolean }> = [];
  now(): number { return this.t; }
  setTimeout(fn: () => void, ms: number): IDisposable {
    const timer = { at: this.t + ms, fn, done: false };
    this.timers.push(timer);
    return toDisposable(() => { timer.done = true; });
  }
  advance(ms: number): void {
    this.t += ms;
    for (const timer of this.timers) if (!timer.done && timer.at <= this.t) { timer.done = true; timer.fn(); }
  }
}
