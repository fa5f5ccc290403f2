// jest with the user's own positional arguments (`jest src`, as limiter 2.1.0's package.json has it): our reporter
// flags go after them. Put right after the CLI path, jest's list-taking --reporters read `src` as one more
// reporter and the run ended with "Could not resolve a module for a custom reporter" (found by the real-project
// bench, bench/realProjects.ts). Real jest from the shared runner install.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyChanges } from '../../../src/core/verify';
import { makeProject, runnerCache } from './projects';

for (const script of ['jest test', 'jest test --testTimeout 10000']) {
  test(`jest with the user's own arguments (\`${script}\`): per-test results, and the fix is verified`, async () => {
    const p = makeProject('jest', { nodeModules: runnerCache() });
    const manifest = JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    manifest.scripts.test = script;
    writeFileSync(join(p.dir, 'package.json'), JSON.stringify(manifest, null, 2));
    const { path, search, replace } = p.edits.fix;
    const before = readFileSync(join(p.dir, path), 'utf8');
    const r = await verifyChanges({ workspace: p.dir, changes: [{ path, before, after: before.replace(search, replace) }], tests: 'all', timeoutMs: 120_000, trusted: true, fixFailing: true });
    assert.equal(r.verdict, 'verified', r.message);
    assert.ok((r.baselineTests ?? []).length >= 2, `per-test results: ${r.message}`);
    assert.ok(r.newlyPassing.some((id) => id.includes(p.targetTest)), JSON.stringify(r.newlyPassing));
  });
}
