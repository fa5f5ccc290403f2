// The CLI's commands: each one's spec (name, summary, usage, options: src/cli/specs) and how to load its
// implementation. A module is loaded only when its command is named, so `--version`, `--help` and `verify`
// never initialise the MCP SDK, the model runtimes or the agent loop. Add a command with a spec and a line here.
import type { CliCommand, CliCommandSpec } from '../command';
import { applySpec } from '../specs/apply';
import { verifySpec } from '../specs/verify';
import { contextSpec } from '../specs/context';
import { repomapSpec } from '../specs/repomap';
import { editSpec } from '../specs/edit';
import { modelsSpec } from '../specs/models';
import { chatSpec } from '../specs/chat';
import { completeSpec } from '../specs/complete';
import { mcpSpec } from '../specs/mcp';

export interface LazyCommand extends CliCommandSpec {
  load(): Promise<CliCommand>;
}

export const commands: LazyCommand[] = [
  { ...applySpec, load: async () => (await import('./apply')).applyCommand },
  { ...verifySpec, load: async () => (await import('./verify')).verifyCommand },
  { ...contextSpec, load: async () => (await import('./context')).contextCommand },
  { ...repomapSpec, load: async () => (await import('./repomap')).repomapCommand },
  { ...editSpec, load: async () => (await import('./edit')).editCommand },
  { ...modelsSpec, load: async () => (await import('./models')).modelsCommand },
  { ...chatSpec, load: async () => (await import('./chat')).chatCommand },
  { ...completeSpec, load: async () => (await import('./complete')).completeCommand },
  { ...mcpSpec, load: async () => (await import('./mcp')).mcpCommand },
];

/** A command's usage text (loading the core module it names a default of, for the few that do). */
export async function usageOf(command: CliCommandSpec): Promise<string> {
  return typeof command.usage === 'string' ? command.usage : command.usage();
}
