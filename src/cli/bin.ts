// The `qwq-coder` process (package.json "bin": out/cli.js): signals, the stale-run sweep, then main.ts's dispatch.
// Start-up loads only the commands' specs and the run-folder sweep; the command's own module, and the core it
// needs, load when it runs.
import type { CliIO } from './command';
import { main } from './main';
import { removeOwnRunDirs, sweepStaleRuns } from '../core/verify/staleRuns';

/** Exit status for a signal, as a shell reports it. */
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

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
