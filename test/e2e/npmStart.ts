// `npm start` as a user runs it, for the e2e flows: scripts/start.mjs forced onto code-server on a given port,
// profile and folder, in its own process group; ready once it printed the workbench's URL and the rest of its banner.
import { spawn, type ChildProcess } from 'node:child_process';
import { killGroup } from '../../scripts/code-server.mjs';
import { root } from '../../scripts/package.mjs';

export interface NpmStart {
  readonly child: ChildProcess;
  /** The workbench URL start.mjs printed. */
  readonly url: string;
  /** Everything it printed so far (stdout and stderr). */
  out(): string;
  /** Ctrl+C (SIGINT), as a user stops it: resolves to its exit code, or 'timeout' after 20 s. */
  interrupt(): Promise<number | null | 'timeout'>;
  /** Stops it for good: SIGINT, then SIGKILL to its group and its code-server's group. Idempotent. */
  stop(): Promise<void>;
}

const URL_LINE = /running in code-server: (http:\/\/127\.0\.0\.1:\d+\/\S*)/;
/** The last line of start.mjs's banner: everything it says at startup has been said. */
const BANNER_END = 'Ctrl+C stops the server.';

/** `promise`, or `fallback` once `ms` passed; the timer never outlives the race. */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<F>((r) => { timer = setTimeout(() => r(fallback), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `npm start` (start.mjs --code-server --no-build) and waits, up to 180 s, until it printed its URL and banner. */
export async function npmStart(o: { port: number; profile: string; folder?: string; extra?: string[] }): Promise<NpmStart> {
  const args = ['scripts/start.mjs', '--code-server', '--no-build', '--port', String(o.port), '--profile', o.profile,
    ...(o.folder ? ['--folder', o.folder] : []), ...(o.extra ?? [])];
  const child = spawn(process.execPath, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const printed = new Promise<string | undefined>((resolve) => {
    const read = (d: string) => { out += d; const m = URL_LINE.exec(out); if (m && out.includes(BANNER_END)) resolve(m[1]); };
    child.stdout!.setEncoding('utf8').on('data', read);
    child.stderr!.setEncoding('utf8').on('data', read);
    void exited.then(() => resolve(undefined));
  });
  const interrupt = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGINT');
    return within(exited, 20_000, 'timeout' as const);
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await interrupt();
    // start.mjs leads its own group (detached); its code-server leads another (setsid): stop both.
    const serverGroup = Number(out.match(/code-server process group (\d+)/)?.[1] ?? 0);
    killGroup(child.pid!, 'SIGKILL');
    if (serverGroup) killGroup(serverGroup, 'SIGKILL');
  };
  const url = await within(printed, 180_000, undefined);
  if (!url) { await stop(); throw new Error(`start.mjs printed no URL:\n${out.slice(-2000)}`); }
  return { child, url, out: () => out, interrupt, stop };
}
