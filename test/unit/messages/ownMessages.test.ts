// The verifier's own words (before the policy), the sandbox's diagnosis, the task's closing message and the
// agent's warnings go through the message table too: each id renders to the English the CLI printed before
// (byte for byte), takes exactly its number of arguments (msg() is typed), and translates template by template.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { msg, renderMessage, CORE_MESSAGES, type Message, type MessageId } from '../../../src/core/messages';
import { explainBwrapFailure } from '../../../src/core/verify/sandboxCheck';
import { refusedWriteMessage, refusedWriteSaid } from '../../../src/core/verify/isolationVerdict';
import { SandboxUnavailableError } from '../../../src/core/verify/sandbox';
import { NO_TEST_COMMAND_MESSAGE } from '../../../src/core/verify/detect';

const OR_COPY = 'or allow unsandboxed test runs for this workspace (CLI: --isolation copy; the extension asks once)';

type NewId =
  | 'untrustedNotRun' | 'noTestCommand' | 'selectionFailed' | 'noTestCovers' | 'cancelled' | 'baselineTimedOut' | 'candidateTimedOut'
  | 'editedTestsTimedOut' | 'withRunNotes' | 'relatedTestOne' | 'relatedTests' | 'relatedVerified' | 'verifiedOnAll' | 'fullSuiteDecided'
  | 'refusedWrite' | 'refusedWriteAdvice' | 'withHint' | 'networkOffHint' | 'wroteIntoWorkspace' | 'notSandboxedTag' | 'networkOnTag'
  | 'noPolicyEvidence' | 'sandboxNotRun' | 'networkOffNotRun' | 'problemAndFix' | 'orAllowUnsandboxed' | 'bwrapOnlyLinux' | 'runUnsandboxed'
  | 'bwrapMissing' | 'bwrapInstall' | 'apparmorUserns' | 'apparmorUsernsFix' | 'usernsCloneOff' | 'usernsCloneFix' | 'userNamespacesOff'
  | 'userNamespacesFix' | 'bwrapFails' | 'bwrapFailsFix' | 'noStderr' | 'noOwnNetwork' | 'loopbackRefused' | 'networkOnFix' | 'bwrapDoesNotRun'
  | 'installBwrap' | 'noNetworkUnshare' | 'turnNetworkOn'
  | 'closeVerified' | 'noVerifiedEdit' | 'noVerifiedEditNoneApplied' | 'noVerifiedEditBest' | 'verdictLine' | 'roundsWithoutVerified'
  | 'testsDidNotRun' | 'timeBudgetSpent' | 'tokenBudgetSpent' | 'closeCancelled' | 'explainedNoEdit' | 'noExplanation' | 'fixNeedsTests'
  | 'noTestsFound' | 'nothingToFix' | 'modelFailed' | 'modelFailedWith'
  | 'shadowNotRemoved' | 'noVerifier' | 'untrustedNoVerify' | 'toolCallRejected' | 'thinkingLoop' | 'thinkingLoopWith' | 'thoughtBudgetReached'
  | 'noFinalAnswer' | 'sameEditAsBefore'
  | 'testRunTimedOut' | 'failedBeforeAnyTest' | 'reportedNoTests' | 'passedFailed';

// Every new id, with arguments (their count is checked by the compiler: msg('x', …) with one too many or too few
// does not compile) and the English the code wrote before the table.
const CASES: Record<NewId, [Message, string]> = {
  untrustedNotRun: [msg('untrustedNotRun'), 'the workspace is not trusted, so its tests were not run (trust the workspace to verify edits)'],
  noTestCommand: [msg('noTestCommand'), 'no test command found: looked for package.json scripts.test (jest, vitest, mocha, ava, tape, node --test), pytest files, go.mod and Cargo.toml. Set qwq.tests.command (or --test-command) to name one.'],
  selectionFailed: [msg('selectionFailed', 'no graph'), 'test selection failed: no graph'],
  noTestCovers: [msg('noTestCovers', 'a.js, b.js'), "no test covers the change (no test file imports a.js, b.js); run with tests: 'all' to run every test"],
  cancelled: [msg('cancelled'), 'cancelled'],
  baselineTimedOut: [msg('baselineTimedOut', 120), 'the baseline test run timed out after 120 s (it was stopped with every process it started)'],
  candidateTimedOut: [msg('candidateTimedOut', 5), 'the test run timed out after 5 s with the change (it was stopped with every process it started)'],
  editedTestsTimedOut: [msg('editedTestsTimedOut', 5), "the test run with the edit's own test changes timed out after 5 s"],
  withRunNotes: [msg('withRunNotes', msg('cancelled'), 'a; b'), 'cancelled (note: a; b)'],
  relatedTestOne: [msg('relatedTestOne'), 'the 1 related test'],
  relatedTests: [msg('relatedTests', 4), 'the 4 related tests'],
  relatedVerified: [msg('relatedVerified', msg('relatedTests', 4)), 'verified on the 4 related tests; the full suite is running'],
  verifiedOnAll: [msg('verifiedOnAll', 9, msg('relatedTestOne'), 'x'), 'verified on all 9 tests (the 1 related test first): x'],
  fullSuiteDecided: [msg('fullSuiteDecided', 'x', msg('relatedTests', 2)), 'x (the 2 related tests had passed; the full suite decided)'],
  refusedWrite: [refusedWriteSaid(['/a', '/b', '/c', '/d']), `your tests write into /a, /b, /c, …, which the sandbox keeps read-only, so the result says nothing about the edit: ${CORE_MESSAGES.refusedWriteAdvice}`],
  refusedWriteAdvice: [msg('refusedWriteAdvice'), 'the sandbox keeps your installed packages, virtualenvs, home folder and the system read-only (node_modules/.cache, TMPDIR, XDG_CACHE_HOME and CACHE_DIR are writable scratch folders): point the tool at one of those, or run the tests unsandboxed in a copy (CLI: --isolation copy; the setting qwq.tests.sandbox off)'],
  withHint: [msg('withHint', 'x', 'y'), 'x (y)'],
  networkOffHint: [msg('networkOffHint'), "the tests ran with the network off, and some failures look like network errors (their own 127.0.0.1 servers work; the host's and the internet do not): turn it on with qwq.tests.network or --network if they need it"],
  wroteIntoWorkspace: [msg('wroteIntoWorkspace', 'a, b'), 'a test run wrote into your workspace or home folder (the tests were not sandboxed, on your request), so nothing can be trusted: a, b'],
  notSandboxedTag: [msg('notSandboxedTag', 'x'), 'x [not sandboxed]'],
  networkOnTag: [msg('networkOnTag', 'x'), 'x [network on]'],
  noPolicyEvidence: [msg('noPolicyEvidence', 'x'), 'the verifier gave no evidence for the acceptance policy (x)'],
  sandboxNotRun: [msg('sandboxNotRun', msg('bwrapMissing'), 'y'), 'the tests were not run: bubblewrap (bwrap) is not installed. To fix: y'],
  networkOffNotRun: [msg('networkOffNotRun', msg('noNetworkUnshare'), msg('turnNetworkOn')), 'the tests were not run: the network is off for tests, but bwrap cannot unshare the network here. To fix: turn the network on'],
  problemAndFix: [msg('problemAndFix', 'p', 'f'), 'p. f'],
  orAllowUnsandboxed: [msg('orAllowUnsandboxed'), OR_COPY],
  bwrapOnlyLinux: [msg('bwrapOnlyLinux', 'darwin'), 'the test sandbox (bubblewrap) exists only on Linux, and this is darwin'],
  runUnsandboxed: [msg('runUnsandboxed'), `run the tests unsandboxed in a copy: ${OR_COPY.replace(/^or /, '')}`],
  bwrapMissing: [msg('bwrapMissing'), 'bubblewrap (bwrap) is not installed'],
  bwrapInstall: [msg('bwrapInstall', msg('orAllowUnsandboxed')), `install it (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap), ${OR_COPY}`],
  apparmorUserns: [msg('apparmorUserns'), 'AppArmor forbids unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1, as on Ubuntu 24.04), so bwrap cannot start'],
  apparmorUsernsFix: [msg('apparmorUsernsFix', msg('orAllowUnsandboxed')), `add an AppArmor profile that lets /usr/bin/bwrap use user namespaces (Ubuntu ships one: apt-get install apparmor-profiles), or sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0, ${OR_COPY}`],
  usernsCloneOff: [msg('usernsCloneOff'), 'unprivileged user namespaces are switched off (kernel.unprivileged_userns_clone = 0), so bwrap cannot start'],
  usernsCloneFix: [msg('usernsCloneFix', msg('orAllowUnsandboxed')), `sudo sysctl kernel.unprivileged_userns_clone=1, ${OR_COPY}`],
  userNamespacesOff: [msg('userNamespacesOff'), 'user namespaces are switched off (user.max_user_namespaces = 0), so bwrap cannot start'],
  userNamespacesFix: [msg('userNamespacesFix', msg('orAllowUnsandboxed')), `sudo sysctl user.max_user_namespaces=15000, ${OR_COPY}`],
  bwrapFails: [msg('bwrapFails', msg('noStderr')), 'bwrap fails to start here (no message)'],
  bwrapFailsFix: [msg('bwrapFailsFix', msg('orAllowUnsandboxed')), `check that user namespaces are allowed for your user (a container may need --privileged or a seccomp profile that allows clone/unshare), ${OR_COPY}`],
  noStderr: [msg('noStderr'), 'no message'],
  noOwnNetwork: [msg('noOwnNetwork', 'RTM_NEWADDR: Operation not permitted', msg('loopbackRefused')), 'bwrap cannot give the tests a network of their own here (RTM_NEWADDR: Operation not permitted: the kernel refused to bring its loopback up)'],
  loopbackRefused: [msg('loopbackRefused'), ': the kernel refused to bring its loopback up'],
  networkOnFix: [msg('networkOnFix'), "turn the network on for the tests (qwq.tests.network, CLI --network): they then share the host's network"],
  bwrapDoesNotRun: [msg('bwrapDoesNotRun'), 'bubblewrap does not run here'],
  installBwrap: [msg('installBwrap'), 'install bubblewrap'],
  noNetworkUnshare: [msg('noNetworkUnshare'), 'bwrap cannot unshare the network here'],
  turnNetworkOn: [msg('turnNetworkOn'), 'turn the network on'],
  closeVerified: [msg('closeVerified', 2, 3, msg('notTested')), 'Verified (attempt 2 of 3). Not tested.'],
  noVerifiedEdit: [msg('noVerifiedEdit', msg('fixNeedsTests')), 'no verified edit: fixing failing tests needs the tests to run (trust the workspace)'],
  noVerifiedEditNoneApplied: [msg('noVerifiedEditNoneApplied', msg('roundsWithoutVerified', 1)), 'no verified edit: 1 round(s) without a verified edit; no candidate edit applied'],
  noVerifiedEditBest: [msg('noVerifiedEditBest', msg('roundsWithoutVerified', 3), 1, 3, msg('verdictLine', 'regressed', 'x')), 'no verified edit: 3 round(s) without a verified edit. The best attempt (1 of 3) is NOT verified: regressed: x'],
  verdictLine: [msg('verdictLine', 'error', 'y'), 'error: y'],
  roundsWithoutVerified: [msg('roundsWithoutVerified', 3), '3 round(s) without a verified edit'],
  testsDidNotRun: [msg('testsDidNotRun'), 'tests did not run (untrusted workspace or no verifier)'],
  timeBudgetSpent: [msg('timeBudgetSpent', 1800), 'time budget of 1800 s spent'],
  tokenBudgetSpent: [msg('tokenBudgetSpent', 100, 120), 'token budget of 100 spent (120 used)'],
  closeCancelled: [msg('closeCancelled'), 'cancelled: nothing was changed'],
  explainedNoEdit: [msg('explainedNoEdit'), 'explained (no edit)'],
  noExplanation: [msg('noExplanation'), 'the model gave no explanation'],
  fixNeedsTests: [msg('fixNeedsTests'), 'fixing failing tests needs the tests to run (trust the workspace)'],
  noTestsFound: [msg('noTestsFound', 'x'), 'no tests found (x)'],
  nothingToFix: [msg('nothingToFix'), 'all tests pass already: nothing to fix'],
  modelFailed: [msg('modelFailed'), 'the model failed'],
  modelFailedWith: [msg('modelFailedWith', 'ENOMEM'), 'the model failed: ENOMEM'],
  shadowNotRemoved: [msg('shadowNotRemoved', 'EBUSY'), 'could not remove the shadow workspace: EBUSY'],
  noVerifier: [msg('noVerifier'), 'no verifier: edits cannot be verified'],
  untrustedNoVerify: [msg('untrustedNoVerify'), 'untrusted workspace: tests will not run, so no edit can be verified'],
  toolCallRejected: [msg('toolCallRejected', 'bad args'), 'a tool call from the model was rejected by the runtime (bad args); planning again without tools'],
  thinkingLoop: [msg('thinkingLoop'), "the model's thinking went into a loop and was stopped"],
  thinkingLoopWith: [msg('thinkingLoopWith', 'same 40 tokens'), "the model's thinking went into a loop and was stopped: same 40 tokens"],
  thoughtBudgetReached: [msg('thoughtBudgetReached'), 'the thought budget was reached; the model answered from its reasoning so far'],
  noFinalAnswer: [msg('noFinalAnswer'), 'the model gave no final answer; using the end of its reasoning as the plan'],
  sameEditAsBefore: [msg('sameEditAsBefore', 2, 1), 'attempt 2 wrote the same edit as attempt 1; its result stands'],
  testRunTimedOut: [msg('testRunTimedOut', 120), 'the test run timed out after 120 s'],
  failedBeforeAnyTest: [msg('failedBeforeAnyTest', String(null)), 'the test command failed before any test reported (exit null)'],
  reportedNoTests: [msg('reportedNoTests'), 'the test command reported no tests'],
  passedFailed: [msg('passedFailed', 3, 1, 'npm test'), '3 passed, 1 failed: npm test'],
};

test('each new id renders its template to the English the code wrote before the table', () => {
  for (const [id, [m, english]] of Object.entries(CASES)) {
    assert.equal(m.id, id, `${id}: the case uses its own id`);
    assert.equal(renderMessage(m), english, id);
    assert.doesNotMatch(renderMessage(m), /\{\d+\}/, `${id}: every placeholder filled`);
  }
  // @ts-expect-error: timeBudgetSpent takes one argument
  assert.ok(msg('timeBudgetSpent'));
  // @ts-expect-error: verdictLine takes two arguments, not three
  assert.ok(msg('verdictLine', 'a', 'b', 'c'));
});

test('a new id translates template by template, its nested messages too', () => {
  const german: Partial<Record<MessageId, string>> = { noVerifiedEdit: 'keine geprüfte Änderung: {0}', fixNeedsTests: 'zum Reparieren müssen die Tests laufen' };
  const translate = (template: string, args: string[]): string => {
    const id = (Object.keys(CORE_MESSAGES) as MessageId[]).find((k) => CORE_MESSAGES[k] === template)!;
    return (german[id] ?? template).replace(/\{(\d+)\}/g, (_w, i: string) => args[Number(i)]);
  };
  assert.equal(renderMessage(msg('noVerifiedEdit', msg('fixNeedsTests')), translate), 'keine geprüfte Änderung: zum Reparieren müssen die Tests laufen');
});

test('the sandbox diagnosis and the refused-write verdict keep their English words, and carry their messages', () => {
  const k = {};
  const cases: Array<[ReturnType<typeof explainBwrapFailure>, string, string]> = [
    [explainBwrapFailure({ platform: 'darwin', installed: false, stderr: '', kernel: k }), CASES.bwrapOnlyLinux[1], CASES.runUnsandboxed[1]],
    [explainBwrapFailure({ platform: 'linux', installed: false, stderr: '', kernel: k }), CASES.bwrapMissing[1], CASES.bwrapInstall[1]],
    [explainBwrapFailure({ platform: 'linux', installed: true, stderr: '', kernel: { apparmorRestrictUserns: '1' } }), CASES.apparmorUserns[1], CASES.apparmorUsernsFix[1]],
    [explainBwrapFailure({ platform: 'linux', installed: true, stderr: '', kernel: { unprivilegedUsernsClone: '0' } }), CASES.usernsCloneOff[1], CASES.usernsCloneFix[1]],
    [explainBwrapFailure({ platform: 'linux', installed: true, stderr: '', kernel: { maxUserNamespaces: '0' } }), CASES.userNamespacesOff[1], CASES.userNamespacesFix[1]],
    [explainBwrapFailure({ platform: 'linux', installed: true, stderr: 'x\nbwrap: No permissions {0}\n', kernel: k }), 'bwrap fails to start here (bwrap: No permissions {0})', CASES.bwrapFailsFix[1]],
    [explainBwrapFailure({ platform: 'linux', installed: true, stderr: '', kernel: k }), 'bwrap fails to start here (no message)', CASES.bwrapFailsFix[1]],
  ];
  for (const [d, problem, fix] of cases) {
    assert.equal(d.problem, problem);
    assert.equal(d.fix, fix);
    assert.equal(renderMessage(d.problemSaid), d.problem, 'a placeholder in the tool\'s own words stays as it is');
    assert.equal(renderMessage(d.fixSaid), d.fix);
  }
  const e = new SandboxUnavailableError(msg('bwrapMissing'), msg('bwrapInstall', msg('orAllowUnsandboxed')));
  assert.equal(e.message, `the tests were not run: ${CASES.bwrapMissing[1]}. To fix: ${CASES.bwrapInstall[1]}`);
  assert.equal(renderMessage(e.said), e.message);
  assert.equal(e.problem, CASES.bwrapMissing[1]);
  assert.equal(refusedWriteMessage(['/usr/lib/x']), renderMessage(refusedWriteSaid(['/usr/lib/x'])));
  assert.equal(NO_TEST_COMMAND_MESSAGE, CASES.noTestCommand[1]);
});

test('the agent\'s baseline without a test command says why through the table, in the same words', async () => {
  const { mkdirSync, mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { ShadowVerifierSession } = await import('../../../src/core/agent/realDeps');
  const dir = mkdtempSync(join(tmpdir(), 'qwq-msg-'));
  const ws = join(dir, 'ws');
  mkdirSync(ws);
  mkdirSync(join(dir, 'shadows'));
  const session = new ShadowVerifierSession(ws, { isolation: 'copy', shadowParentDir: join(dir, 'shadows') });
  try {
    const run = await session.baseline(new AbortController().signal);
    assert.equal(run.problem, 'no-tests');
    assert.deepEqual(run.said, msg('noTestCommand'));
    assert.equal(run.message, NO_TEST_COMMAND_MESSAGE);
  } finally {
    await session.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
