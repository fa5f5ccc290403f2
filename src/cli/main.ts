// qwq-coder: the CLI over the core (docs/architecture.md §6). No VS Code. The process entry is bin.ts; this is the
// command dispatch, which tests call in-process. It imports only the commands' specs: a command's module is
// loaded when it is named (commands/index.ts).
import { parseArgs } from 'node:util';
import { commands, usageOf, type LazyCommand } from './commands/index';
import { CliIO, HandledError, UsageError } from './command';
import { version } from '../../package.json';
import { errorMessage } from '../core/util';

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `qwq-coder ${version}: a local reasoning model that writes edits and verifies them with your tests

Usage: qwq-coder <command> [options]

Commands:
${lines.join('\n')}

Every command takes --json. Exit codes: 0 success, 1 handled failure, 2 usage error.
Run 'qwq-coder <command> --help' for a command's options.
`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(helpText());
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${version}\n`);
    return 0;
  }
  const command: LazyCommand | undefined = commands.find((c) => c.name === first);
  try {
    if (!command) throw new UsageError(`unknown command '${first}' (try 'qwq-coder --help')`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${(await usageOf(command)).trimEnd()}\n`);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: command.allowPositionals ?? false, strict: true });
    } catch (e) {
      throw new UsageError(`${first}: ${(e as Error).message.split('\n')[0]}`);
    }
    return await (await command.load()).run(parsed, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`qwq-coder: ${e.message}\n`);
      return 2;
    }
    const message = errorMessage(e);
    io.stderr(`qwq-coder: ${e instanceof HandledError ? '' : 'error: '}${message.split('\n')[0]}\n`);
    return 1;
  }
}
