// Through the CLI (`node out/cli.js verify … --json`), for every runner in the set: a real fix is verified with
// its target newly passing, a real break is regressed naming the broken test, a hollow fix is not-fixed, and a
// lint step that fails before and after the change hides no test (the chain runs step by step; pytest's red
// baseline, a conftest.py that fails to import, is inconclusive). The projects are generated
// (projects.ts); the JS runners come from one shared install under test/fixtures/generated (git-ignored).
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { RUNNERS, cliVerifyAsync, ensureCli, makeProject, runnerCache, type CliVerdict, type Runner } from './projects';

let nodeModules = '';
before(() => {
  ensureCli();
  nodeModules = runnerCache();
});

const cli = (workspace: string, patch: string, extra: string[] = []): Promise<CliVerdict> => cliVerifyAsync(workspace, patch, ['--timeout', '180', ...extra]);

const show = (r: CliVerdict): string => JSON.stringify(r.json, null, 1) + r.stderr;

// The runners are independent: up to four at once (each runs its four CLI verifications in parallel too).
describe('every runner, through the CLI', { concurrency: 4 }, () => {
  for (const runner of RUNNERS) {
    test(`${runner}: fix verified, break regressed (named), hollow fix not-fixed, a failing lint step hides no test (pytest: red baseline inconclusive)`, async () => {
      const p = makeProject(runner as Runner, { nodeModules });
      const red = makeProject(runner as Runner, { nodeModules, redLint: true });
      const [fix, brk, hollow, redRun] = await Promise.all([
        cli(p.dir, p.fix, ['--fix-failing']),
        cli(p.dir, p.brk),
        cli(p.dir, p.hollow, ['--fix-failing']),
        cli(red.dir, red.fix),
      ]);
      assert.equal(fix.json.verdict, 'verified', show(fix));
      assert.equal(fix.code, 0);
      assert.ok(fix.json.newlyPassing.some((id) => id.endsWith(p.targetTest)), show(fix));
      assert.equal(fix.json.runner, runner);

      assert.equal(brk.json.verdict, 'regressed', show(brk));
      assert.equal(brk.code, 1);
      assert.ok(brk.json.newlyFailing.some((id) => id.endsWith(p.brokenTest)), show(brk));
      assert.ok(!brk.json.newlyFailing.some((id) => id.endsWith(p.targetTest)), 'the test that failed before is not "newly" failing');

      assert.equal(hollow.json.verdict, 'not-fixed', show(hollow));
      assert.ok(hollow.json.targetsStillFailing?.some((id) => id.endsWith(p.targetTest)), show(hollow));

      if (runner === 'go') {
        // go test -json always reports per test: a red baseline is judged per test (TestMul failed before).
        assert.equal(redRun.json.verdict, 'verified', show(redRun));
      } else if (runner === 'pytest') {
        assert.equal(redRun.json.verdict, 'inconclusive', show(redRun));
        assert.match(redRun.json.message, /already fail without the change/);
      } else {
        // `node lint.js && <runner>`: the lint step fails before and after; the tests are judged per test.
        assert.equal(redRun.json.verdict, 'verified', show(redRun));
        assert.ok(redRun.json.newlyPassing.some((id) => id.endsWith(red.targetTest)), show(redRun));
        assert.match(redRun.json.message, /`node lint\.js` failed/, show(redRun));
      }
    });
  }
});
