// `qwq-coder verify`'s name, summary, usage and options (the implementation: ../commands/verify.ts).
import { jsonOption, TESTS_HELP, type CliCommandSpec } from '../command';
import { ISOLATION_USAGE, isolationOptions } from '../commands/isolationFlags';

export const verifySpec: CliCommandSpec = {
  name: 'verify',
  summary: "Verify a patch against the workspace's own tests in a shadow copy (verified / regressed / not-fixed / inconclusive / no-tests / error)",
  usage: `Usage: qwq-coder verify --workspace W --patch P [--tests related|all] [--timeout S] [--test-command C]
                        [--target T]... [--fix-failing] [--isolation auto|sandbox|copy] [--network] [--env NAME]... [--json]

Applies P (a unified diff or SEARCH/REPLACE blocks with workspace-relative path lines) to a shadow copy
of W, runs the tests on the unedited copy (baseline) and with the patch (candidate), and compares them.
W is never written. ${TESTS_HELP}
--timeout is per test run, in seconds (default 120). --test-command overrides the detected command.
${ISOLATION_USAGE}
A fix: --target T (repeatable; a whole test id, or the whole name after its file part) must fail before and
pass with the patch, and --fix-failing makes every test that fails before the patch a target. Otherwise the
verdict is not-fixed. The tests judge as they are in W: a patch that changes test files, test config, the
manifest's scripts or the lockfile is run with W's own, and is never verified by its own ("changes your
tests"); an audit marks lines that could game the tests (exit calls, patched assertions, skip markers).
Exit 0 when the verdict is verified, 1 otherwise (regressed, not-fixed, inconclusive, no-tests, error, or a
patch that does not apply).`,
  options: {
    workspace: { type: 'string' }, patch: { type: 'string' }, tests: { type: 'string' }, timeout: { type: 'string' }, 'test-command': { type: 'string' },
    target: { type: 'string', multiple: true }, 'fix-failing': { type: 'boolean' },
    ...isolationOptions, ...jsonOption,
  },
};
