// One owner for "verified" (docs/architecture.md §5): only the acceptance policy (src/core/verify/policy) makes or
// compares the verdict `verified`; everything else asks it (decide, isVerified). This scans the sources so a
// second, weaker rule cannot creep back in (as the agent's demotions and the substring matcher once did).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const POLICY = 'src/core/verify/policy/';
// The browser bundle only draws the badge it is sent; it can grant nothing (Accept is checked in the extension).
const DISPLAY_ONLY = 'src/webview/';

/** A verdict compared to, assigned or built as 'verified'. */
const DECIDES = [
  /\bverdict\s*[!=]==?\s*['"`]verified['"`]/,
  /['"`]verified['"`]\s*[!=]==?\s*[\w.?!]*verdict\b/,
  /\bverdict\s*:\s*['"`]verified['"`]/,
  /\bverdict\s*=\s*['"`]verified['"`]/,
  /\bverdict\s*\?\?\s*['"`]verified['"`]/,
];

export function decidesVerified(line: string): boolean {
  return DECIDES.some((re) => re.test(line));
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

test('the scan recognises each way of deciding "verified" (and not a type or a label)', () => {
  for (const line of ["if (r.verdict === 'verified') return 0;", "accepted = run.verdict !== 'verified'", "return { verdict: 'verified', message }", "c.verdict = 'verified';", "'verified' === c.run?.verdict"]) {
    assert.ok(decidesVerified(line), line);
  }
  for (const line of ["export type Verdict = 'verified' | 'regressed';", "case 'verified': return l10n.t('verified');", 'if (isVerified(decision)) return 0;']) {
    assert.ok(!decidesVerified(line), line);
  }
});

test('no source outside the acceptance policy decides or compares the verdict "verified"', () => {
  const offenders: string[] = [];
  for (const file of sources(join(root, 'src'))) {
    const rel = relative(root, file).split('\\').join('/');
    if (rel.startsWith(POLICY) || rel.startsWith(DISPLAY_ONLY)) continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (decidesVerified(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, [], 'ask the policy instead: decide() for a verdict, isVerified() to read one');
});

test('the policy is what the verifier, the agent and the adapters call', () => {
  const uses = (rel: string, what: RegExp) => assert.match(readFileSync(join(root, rel), 'utf8'), what, `${rel} must use ${what}`);
  uses('src/core/verify/verifyChanges.ts', /\bdecide\(task, baseline/);
  uses('src/core/agent/acceptance.ts', /\bdecide\(task, evidence\.baseline/);
  uses('src/core/agent/agent.ts', /\bverifyForTask\(/);
  uses('src/extension/tasks/coreAgent.ts', /\bverifyForTask\(/);
  uses('src/cli/commands/verify.ts', /\bverifyPatch\(/);
  uses('src/core/agent/verifyPatch.ts', /\bverifyChanges\(\{[\s\S]*?\btask: acceptanceTask\(req\)/);
  // Accept re-verifies with the candidate's own task, never a rebuilt edit-selection without targets.
  const controller = readFileSync(join(root, 'src/extension/tasks/reverifier.ts'), 'utf8');
  assert.doesNotMatch(controller, /kind:\s*'edit-selection',\s*instruction:\s*'re-verify'/);
  assert.match(controller, /\.\.\.c\.task/);
});
