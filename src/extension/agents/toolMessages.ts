// What the editor shows before one of our Language Model Tools runs (prepareInvocation): what it reads, or
// which patch it verifies and that the workspace's tests will run on a sandboxed copy. Pure (unit-tested).
import type { AgentToolName } from '../../core/agent/agentTools';
import { l10n } from '../l10n';

/**
 * What prepareInvocation tells the person while a tool runs: what it reads, or which command runs on which copy.
 * No confirmation is asked: in a trusted workspace running its tests in a sandboxed copy is what the panel does
 * for every edit too; in Restricted Mode nothing runs at all.
 */
export function invocationMessage(name: AgentToolName, input: Record<string, unknown>, trusted: boolean, testCommand?: string): string {
  if (name !== 'qwq_verifyEdit') {
    const where = typeof input.file === 'string' ? `${input.file}${typeof input.line === 'number' ? `:${input.line}` : ''}` : typeof input.symbol === 'string' ? input.symbol : '';
    return name === 'qwq_repoMap' ? l10n.t('Reading the workspace outline') : l10n.t('Reading the code context {0}', where);
  }
  if (!trusted) return l10n.t('Restricted Mode: QwQ Coder checks that the patch applies but runs no tests (verdict: untrusted).');
  const patch = typeof input.patch === 'string' ? input.patch : '';
  const files = [...new Set([...patch.matchAll(/^\+\+\+ b\/(.+)$/gm)].map((m) => m[1]).concat([...patch.matchAll(/^([^\s<>=][^\n]*\.[A-Za-z0-9]+)\n<<<<<<< SEARCH/gm)].map((m) => m[1].trim())))];
  const targets = Array.isArray(input.targetTests) && input.targetTests.length ? l10n.t(' Target tests: {0}.', input.targetTests.join(', ')) : '';
  return l10n.t('Running {0} before and after a patch to {1}, in a sandboxed copy of the workspace (your files are not written).{2}',
    testCommand ? `\`${testCommand}\`` : l10n.t('the workspace\'s tests'), files.join(', ') || l10n.t('the workspace'), targets);
}
