// The verdict sentences the UI shows, as one table: the core says a message id and its arguments; the CLI prints
// the English template filled in (renderMessage), the extension and the panel translate the template through
// l10n first (the template is the translation key; scripts/l10n-extract.mjs puts every one in the bundle).
// Pure and free of imports: the panel's browser bundle loads it through the protocol.
// {0}, {1}… are the arguments in order; an argument may itself be a message (rendered the same way).

export const VERDICT_MESSAGES = {
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
  /** Words from outside the table (a verifier's own message), passed through as they are. */
  plain: '{0}',
} as const;

export type MessageId = keyof typeof VERDICT_MESSAGES;

/** A message of the table with its arguments. */
export interface Message {
  id: MessageId;
  args: MessageArg[];
}

export type MessageArg = string | number | Message;

/** One argument per `{n}` in the template, so a call with too few or too many does not compile. */
type ArgsOf<S extends string, Acc extends MessageArg[] = []> = S extends `${string}{${number}}${infer Rest}` ? ArgsOf<Rest, [...Acc, MessageArg]> : Acc;

export function msg<K extends MessageId>(id: K, ...args: ArgsOf<(typeof VERDICT_MESSAGES)[K]>): Message {
  return { id, args };
}

/** Translates a template and fills its arguments (vscode.l10n.t, @vscode/l10n's t); the default keeps English. */
export type Translate = (template: string, args: string[]) => string;

export const fillTemplate: Translate = (template, args) => template.replace(/\{(\d+)\}/g, (whole, i: string) => args[Number(i)] ?? whole);

/** The message in words: English by default (the CLI, logs, the model's prompt), or through `translate`. */
export function renderMessage(m: Message, translate: Translate = fillTemplate): string {
  return translate(VERDICT_MESSAGES[m.id], m.args.map((a) => (typeof a === 'object' ? renderMessage(a, translate) : String(a))));
}
