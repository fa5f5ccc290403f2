// The core's words that reach the UI (verdict sentences, the verifier's own reasons, the task's closing line, the
// agent's warnings), as one table: the core says a message id and its arguments; the CLI prints
// the English template filled in (renderMessage), the extension and the panel translate the template through
// l10n first (the template is the translation key; scripts/l10n-extract.mjs puts every one in the bundle).
// Pure and free of imports: the panel's browser bundle loads it through the protocol.
// {0}, {1}… are the arguments in order; an argument may itself be a message (rendered the same way).

export const CORE_MESSAGES = {
  // The run comparison (policy/judge.ts).
  exitCode: 'exit {0}',
  killedBySignal: 'killed by a signal',
  resultsUntrustedWith: 'the results cannot be trusted: with the change, {0}',
  resultsUntrustedWithout: 'the results cannot be trusted: without the change, {0}',
  stepBroken: 'a step of the test script passed without the change and fails with it: {0}',
  noTestsReported: 'the test command ran but reported no tests ({0} before the change, {1} with it)',
  couldNotStart: 'the test command could not start on the unedited code ({0}: a command it runs was not found or is not executable)',
  suiteFixedByExit: 'the suite failed without the change ({0}) and passes whole with it (exit 0; it reports no per-test results, so only exit codes were compared)',
  alreadyFailingNoResults: 'the tests already fail without the change ({0}, {1} with it) and report no per-test results, so they cannot tell whether this edit breaks or fixes anything; make the suite pass first, or set qwq.tests.command to the test runner alone',
  exitBroken: 'the test command passed without the change and fails with it (exit 0 → {0})',
  targetsUncheckable: 'only exit codes are known (0 before and after), so the target tests cannot be checked: {0}',
  exitZeroBoth: 'the test command exited 0 before and after the change but reports no per-test results, so nothing shows that a test ran or checked this edit; set qwq.tests.command to a runner that reports its tests',
  nowFailing: '{0} test(s) that passed before fail now: {1}',
  failsBeforeAnyTest: 'with the change the test run fails before any test reports ({0}): a build, import or syntax error',
  vanished: '{0} test(s) that passed before did not run with the change: {1}',
  twoParts: '{0}; {1}',
  baselineSilent: 'the tests reported nothing without the change ({0}), so the {1} test(s) failing with it cannot be told apart from ones that failed before: {2}',
  suiteBroken: 'the suite passed before and fails with the change: {0}',
  exitBrokenTestsPass: 'every test that passed before still passes, but the test command now fails (exit 0 → {0})',
  targetsStillFail: 'nothing that passed before broke, but the target test(s) still do not pass: {0}',
  targetsAlreadyPassed: 'the target test(s) already passed without the change, so they cannot show that it fixes anything: {0}',
  nothingPasses: 'no test passes with the change ({0} failed before, {1} fail now), so the tests cannot show that this edit works',
  noneBroken: 'no test that passed before fails now; {0} passed, {1} newly passing{2}{3}{4}{5}',
  resultsFromOutput: 'results read from the test output',
  outputConfirmedNote: '; {0}: the runner\'s exit status (0) confirms the suite passes whole',
  outputUnconfirmed: '{0}, and the suite still fails with the change ({1}), so the tests it shows passing cannot be confirmed: a program under test can print those lines itself{2}',
  targetsNote: ' (targets: {0})',
  targetsFixedNote: '; the target test(s) failed before and pass now: {0}',
  stillRedNote: '; {0} test(s) failed before the change too and still fail: {1}',
  flakyNote: ' ({0} flaky test(s) failed once and passed on a re-run: {1})',
  // The acceptance policy's own rules (policy/decide.ts).
  changesTestsNotVerified: 'It changes your tests ({0}), and with your tests as they were it is not verified: {1}',
  changesReporting: 'The edit changes how tests report: {0}',
  changesTestsNotRun: 'It changes your tests ({0}), and they were not run as the edit leaves them',
  changesTestsBreak: 'It changes your tests ({0}), and with its changes to them a test fails: {1}',
  changesTestsEdited: 'It changes your tests ({0}): your tests as they were pass, but with the edit\'s changes to them: {1}',
  reasonAndTests: '{0} (the tests themselves: {1})',
  reportingNote: '{0}; the edit changes how tests report: {1}',
  goalNotMet: 'Nothing broke, but {0}.',
  goalNotMetShort: 'nothing broke, but {0}',
  changedCodeUnderTest: 'the edit changed {0}, the code under test',
  noNewTest: 'no new test ran',
  newTestsFail: 'new tests fail on the current code: {0}',
  noNewPassingTest: 'no new passing test ran',
  mutationPending: 'the new tests were not yet checked against a broken copy of the code',
  mutationSurvived: 'the new tests still pass when the code is mutated ({0}): they do not check its behaviour',
  alsoChangesTests: '; it also changes your tests ({0}): they pass as the edit leaves them, but the verdict is from your tests as they were',
  catchesMutation: '; the new tests catch a broken copy of the code ({0})',
  withNotes: '{0}{1}{2}',
  symbolUntouched: 'the edit does not change {0}, the function to implement',
  bodyUntouched: 'the edit changes {0} but not the body of {1}, the function to implement',
  // The card's sentence for a candidate (agent/candidates.ts verdictReason).
  neverApplied: 'The edit never applied: {0}',
  notTestedNoRun: 'Not tested: the tests did not run.',
  notTested: 'Not tested.',
  testsPass: 'Your tests pass: {0} passed before the edit, {1} pass with it, none newly failing{2}{3}.',
  testsPassOne: 'Your tests pass: 1 test passed before the edit, {0} pass with it, none newly failing{1}{2}.',
  nowPassingNote: '; now passing: {0}',
  regressedOne: '1 test that passed before fails with this edit: {0}.',
  regressedMany: '{0} tests that passed before fail with this edit: {1}.',
  regressedExit: 'The tests passed before the edit and fail with it ({0}).',
  regressedExitBare: 'The tests passed before the edit and fail with it.',
  notFixedOne: 'Nothing broke, but 1 test still fails: {0}.',
  notFixedMany: 'Nothing broke, but {0} tests still fail: {1}.',
  notDone: 'Nothing broke, but the task is not done ({0}).',
  notDoneBare: 'Nothing broke, but the task is not done.',
  reasonSentence: '{0}.',
  cannotJudge: 'The tests ran but cannot judge this edit: {0}.',
  cannotJudgeBare: 'The tests ran but cannot judge this edit.',
  noTestRan: 'No test ran: {0}, so the edit could not be checked.',
  noTestRanBare: 'No test ran, so the edit could not be checked.',
  runFailed: 'The test run failed: {0}.',
  runFailedBare: 'The test run failed.',
  restricted: 'Restricted Mode: the tests did not run.',
  namesAndMore: '{0} and {1} more',
  // The verifier's own words, before the policy runs (verifyChanges.ts, detect.ts, isolationVerdict.ts).
  untrustedNotRun: 'the workspace is not trusted, so its tests were not run (trust the workspace to verify edits)',
  noTestCommand: 'no test command found: looked for package.json scripts.test (jest, vitest, mocha, ava, tape, node --test), pytest files, go.mod and Cargo.toml. Set qwq.tests.command (or --test-command) to name one.',
  selectionFailed: 'test selection failed: {0}',
  noTestCovers: 'no test covers the change (no test file imports {0}); run with tests: \'all\' to run every test',
  cancelled: 'cancelled',
  baselineTimedOut: 'the baseline test run timed out after {0} s (it was stopped with every process it started)',
  candidateTimedOut: 'the test run timed out after {0} s with the change (it was stopped with every process it started)',
  editedTestsTimedOut: 'the test run with the edit\'s own test changes timed out after {0} s',
  withRunNotes: '{0} (note: {1})',
  relatedTestOne: 'the 1 related test',
  relatedTests: 'the {0} related tests',
  relatedVerified: 'verified on {0}; the full suite is running',
  verifiedOnAll: 'verified on all {0} tests ({1} first): {2}',
  fullSuiteDecided: '{0} ({1} had passed; the full suite decided)',
  refusedWrite: 'your tests write into {0}, which the sandbox keeps read-only, so the result says nothing about the edit: {1}',
  refusedWriteAdvice: 'the sandbox keeps your installed packages, virtualenvs, home folder and the system read-only (node_modules/.cache, TMPDIR, XDG_CACHE_HOME and CACHE_DIR are writable scratch folders): point the tool at one of those, or run the tests unsandboxed in a copy (CLI: --isolation copy; the setting qwq.tests.sandbox off)',
  withHint: '{0} ({1})',
  networkOffHint: 'the tests ran with the network off, and some failures look like network errors (their own 127.0.0.1 servers work; the host\'s and the internet do not): turn it on with qwq.tests.network or --network if they need it',
  wroteIntoWorkspace: 'a test run wrote into your workspace or home folder (the tests were not sandboxed, on your request), so nothing can be trusted: {0}',
  notSandboxedTag: '{0} [not sandboxed]',
  networkOnTag: '{0} [network on]',
  noPolicyEvidence: 'the verifier gave no evidence for the acceptance policy ({0})',
  // Why the sandbox cannot run (sandboxCheck.ts, sandbox.ts, shadow.ts): a problem and a fix.
  sandboxNotRun: 'the tests were not run: {0}. To fix: {1}',
  networkOffNotRun: 'the tests were not run: the network is off for tests, but {0}. To fix: {1}',
  problemAndFix: '{0}. {1}',
  orAllowUnsandboxed: 'or allow unsandboxed test runs for this workspace (CLI: --isolation copy; the extension asks once)',
  bwrapOnlyLinux: 'the test sandbox (bubblewrap) exists only on Linux, and this is {0}',
  runUnsandboxed: 'run the tests unsandboxed in a copy: allow unsandboxed test runs for this workspace (CLI: --isolation copy; the extension asks once)',
  bwrapMissing: 'bubblewrap (bwrap) is not installed',
  bwrapInstall: 'install it (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap), {0}',
  apparmorUserns: 'AppArmor forbids unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1, as on Ubuntu 24.04), so bwrap cannot start',
  apparmorUsernsFix: 'add an AppArmor profile that lets /usr/bin/bwrap use user namespaces (Ubuntu ships one: apt-get install apparmor-profiles), or sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0, {0}',
  usernsCloneOff: 'unprivileged user namespaces are switched off (kernel.unprivileged_userns_clone = 0), so bwrap cannot start',
  usernsCloneFix: 'sudo sysctl kernel.unprivileged_userns_clone=1, {0}',
  userNamespacesOff: 'user namespaces are switched off (user.max_user_namespaces = 0), so bwrap cannot start',
  userNamespacesFix: 'sudo sysctl user.max_user_namespaces=15000, {0}',
  bwrapFails: 'bwrap fails to start here ({0})',
  bwrapFailsFix: 'check that user namespaces are allowed for your user (a container may need --privileged or a seccomp profile that allows clone/unshare), {0}',
  noStderr: 'no message',
  noOwnNetwork: 'bwrap cannot give the tests a network of their own here ({0}{1})',
  loopbackRefused: ': the kernel refused to bring its loopback up',
  networkOnFix: 'turn the network on for the tests (qwq.tests.network, CLI --network): they then share the host\'s network',
  bwrapDoesNotRun: 'bubblewrap does not run here',
  installBwrap: 'install bubblewrap',
  noNetworkUnshare: 'bwrap cannot unshare the network here',
  turnNetworkOn: 'turn the network on',
  // A run of every test on the unedited copy (agent/realDeps.ts: the baseline, the run_tests tool).
  testRunTimedOut: 'the test run timed out after {0} s',
  failedBeforeAnyTest: 'the test command failed before any test reported (exit {0})',
  reportedNoTests: 'the test command reported no tests',
  passedFailed: '{0} passed, {1} failed: {2}',
  // The task's closing message (agent/agent.ts): English for the CLI; the views read its typed stop instead.
  closeVerified: 'Verified (attempt {0} of {1}). {2}',
  noVerifiedEdit: 'no verified edit: {0}',
  noVerifiedEditNoneApplied: 'no verified edit: {0}; no candidate edit applied',
  noVerifiedEditBest: 'no verified edit: {0}. The best attempt ({1} of {2}) is NOT verified: {3}',
  verdictLine: '{0}: {1}',
  roundsWithoutVerified: '{0} round(s) without a verified edit',
  testsDidNotRun: 'tests did not run (untrusted workspace or no verifier)',
  timeBudgetSpent: 'time budget of {0} s spent',
  tokenBudgetSpent: 'token budget of {0} spent ({1} used)',
  closeCancelled: 'cancelled: nothing was changed',
  explainedNoEdit: 'explained (no edit)',
  noExplanation: 'the model gave no explanation',
  fixNeedsTests: 'fixing failing tests needs the tests to run (trust the workspace)',
  noTestsFound: 'no tests found ({0})',
  nothingToFix: 'all tests pass already: nothing to fix',
  modelFailed: 'the model failed',
  modelFailedWith: 'the model failed: {0}',
  // The agent's warnings to the panel (agent/agent.ts).
  shadowNotRemoved: 'could not remove the shadow workspace: {0}',
  noVerifier: 'no verifier: edits cannot be verified',
  untrustedNoVerify: 'untrusted workspace: tests will not run, so no edit can be verified',
  toolCallRejected: 'a tool call from the model was rejected by the runtime ({0}); planning again without tools',
  thinkingLoop: 'the model\'s thinking went into a loop and was stopped',
  thinkingLoopWith: 'the model\'s thinking went into a loop and was stopped: {0}',
  thoughtBudgetReached: 'the thought budget was reached; the model answered from its reasoning so far',
  noFinalAnswer: 'the model gave no final answer; using the end of its reasoning as the plan',
  sameEditAsBefore: 'attempt {0} wrote the same edit as attempt {1}; its result stands',
  /** Words from outside the table (a verifier's own message), passed through as they are. */
  plain: '{0}',
} as const;

export type MessageId = keyof typeof CORE_MESSAGES;

/** A message of the table with its arguments. */
export interface Message {
  id: MessageId;
  args: MessageArg[];
}

export type MessageArg = string | number | Message;

/** One argument per `{n}` in the template, so a call with too few or too many does not compile. */
type ArgsOf<S extends string, Acc extends MessageArg[] = []> = S extends `${string}{${number}}${infer Rest}` ? ArgsOf<Rest, [...Acc, MessageArg]> : Acc;

export function msg<K extends MessageId>(id: K, ...args: ArgsOf<(typeof CORE_MESSAGES)[K]>): Message {
  return { id, args };
}

/** Translates a template and fills its arguments (vscode.l10n.t, @vscode/l10n's t); the default keeps English. */
export type Translate = (template: string, args: string[]) => string;

export const fillTemplate: Translate = (template, args) => template.replace(/\{(\d+)\}/g, (whole, i: string) => args[Number(i)] ?? whole);

/** The message in words: English by default (the CLI, logs, the model's prompt), or through `translate`. */
export function renderMessage(m: Message, translate: Translate = fillTemplate): string {
  return translate(CORE_MESSAGES[m.id], m.args.map((a) => (typeof a === 'object' ? renderMessage(a, translate) : String(a))));
}

/** An error that says its message through the table: `message` is its English rendering. */
export class SaidError extends Error {
  constructor(readonly said: Message) {
    super(renderMessage(said));
  }
}
