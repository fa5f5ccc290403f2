// The test-isolation flags that verify and edit share (docs/architecture.md §5, "Isolation"):
// --isolation auto|sandbox|copy, --network / --no-network, --env NAME (repeatable).
import { UsageError, type OptionSpec, type ParsedArgs } from '../command';
import type { IsolationMode } from '../../core/verify';

export const isolationOptions: OptionSpec = {
  isolation: { type: 'string' }, network: { type: 'boolean' }, 'no-network': { type: 'boolean' }, env: { type: 'string', multiple: true },
};

export const ISOLATION_USAGE = `Tests run in a bubblewrap sandbox (Linux): the copy is seen at W's own path, W's packages and virtualenvs
read-only with writable scratch caches, your home folder hidden except toolchains, credential-looking
variables dropped, and no network but the tests' own loopback. Where bwrap cannot run, verify says why
and runs nothing. --isolation copy runs the tests unsandboxed in a copy (every verdict says so).
--network gives the tests the host's network; --env NAME passes a credential-looking variable anyway.`;

export function isolationArgs(args: ParsedArgs): { isolation: IsolationMode; network: boolean; envAllow: string[] } {
  const isolation = (args.values.isolation as string | undefined) ?? 'auto';
  if (!['auto', 'sandbox', 'copy', 'fallback'].includes(isolation)) throw new UsageError(`--isolation must be auto, sandbox or copy, got ${JSON.stringify(isolation)}`);
  if (args.values.network === true && args.values['no-network'] === true) throw new UsageError('--network and --no-network contradict each other');
  const envAllow = (args.values.env as string[] | undefined) ?? [];
  for (const n of envAllow) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) throw new UsageError(`--env takes a variable name, got ${JSON.stringify(n)}`);
  return { isolation: isolation as IsolationMode, network: args.values.network === true, envAllow };
}
