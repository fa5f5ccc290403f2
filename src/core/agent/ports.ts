// What the agent loop needs from the rest of the core, as narrow interfaces (docs/architecture.md §1: depend on the slice
// you use). The loop takes them as parameters, so unit tests drive it with small test doubles and the CLI and
// the extension pass the real implementations (see realDeps.ts).
import type { ModelRuntime, SamplingOptions } from '../model/types';
import type { ContextSnippet, PackedContext } from '../context/types';
import type { ApplyResult, EditBlock, FileChange } from '../edits/types';
import type { TestCaseResult, TestRun, VerifyResult, VerifyResultDetails } from '../verify/types';
import type { AcceptanceTask } from '../verify';
import { toDisposable, type IDisposable } from '../util';
import type { AgentTask } from './task';

/** One run of the tests: verification's own shape. */
export type { TestRun };

export interface ContextRequest {
  task: AgentTask;
  /** Failing tests the task must fix (ids from the baseline): their files and the code they call matter most. */
  targets: string[];
  /** Most tokens the snippets may take (counted with the model's tokenizer by the context engine). */
  budgetTokens: number;
  signal: AbortSignal;
}

export interface AgentContextProvider {
  /** The enclosing scopes, definitions of nearby symbols and the repo map, packed into the budget. */
  gather(request: ContextRequest): Promise<PackedContext>;
  /** Definitions of a symbol across the workspace (the find_definition tool). */
  findDefinition?(symbol: string, signal: AbortSignal): Promise<ContextSnippet[]>;
}

/** The workspace as the agent reads it: the user's text, including unsaved editor text when an adapter has it. */
export interface WorkspaceFiles {
  /** Absolute root. */
  readonly root: string;
  /** Current text of a workspace-relative file, or undefined when it does not exist. */
  read(relPath: string): Promise<string | undefined>;
  /** Workspace-relative paths of the source files (ignores respected). */
  list(signal?: AbortSignal): Promise<string[]>;
}

/** Applies blocks to the workspace's current text, in memory: it writes nothing (docs/architecture.md §4). */
export type ApplyEditsFn = (blocks: EditBlock[], files: WorkspaceFiles, signal?: AbortSignal) => Promise<ApplyResult>;

/** A candidate's verification, plus the candidate run's per-test results when the verifier has them. */
export type CandidateRun = VerifyResult & { tests?: TestCaseResult[] } & Pick<VerifyResultDetails, 'baselineCached' | 'isolation' | 'marks' | 'reason' | 'evidence' | 'targetsStillFailing'>;

export interface VerifyRequest {
  /** The task the edit was written for: the acceptance policy holds the edit to it (verify/policy/decide.ts). */
  task: AcceptanceTask;
  /** Tests that must pass now (fix-failing-tests): the verdict is `verified` only if they do. */
  targets: string[];
  signal: AbortSignal;
  onOutput?(stream: 'stdout' | 'stderr', text: string): void;
}

/** A shadow workspace with its baseline. Owned by the loop for one task: disposed when the task ends. */
export interface VerifierSession {
  baseline(signal: AbortSignal): Promise<TestRun>;
  /** Applies the changes in the shadow copy, runs the tests, and reverts the copy. Never touches user files. */
  verify(changes: FileChange[], request: VerifyRequest): Promise<CandidateRun>;
  /** Runs the tests on the shadow copy as it is (the run_tests tool); `filter` narrows to matching test ids or files. */
  runTests(filter: string | undefined, signal: AbortSignal): Promise<TestRun>;
  /** Removes every trace of the shadow copy that this session created. */
  dispose(): Promise<void>;
}

export type OpenVerifier = (task: AgentTask, signal: AbortSignal) => Promise<VerifierSession>;

/** Unified diff (jsdiff) of the changes. */
export type DiffFn = (changes: FileChange[]) => string;

/** Time, injectable so budget tests need no real waiting. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): IDisposable;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return toDisposable(() => clearTimeout(t));
  },
};

export interface AgentDeps {
  /** Plans (QwQ, thinking on). */
  architect: ModelRuntime;
  /** Writes the edit under the grammar; the architect itself when absent. */
  editor?: ModelRuntime;
  context: AgentContextProvider;
  files: WorkspaceFiles;
  applyEdits: ApplyEditsFn;
  /** Absent when tests must not run (an untrusted workspace): edits then end unverified, never "verified". */
  openVerifier?: OpenVerifier;
  diff: DiffFn;
  clock?: Clock;
}

export interface AgentOptions {
  /** Plan → edit → verify rounds, the first included (a setting; default 3). */
  maxRounds?: number;
  /** Edits sampled per round and ranked by their tests (default 1). */
  candidatesPerRound?: number;
  /** All tokens the models may process for this task: evaluated prompt tokens plus generated ones. */
  tokenBudget?: number;
  /** Wall time for the whole task, verification included. */
  timeBudgetMs?: number;
  /** Most tokens QwQ may think per planning call. */
  thoughtBudget?: number;
  /** Most answer tokens per planning call (the plan itself). */
  planMaxTokens?: number;
  /** Most tokens of one edit reply. */
  editMaxTokens?: number;
  /** Token budget of the gathered context. */
  contextTokens?: number;
  /** Whether the model may call read-only tools while planning. */
  tools?: boolean;
  /** Whether the workspace is trusted: run_tests is offered only then. Verification needs openVerifier too. */
  trusted?: boolean;
  sampling?: SamplingOptions;
}
