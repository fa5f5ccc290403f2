// Verifies one edit for its task and asks the acceptance policy (docs/architecture.md §5, verify/policy/decide.ts)
// for the verdict. The agent loop, Accept after the file changed, a partial choice of hunks, follow-ups and tools
// other agents call all come through here, so one rule decides "verified" everywhere. What the policy cannot
// gather itself (where the context engine finds a symbol; mutants of the code under test) is gathered here.
import type { FileChange } from '../edits/types';
import type { ContextSnippet } from '../context/types';
import { msg, renderMessage } from '../messages';
import { decide, isTestFile, isVerified, type AcceptanceTask, type Decision, type MutationEvidence, type SymbolSpan } from '../verify';
import { mutations } from './mutate';
import type { CandidateRun, VerifierSession, WorkspaceFiles } from './ports';

export interface AcceptanceDeps {
  session: VerifierSession;
  files: WorkspaceFiles;
  /** The context engine's definitions (Implement Function); without it, the policy finds the function in the text. */
  findDefinition?(symbol: string, signal: AbortSignal): Promise<ContextSnippet[]>;
  /** Generate Tests: the lines of the code under test to mutate (the function's snippet); else the selection. */
  mutationRange?: { startLine: number; endLine: number };
  signal: AbortSignal;
  onOutput?(stream: 'stdout' | 'stderr', text: string): void;
  /** Each mutant tried, and whether the new tests noticed it. */
  onMutation?(description: string, killed: boolean): void;
}

export interface Acceptance {
  run: CandidateRun;
  decision: Decision;
  mutation?: MutationEvidence;
}

/**
 * Runs the user's tests on `changes` in the session's shadow copy and decides, for `task`, whether the edit is
 * verified. The decision is the policy's; this only brings it the evidence.
 */
export async function verifyForTask(task: AcceptanceTask, changes: FileChange[], deps: AcceptanceDeps): Promise<Acceptance> {
  const run = await deps.session.verify(changes, { task, targets: [...(task.targets ?? [])], signal: deps.signal, onOutput: deps.onOutput });
  const evidence = run.evidence;
  // A run that never reached the policy (cancelled, timed out, no tests, untrusted) keeps its own verdict.
  if (!evidence) return { run, decision: undecided(run) };
  let symbolSpans: SymbolSpan[] | undefined;
  if (task.kind === 'implement-function' && task.symbol && deps.findDefinition) {
    symbolSpans = (await deps.findDefinition(task.symbol, deps.signal).catch(() => [] as ContextSnippet[])).map((d) => ({ path: d.path, startLine: d.startLine, endLine: d.endLine }));
  }
  const patch = { ...evidence.patch, symbolSpans };
  let decision = decide(task, evidence.baseline, evidence.run, patch);
  let mutation: MutationEvidence | undefined;
  if (decision.needs === 'mutation') {
    mutation = await mutationCheck(task, changes, run, evidence.baseline.tests.map((t) => t.id), deps);
    decision = decide(task, evidence.baseline, { ...evidence.run, mutation }, patch);
  }
  return { run: { ...run, verdict: decision.verdict, message: decision.message, said: decision.said, ...(decision.reason ? { reason: decision.reason } : {}) }, decision, mutation };
}

/**
 * A run the verifier ended before the policy could read it (cancelled, timed out, no tests): its verdict as a
 * decision. Never `verified`: a verifier that says so without the policy's evidence is not believed.
 */
function undecided(run: CandidateRun): Decision {
  const verdict = isVerified(run) ? 'inconclusive' : run.verdict;
  // The run's own words, as the table says them when they are its message (verifyChanges sets both).
  const runSaid = run.said && renderMessage(run.said) === run.message ? run.said : undefined;
  const said = verdict === run.verdict ? runSaid : msg('noPolicyEvidence', runSaid ?? run.message);
  return {
    verdict, runVerdict: verdict, message: said ? renderMessage(said) : run.message, ...(said ? { said } : {}), newlyFailing: run.newlyFailing, newlyPassing: run.newlyPassing,
    flaky: run.flaky, targetsStillFailing: run.targetsStillFailing ?? [], targets: [], marks: run.marks ?? [], failureOutput: run.failureOutput,
    ...(run.reason ? { reason: run.reason } : {}),
  };
}

/** Generate Tests: break the code under test a little; good new tests fail on the broken copy. */
async function mutationCheck(task: AcceptanceTask, changes: FileChange[], run: CandidateRun, baselineIds: string[], deps: AcceptanceDeps): Promise<MutationEvidence> {
  const codeFile = task.file && !isTestFile(task.file) ? task.file : undefined;
  if (!codeFile) return { none: 'no code under test is known' };
  const original = await deps.files.read(codeFile);
  if (original === undefined) return { none: `${codeFile} does not exist` };
  const known = new Set(baselineIds);
  const muts = mutations(original, deps.mutationRange ?? task.selection, 2);
  let last: MutationEvidence = { none: 'no line of the code could be mutated' };
  for (const m of muts) {
    const mutant = await deps.session.verify([...changes, { path: codeFile, before: original, after: m.after }], { task, targets: [], signal: deps.signal });
    const killed = mutant.tests && run.tests
      ? mutant.tests.some((t) => !known.has(t.id) && t.status === 'failed')
      : mutant.candidate.failed > run.candidate.failed;
    deps.onMutation?.(m.description, killed);
    last = { description: m.description, killed };
    if (killed) return last;
  }
  return last;
}
