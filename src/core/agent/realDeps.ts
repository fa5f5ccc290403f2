// The real implementations behind the agent's ports: the context engine (tree-sitter) and the verifier
// (shadow workspace + the user's own test command). qwqCore.ts composes them for the CLI and the extension;
// unit tests pass doubles instead.
import type { ContextSnippet, PackedContext } from '../context';
import type { FileChange } from '../edits';
import { ContextEngine } from '../context';
import { buildImportGraph } from '../context';
import { msg, renderMessage, type Message } from '../messages';
import { cachedFullBaseline, detectTestCommand, runTests, seedBaseline, ShadowWorkspace, verifyChanges, type IsolationMode } from '../verify';
import type { AgentContextProvider, CandidateRun, ContextRequest, TestRun, VerifierSession, VerifyRequest, WorkspaceFiles } from './ports';
import type { AgentTask } from './task';
import { trimOutput } from './prompts';

/** Context from the tree-sitter engine: around the task's file (or the failing tests), else the repo map. */
export class EngineContextProvider implements AgentContextProvider {
  constructor(private readonly engine: ContextEngine, private readonly files: WorkspaceFiles) {}

  async gather(req: ContextRequest): Promise<PackedContext> {
    const { task } = req;
    const focus: Array<{ file: string; line: number }> = [];
    // A selection's middle line: its first line is often a doc comment or blank line outside the scope the
    // user means, which would give a line window instead of the enclosing function.
    const selected = task.selection && Math.floor((task.selection.startLine + task.selection.endLine) / 2);
    if (task.file) focus.push({ file: task.file, line: selected ?? (await this.symbolLine(task)) ?? 1 });
    // A fix without a file: look where the failing tests are, at the test's own line.
    if (focus.length === 0 && req.targets.length) {
      const list = await this.files.list(req.signal);
      for (const id of req.targets) {
        const file = list.filter((p) => id.includes(p)).sort((a, b) => b.length - a.length)[0];
        if (!file || focus.some((f) => f.file === file)) continue;
        const text = await this.files.read(file);
        const name = id.replace(file, '').split(/[>›:]| > /).map((s) => s.trim()).filter(Boolean).pop() ?? '';
        const idx = name && text ? text.split('\n').findIndex((l) => l.includes(name)) : -1;
        focus.push({ file, line: idx >= 0 ? idx + 1 : 1 });
        if (focus.length >= 2) break;
      }
    }
    if (focus.length === 0) {
      return this.engine.repoMapSnippets({ budget: req.budgetTokens, task: task.instruction });
    }
    const per = Math.floor(req.budgetTokens / focus.length);
    const snippets: ContextSnippet[] = [];
    let tokens = 0;
    for (const f of focus) {
      const text = await this.files.read(f.file); // unsaved editor text wins (overlays)
      if (text === undefined) continue;
      const packed = await this.engine.context({ file: f.file, line: f.line, column: 1, budget: per, task: task.instruction, text, languageServer: true });
      for (const s of packed.snippets) {
        if (!snippets.some((o) => o.path === s.path && o.startLine === s.startLine && o.endLine === s.endLine)) snippets.push(s);
      }
      tokens += packed.tokens;
    }
    return { snippets, tokens };
  }

  private async symbolLine(task: AgentTask): Promise<number | undefined> {
    if (!task.symbol || !task.file) return undefined;
    await this.engine.ready();
    const def = this.engine.index.definitions(task.symbol).find((d) => d.file === task.file);
    return def ? def.tag.startRow + 1 : undefined;
  }

  async findDefinition(symbol: string, signal: AbortSignal): Promise<ContextSnippet[]> {
    await this.engine.ready(signal);
    const out: ContextSnippet[] = [];
    for (const d of this.engine.index.definitions(symbol).slice(0, 5)) {
      const text = await this.files.read(d.file);
      if (text === undefined) continue;
      const end = Math.min(d.tag.endRow, d.tag.startRow + 40);
      out.push({ path: d.file, startLine: d.tag.startRow + 1, endLine: end + 1, kind: 'definition', symbol, text: text.split('\n').slice(d.tag.startRow, end + 1).join('\n') });
    }
    return out;
  }
}

export interface VerifierConfig {
  /** 'related' first, then all (docs/architecture.md §5); 'all' runs everything every time. */
  tests?: 'related' | 'all';
  timeoutMs?: number;
  /** Overrides the detected test command (qwq.tests.command / --test-command). */
  testCommand?: string;
  overlays?: ReadonlyMap<string, string>;
  /** Where the shadow copy is created (default: the OS temp dir); tests point it at their own folder. */
  shadowParentDir?: string;
  /** Test-run isolation (qwq.tests.sandbox): 'auto' uses the bubblewrap sandbox where it runs. */
  isolation?: IsolationMode;
  /** The host's network inside the sandbox (qwq.tests.network); default off. */
  network?: boolean;
  /** Credential-looking variables the tests may see anyway (qwq.tests.env). */
  envAllow?: readonly string[];
}

/** A warm shadow workspace for one task, over verifyChanges. Only ever opened for a trusted workspace. */
export class ShadowVerifierSession implements VerifierSession {
  private readonly shadow: ShadowWorkspace;
  private readonly timeoutMs: number;

  constructor(private readonly workspace: string, private readonly config: VerifierConfig = {}) {
    this.shadow = new ShadowWorkspace(workspace, { parentDir: config.shadowParentDir, isolation: config.isolation, network: config.network, envAllow: config.envAllow });
    this.timeoutMs = config.timeoutMs ?? 120_000;
  }

  private baselineRun: Promise<TestRun> | undefined;

  /** Every test, on the unedited copy (run once per session): the fix task's targets are the failing ones. */
  baseline(signal: AbortSignal): Promise<TestRun> {
    this.baselineRun ??= this.runTests(undefined, signal).catch((e) => { this.baselineRun = undefined; throw e; });
    return this.baselineRun;
  }

  async runTests(filter: string | undefined, signal: AbortSignal): Promise<TestRun> {
    const cmd = detectTestCommand(this.workspace, this.config.testCommand);
    if (!cmd) return { runner: 'none', tests: [], ...saying(msg('noTestCommand')), problem: 'no-tests' };
    await this.shadow.sync(this.config.overlays);
    // The unedited workspace's full run is cached by content (baselineCache.ts): a second task on the same state reuses it.
    const run = cachedFullBaseline(this.shadow, cmd) ?? await runTests(this.shadow.root, cmd, { kind: 'all' }, { timeoutMs: this.timeoutMs, signal });
    signal.throwIfAborted();
    // The same full run is verifyChanges' baseline for this content: seeding it saves the 'all' phase its own
    // baseline run, and the related phase takes its files' slice from it (one test run fewer, or two).
    seedBaseline(this.shadow, cmd, run);
    const tests = filter ? run.tests.filter((t) => t.id.includes(filter)) : run.tests;
    const output = trimOutput(run.output);
    if (run.timedOut) return { ...run, tests, ...saying(msg('testRunTimedOut', Math.round(this.timeoutMs / 1000))), problem: 'error', output };
    if (run.tests.length === 0 && run.exitCode !== 0) return { ...run, tests, ...saying(msg('failedBeforeAnyTest', String(run.exitCode))), problem: 'error', output };
    if (run.tests.length === 0) return { ...run, tests, ...saying(msg('reportedNoTests')), problem: 'no-tests', output };
    const failed = tests.filter((t) => t.status === 'failed').length;
    return { ...run, tests, ...saying(msg('passedFailed', tests.length - failed, failed, run.command)), output };
  }

  async verify(changes: FileChange[], req: VerifyRequest): Promise<CandidateRun> {
    // A baseline started while the model planned is awaited, not raced: it seeds this verification's baseline.
    await this.baselineRun?.catch(() => undefined);
    const base = {
      workspace: this.workspace, changes, overlays: this.config.overlays, timeoutMs: this.timeoutMs, trusted: true,
      signal: req.signal, onOutput: req.onOutput, testCommand: this.config.testCommand, shadow: this.shadow,
      buildImportGraph: (root: string) => buildImportGraph(root), task: req.task, targetTests: req.targets,
    };
    // Related first, then every test: the related verdict is said in the test output while the full suite runs.
    const onRelatedVerified = (p: { message: string }): void => req.onOutput?.('stdout', `\nqwq-coder: ${p.message}\n`);
    let r = await verifyChanges({ ...base, tests: this.config.tests ?? 'related', thenAll: (this.config.tests ?? 'related') === 'related', onRelatedVerified });
    // No test imports the change (a new file, a language without an import graph): run them all rather than
    // call the edit unverifiable.
    if (r.verdict === 'no-tests' && (this.config.tests ?? 'related') === 'related' && r.runner) r = await verifyChanges({ ...base, tests: 'all' });
    req.signal.throwIfAborted();
    return { ...r, tests: r.candidateTests };
  }

  async dispose(): Promise<void> {
    this.shadow.dispose();
  }
}

/** A run's message and its English words together. */
function saying(said: Message): { message: string; said: Message } {
  return { message: renderMessage(said), said };
}
