// What the editor shows before one of our Language Model Tools runs (prepareInvocation): what it reads, or
// which patch it verifies and that the workspace's tests will run on a sandboxed copy. Pure (unit-tested).
import type { AgentToolName } from '../../core/agent/agentTools';
import { l10n } from '../l10n';

/** What prepareInvocation tells the person before a tool runs (and asks for, when it runs tests). */
export function invocationMessage(name: AgentToolName, input: Record<string, unknown>, trusted: boolean): { message: string; confirm?: { title: string; message: string } } {
  if (name !== 'qwq_verifyEdit') {
    const where = typeof input.file === 'string' ? `${input.file}${typeof input.line === 'number' ? `:${input.line}` : ''}` : typeof input.symbol === 'string' ? input.symbol : '';
    return { message: name === 'qwq_repoMap' ? l10n.t('Reading the workspace outline') : l10n.t('Reading the code context {0}', where) };
  }
  if (!trusted) return { message: l10n.t('Restricted Mode: QwQ Coder will check that the patch applies but run no tests (verdict: untrusted).') };
  const patch = typeof input.patch === 'string' ? input.patch : '';
  const files = [...new Set([...patch.matchAll(/^\+\+\+ b\/(.+)$/gm)].map((m) => m[1]).concat([...patch.matchAll(/^([^\s<>=][^\n]*\.[A-Za-z0-9]+)\n<<<<<<< SEARCH/gm)].map((m) => m[1].trim())))];
  const targets = Array.isArray(input.targetTests) && input.targetTests.length ? l10n.t(' Target tests: {0}.', input.targetTests.join(', ')) : '';
  return {
    message: l10n.t('Verifying a patch to {0} with the workspace\'s tests', files.join(', ') || l10n.t('the workspace')),
    confirm: {
      title: l10n.t('Run the workspace\'s tests on this patch?'),
      message: l10n.t('QwQ Coder will apply the patch to a sandboxed copy of {0} (your files are not written), run your test command before and after it, and report the verdict.{1}', typeof input.workspaceFolder === 'string' ? input.workspaceFolder : l10n.t('the workspace'), targets),
    },
  };
}
