// qwq-coder: the CLI over the core (docs/architecture.md §6). No VS Code.
import { parseArgs } from 'node:util';
import { commands } from './commands/index';
import { CliCommand, CliIO, HandledError, UsageError } from './command';
import { version } from '../../package.json';
import { removeOwnRunDirs, sweepStaleRuns } from '../core/verify';
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
  const command: CliCommand | undefined = commands.find((c) => c.name === first);
  try {
    if (!command) throw new UsageError(`unknown command '${first}' (try 'qwq-coder --help')`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${command.usage.trimEnd()}\n`);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: command.allowPositionals ?? false, strict: true });
    } catch (e) {
      throw new UsageError(`${first}: ${(e as Error).message.split('\n')[0]}`);
    }
    return await command.run(parsed, io);
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

/** Exit status for a signal, as a shell reports it. */
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

if (require.main === module) {
  const controller = new AbortController();
  // SIGTERM (timeout(1), CI cancellation) and SIGHUP (a closed terminal) stop a run like Ctrl+C: the test
  // processes are killed and the shadow and results folders removed. A second signal, or a run that does not
  // wind down within 5 s, exits at once after removing the folders.
  let caught: NodeJS.Signals | undefined;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      const code = 128 + (SIGNAL_NUMBERS[sig] ?? 0);
      if (caught) { removeOwnRunDirs(); process.exit(code); }
      caught = sig;
      controller.abort(new Error(`interrupted (${sig})`));
      setTimeout(() => { removeOwnRunDirs(); process.exit(code); }, 5000).unref();
    });
  }
  // Folders left by a run that was killed (SIGKILL, a crash) are removed, with any test process they left.
  try { sweepStaleRuns(); } catch { /* best effort: never stops a command */ }
  const io: CliIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    signal: controller.signal,
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = caught ? 128 + (SIGNAL_NUMBERS[caught] ?? 0) : code;
  });
}
